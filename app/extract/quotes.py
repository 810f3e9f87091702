"""Quotations: «…», “…”, "…", ‘…’ (and ” used as an opening mark, as Arabic sites often do)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.extract.segment import trim
from app.extract.types import Quote, Span, opening, quote_at, starting_in

_MARK = re.compile('[«»"“”„‘’\n]')
_SYMMETRIC = '"“”„'
"""Marks that open or close by what surrounds them, and pair with one another."""
_CLOSING = {"«": "»", "‘": "’"}
"""Marks that pair as brackets: each opening mark with its own closing one."""
_CLITIC = re.compile(r"(?:^|\s)[وبلفك]$")


def _opens(text: str, at: int) -> bool:
    """A symmetric mark opens when nothing is glued before it and a word follows: ` “نعم` or `ل“نعم`."""
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if after.isspace():
        return False
    if before.isspace() or before in "([{:—–-/«\u0640":
        return True
    return bool(_CLITIC.search(text, max(0, at - 2), at))


def _closes(text: str, opened: int, at: int) -> bool:
    """Whether the mark at `at` closes the quotation opened at `opened`. ’ is also the
    apostrophe: it closes a ‘ only when no letter follows (`‘Russia’s bases stay,’`)."""
    opening, char = text[opened], text[at]
    if opening not in _CLOSING:
        return char in _SYMMETRIC
    after = text[at + 1 : at + 2]
    return char == _CLOSING[opening] and not (char == "’" and after.isalpha())


def _runs_on(text: str, opened: int) -> bool:
    """Whether a mark left open at the end of its paragraph opens a statement (after `:` or a
    sentence's end) that runs on into the next paragraph, as long quotations do; any other one is
    a stray mark (`لـ"عنب بلدي`)."""
    at = opened - 1
    while at >= 0 and text[at].isspace() and text[at] != "\n":  # not text[:opened]: once per mark
        at -= 1
    return at >= 0 and text[at] in ":.!?؟"


def _open_at_end(text: str, opened: int | None, end: int) -> list[Quote]:
    """The quotation left open at `end`, a paragraph's end, if it runs on past it; its words end
    before the paragraph's last full stop, as a closing mark would."""
    if opened is None or not _runs_on(text, opened):
        return []
    words = trim(text, Span(opened + 1, end), _EDGE)
    return [Quote(Span(opened, words.end), closed=False)] if len(words) else []


def find_quotes(text: str) -> list[Quote]:
    """Every balanced quotation inside a paragraph: `قال: «نعم»` → [Quote(Span(5, 10))].

    Guillemets always open; ‘ and the symmetric marks open by what surrounds them, when no
    quotation is open. A mark left open at the end of a paragraph is dropped, unless it opens a
    statement that runs on into the next: then the quotation ends with the paragraph.
    """
    quotes: list[Quote] = []
    opened: int | None = None
    for mark in _MARK.finditer(text):
        at, char = mark.start(), mark.group()
        if char == "\n":
            quotes += _open_at_end(text, opened, at)
            opened = None
        elif char == "«" or (char in _SYMMETRIC + "‘" and opened is None and _opens(text, at)):
            opened = at
        elif opened is not None and _closes(text, opened, at):
            quotes.append(Quote(Span(opened, at + 1)))
            opened = None
    return quotes + _open_at_end(text, opened, len(text))


def inside_quote(quotes: Sequence[Quote], position: int) -> bool:
    """Whether a position falls within the marks of a quotation."""
    return quote_at(quotes, position) is not None


_COORDINATED = re.compile(
    r"[\s،,]*(?:وان(?=(?:ه|ها|هم|هما|نا|ني)?\s)|,?\s*and that\s+)", re.IGNORECASE
)
"""`، وأن` / `and that` starting a second complement (normalised text; an attached pronoun stays)."""
_NARRATION_AFTER = re.compile(r"\s*[،,]\s*(?!(?:و|كما|and\b|but\b))")
"""`«…»، رافضة الخوض…`: after the comma the narrator speaks (no conjunction carries the words on)."""
_COMPLEMENTISER = re.compile(r"(?<!\w)[وف]?ان\w{0,2}(?!\w)|\bthat\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(
    r"(?<!\w)(?:نحن|لدينا|إننا|اننا|لسنا|\w{2,}نا)(?!\w)|\b(?:we|our|us|i|my|we're)\b",
    re.IGNORECASE,
)
_LONG_QUOTE = 15
_EDGE = " \t\n،,.:;؛"


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a complement: a quotation (`quoted`) or a reported clause."""

    span: Span
    quoted: bool


def _inner(text: str, quote: Quote) -> Span:
    return trim(text, quote.inner, _EDGE)


def _stands_alone(text: str, quote: Quote, before: Span) -> bool:
    """A quotation after a reported clause is a statement of its own when the clause introduces it
    (`…:`) or it is long or in the first person; otherwise it is a fragment of the clause."""
    words = text[quote.inner.start : quote.inner.end].split()
    return len(before.of(text).split()) >= 3 and (
        text[before.start : quote.outer.start].rstrip().endswith(":")
        or len(words) >= _LONG_QUOTE
        or bool(_FIRST_PERSON.search(quote.inner.of(text)))
    )


def quoted_parts(text: str, content: Span, quotes: Sequence[Quote]) -> list[Part]:
    """Split a complement into its quotation and reported parts (annotation conventions, "Span").

    `«الأمور لم تتغير»، وأن الطرفين اتفقا` → the quotation, and the clause after وأن;
    `روسيا «لن تغادر» سوريا` → one reported clause (the quotation is a fragment of it).
    """
    content = trim(text, content, _EDGE)
    opened = starting_in(quotes, content, opening)  # only these can lie within it
    inside = [q for q in opened if q.outer.end <= content.end]
    if not inside:
        return [Part(content, False)]
    first, last = inside[0], inside[-1]
    if first.outer.start == content.start:
        rest = trim(text, Span(first.outer.end, content.end), _EDGE)
        if not len(rest):
            return [Part(_inner(text, first), True)]
        coordinated = _COORDINATED.match(text, rest.start, rest.end)
        if coordinated:
            clause = trim(text, Span(coordinated.end(), rest.end), _EDGE)
            return [Part(_inner(text, first), True), Part(clause, False)]
        if _NARRATION_AFTER.match(text, first.outer.end, rest.end):
            return [Part(_inner(text, first), True)]
    elif last.outer.end == content.end:
        before = trim(text, Span(content.start, last.outer.start), _EDGE)
        if not _COMPLEMENTISER.search(before.of(text)) and _stands_alone(text, last, before):
            return [Part(before, False), Part(_inner(text, last), True)]
    return [Part(content, False)]
