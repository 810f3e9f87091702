"""Arabic normalisation for matching: one rule per function (camel_tools style).

Each rule maps one character to one character, or deletes characters; `normalize` composes them.
The stored search text and the search query go through the same `normalize`.
"""

import re
import unicodedata
from dataclasses import dataclass

from app.extract.types import Span

_ALEF_FORMS = re.compile("[أإآٱ]")
_DIACRITIC_RANGES = "\u064b-\u065f\u0670\u06d6-\u06ed"
_DIACRITICS = re.compile(f"[{_DIACRITIC_RANGES}]")
_TATWEEL = "\u0640"
_INVISIBLE_RANGES = "\u200b-\u200f\u061c\u202a-\u202e\u2060\u2066-\u2069\ufeff"
"""Marks that change how text is drawn, not what it says: the direction marks (LRM, RLM, ALM),
embeddings, overrides and isolates, which word processors and social media leave after commas and
around names; the zero-width (non-)joiner, which only shapes letters (in Persian it keeps a
suffix apart, deleting it still leaves the word); and the zero-width space, word joiner and
zero-width no-break space that pages put between words to let lines break, or not."""
_INVISIBLE_MARKS = re.compile(f"[{_INVISIBLE_RANGES}]")
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
"""Arabic-Indic (٠١٢…) and Persian (۰۱۲…) digits as ASCII, one for one: many Arabic sites write
٢٠٢٥, and an Arabic keyboard types it."""


def normalize_alef(text: str) -> str:
    """أحمد، إن، آخر → احمد، ان، اخر"""
    return _ALEF_FORMS.sub("ا", text)


def normalize_yaa(text: str) -> str:
    """مصطفى → مصطفي"""
    return text.replace("ى", "ي")


def normalize_teh_marbuta(text: str) -> str:
    """قاعدة → قاعده"""
    return text.replace("ة", "ه")


def strip_diacritics(text: str) -> str:
    """مُرْهَف → مرهف"""
    return _DIACRITICS.sub("", text)


def strip_tatweel(text: str) -> str:
    """روســيا → روسيا"""
    return text.replace(_TATWEEL, "")


def strip_invisible(text: str) -> str:
    """`الروسية،` and an RLM (U+200F) → `الروسية،`"""
    return _INVISIBLE_MARKS.sub("", text)


def normalize(text: str) -> str:
    """All the rules: إنَّ القـاعدةَ → ان القاعده"""
    return normalize_teh_marbuta(
        normalize_yaa(normalize_alef(strip_tatweel(strip_diacritics(strip_invisible(text)))))
    )


_DELETED = re.compile(f"[{_DIACRITIC_RANGES}{_TATWEEL}{_INVISIBLE_RANGES}]+")
"""What `normalize` deletes (diacritics, tatweel, invisible marks); everything else it maps one
to one."""
_ON_LETTER = re.compile(f"[{_DIACRITIC_RANGES}{_TATWEEL}]")
"""What is drawn on the letter before it, and so belongs to a span ending with that letter."""


@dataclass(frozen=True, slots=True)
class Normalized:
    """`normalize(source)` (presentation forms read as their letters) with, for each of its
    characters, where it came from.

    `offsets[i]` is the index in `source` of `text[i]`; one more entry maps the end.
    """

    text: str
    offsets: tuple[int, ...]
    source: str

    def original(self, span: Span) -> Span:
        """The original characters a normalised span covers, diacritics of its last letter
        included, invisible marks at either end left out."""
        if span.end == span.start:
            return Span(self.offsets[span.start], self.offsets[span.start])
        return Span(self.offsets[span.start], self._letter_end(self.offsets[span.end - 1]))

    def _letter_end(self, at: int) -> int:
        """Just after the letter at `at` in `source` and what is drawn on it."""
        end = at + 1
        while _ON_LETTER.match(self.source, end):
            end += 1
        return end


_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")
"""Arabic presentation forms (`ﻗﺎﻝ`, the ligature `ﻻ`), as text copied from a PDF comes."""


def _letters(text: str) -> tuple[str, list[int]]:
    """`text` with presentation forms read as the letters they draw (NFKC, as search reads them),
    and for each character (and the end) where in `text` it came from: ﻻ → لا, both from ﻻ."""
    if not _PRESENTATION.search(text):
        return text, list(range(len(text) + 1))
    pieces: list[str] = []
    origin: list[int] = []
    for at, char in enumerate(text):
        # An isolated vowel sign (ﹰ) is drawn on a space: the space is no letter of the text.
        letters = (
            unicodedata.normalize("NFKC", char).strip() or char
            if _PRESENTATION.match(char)
            else char
        )
        pieces.append(letters)
        origin.extend([at] * len(letters))
    origin.append(len(text))
    return "".join(pieces), origin


def normalize_with_offsets(text: str) -> Normalized:
    """`normalize`, keeping offsets: قالَ إنّ → قال ان, and Span(4, 6) maps back to Span(5, 8).
    Presentation forms are read as their letters: ﻗﺎﻝ → قال, Span(0, 3) → Span(0, 3)."""
    letters, origin = _letters(text)
    kept: list[int] = []
    previous = 0
    for deleted in _DELETED.finditer(letters):
        kept.extend(range(previous, deleted.start()))
        previous = deleted.end()
    kept.extend(range(previous, len(letters) + 1))
    return Normalized(normalize(letters), tuple(origin[k] for k in kept), text)
