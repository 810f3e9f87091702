"""Arabic normalisation for matching: one rule per function (camel_tools style).

Each rule maps one character to one character, or deletes characters; `normalize` composes them.
The stored search text and the search query go through the same `normalize`.
"""

import re
from dataclasses import dataclass

from app.extract.types import Span

_ALEF_FORMS = re.compile("[أإآٱ]")
_DIACRITIC_RANGES = "\u064b-\u065f\u0670\u06d6-\u06ed"
_DIACRITICS = re.compile(f"[{_DIACRITIC_RANGES}]")
_TATWEEL = "\u0640"


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


def normalize(text: str) -> str:
    """All the rules: إنَّ القـاعدةَ → ان القاعده"""
    return normalize_teh_marbuta(
        normalize_yaa(normalize_alef(strip_tatweel(strip_diacritics(text))))
    )


_DELETED = re.compile(f"[{_DIACRITIC_RANGES}{_TATWEEL}]+")
"""What `normalize` deletes (diacritics, tatweel); everything else it maps one to one."""


@dataclass(frozen=True, slots=True)
class Normalized:
    """`normalize(original)` with, for each of its characters, where it came from.

    `offsets[i]` is the index in the original of `text[i]`; one more entry maps the end.
    """

    text: str
    offsets: tuple[int, ...]

    def original(self, span: Span) -> Span:
        """The original characters a normalised span covers, diacritics of its last letter included."""
        return Span(self.offsets[span.start], self.offsets[span.end])


def normalize_with_offsets(text: str) -> Normalized:
    """`normalize`, keeping offsets: قالَ إنّ → قال ان, and Span(4, 6) maps back to Span(5, 8)."""
    kept: list[int] = []
    previous = 0
    for deleted in _DELETED.finditer(text):
        kept.extend(range(previous, deleted.start()))
        previous = deleted.end()
    kept.extend(range(previous, len(text) + 1))
    return Normalized(normalize(text), tuple(kept))
