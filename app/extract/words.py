"""Small pattern helpers shared by the matching modules."""

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from app.extract.normalize import normalize


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first: ["قال", "قالت"] → "قالت|قال"."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def lowered(text: str) -> str:
    """The text in lower case when that keeps every offset (it always does but for a few letters
    such as İ): the matching patterns are written in lower case and need no IGNORECASE, which
    would slow every Arabic pattern down several times."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text


WORD = re.compile(r"\w+(?:['’.-]\w+)*")
"""A word, with its inner apostrophes, dots and hyphens: `Syria's`, `al-Sharaa`, `U.S`."""


@lru_cache(maxsize=4)
def text_words(text: str) -> tuple[tuple[re.Match[str], ...], tuple[str, ...]]:
    """The words (`WORD`) of a text and their lower-case forms, computed once per text however many
    finders ask (the lexicon, the cues, the dates)."""
    words = tuple(WORD.finditer(text))
    lower = lowered(text)
    if len(lower) == len(text):
        return words, tuple(lower[w.start() : w.end()] for w in words)
    return words, tuple(w.group().lower() for w in words)


_LATIN = re.compile("[a-z]")


@dataclass(frozen=True)
class Terms:
    """Terms to find in lower-cased normalised text, Arabic and English compiled apart.

    Each Arabic alternative starts with its own letters, not with an assertion or an optional
    clitic (a clitic before it is simply not part of the match: `والقاعدتين` contains `قاعدتين`),
    so the regex engine can skip ahead; English terms stand between word boundaries and are only
    looked for when the text has Latin letters.
    """

    arabic: re.Pattern[str] | None
    english: re.Pattern[str] | None

    @classmethod
    def of(cls, arabic: str = "", english: str = "") -> "Terms":
        return cls(
            re.compile(normalize(arabic)) if arabic else None,
            re.compile(rf"\b(?:{english})\b") if english else None,
        )

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """Arabic matches, then English ones."""
        if self.arabic is not None:
            yield from self.arabic.finditer(text, pos, endpos)
        if self.english is not None and _LATIN.search(text, pos, endpos):
            yield from self.english.finditer(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)
