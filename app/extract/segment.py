"""Paragraphs and sentences as spans of the text (quotations are never cut); clauses, one per
speech act, are cut where each attribution begins (frames.py)."""

import re
from collections.abc import Sequence

from app.extract.types import Quote, Span, quote_at

_PARAGRAPH = re.compile(r"[^\n]+")
SENTENCE_END = r"[.!?؟…]+[\"”»’)]*"
"""What ends a sentence: its terminators, then any closing quotation marks or parenthesis."""
_TERMINATOR = re.compile(rf"{SENTENCE_END}(?=\s|$)|\n")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Sgt|Capt|Adm|Gov|Sen|Rep|St|"
    r"No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd|Jr|Sr))\.$"
)
_LOWER_NEXT = re.compile(r"\s*[a-z]")
_SPACE = " \t\r\n"


def split_paragraphs(text: str) -> list[Span]:
    """Each non-empty line: `أ\\n\\nب` → [Span(0, 1), Span(3, 4)]."""
    return [Span(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if not m.group().isspace()]


def _is_boundary(text: str, end: int, quotes: Sequence[Quote]) -> bool:
    """A terminator ends a sentence unless it sits inside quotation marks or ends an abbreviation."""
    if text[end - 1] == "\n":
        return True
    quote = quote_at(quotes, end - 1)
    if quote is not None and quote.outer.start < end - 1 < quote.outer.end - 1:
        return False
    if _ABBREVIATION.search(text, max(0, end - 8), end):
        return False
    return not _LOWER_NEXT.match(text, end)


def _edge(char: str, chars: str) -> bool:
    return char in chars or char.isspace()


def trim(text: str, span: Span, chars: str = _SPACE) -> Span:
    """The span without the given characters, nor any white space, at either end: ` قال ` → `قال`.
    Any: pasted text keeps the no-break spaces of its page, a Windows file its CR."""
    start, end = span.start, span.end
    while start < end and _edge(text[start], chars):
        start += 1
    while end > start and _edge(text[end - 1], chars):
        end -= 1
    return Span(start, end)


def split_sentences(text: str, quotes: Sequence[Quote]) -> list[Span]:
    """Sentences, ending at . ! ? ؟ … or a line break: `قال. وأضاف: «لا. نعم».` → 2 sentences."""
    sentences: list[Span] = []
    start = 0
    for terminator in _TERMINATOR.finditer(text):
        if _is_boundary(text, terminator.end(), quotes):
            sentences.append(trim(text, Span(start, terminator.end())))
            start = terminator.end()
    sentences.append(trim(text, Span(start, len(text))))
    return [s for s in sentences if len(s)]
