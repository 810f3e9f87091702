"""The values the extractor passes around: frozen, comparable, free of any I/O."""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

Stance = Literal["stay", "leave", "conditional", "negotiating", "review", "unclear"]
Precision = Literal["day", "month", "year", "unknown"]
Base = Literal["hmeimim", "tartus"]
Kind = Literal["person", "institution", "media", "anonymous"]
MentionHow = Literal["name", "title", "anonymous", "anaphor", "pronoun"]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets `[start, end)` into a text: «حميميم» in `قاعدة حميميم` is Span(6, 12)."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlap(self, other: "Span") -> int:
        """How many characters two spans share; 0 when they are apart."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def __contains__(self, position: object) -> bool:
        return isinstance(position, int) and self.start <= position < self.end

    def of(self, text: str) -> str:
        """The characters the span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation, marks included in `outer`: `«نعم»` → outer Span(0, 5), inner Span(1, 4).
    One that runs on into the next paragraph is not `closed` there: it has no closing mark."""

    outer: Span
    closed: bool = True

    @property
    def inner(self) -> Span:
        return Span(self.outer.start + 1, self.outer.end - self.closed)


def opening(quote: Quote) -> int:
    return quote.outer.start


def quote_at(quotes: Sequence[Quote], position: int) -> Quote | None:
    """The quotation whose marks hold a position. Quotations come in text order and never
    overlap (find_quotes opens one at a time), so only the last to open at or before the
    position can: a bisection, where a scan of them all for every mention, cue and full stop
    made a long report quadratic."""
    i = bisect_right(quotes, position, key=opening)
    return quotes[i - 1] if i and position in quotes[i - 1].outer else None


Found = TypeVar("Found")


def starting_in(
    found: Sequence[Found], span: Span, start: Callable[[Found], int]
) -> Sequence[Found]:
    """What of `found`, in text order by `start`, starts inside `span`: by bisection, as a long
    report's every sentence and frame asks this of the whole text's cues, dates and quotations."""
    return found[
        bisect_left(found, span.start, key=start) : bisect_left(found, span.end, key=start)
    ]


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who made a statement, as the annotated-article format writes it."""

    name: str
    name_en: str
    kind: Kind
    role: str | None = None
    affiliation: str | None = None
    slug: str | None = None
    feminine: bool = False
    plural: bool = False

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "name_en": self.name_en,
            "kind": self.kind,
            "role": self.role,
            "affiliation": self.affiliation,
        }


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a second mention asks of its antecedent: `الوزير الروسي` → a person, role "minister", RU."""

    kinds: frozenset[Kind]
    role_words: tuple[str, ...] = ()
    affiliation: str | None = None
    feminine: bool | None = None
    plural: bool | None = None


@dataclass(frozen=True, slots=True)
class SpeakerMention:
    """A place in the text that names or points to a speaker.

    Names, titles and unnamed sources carry their `speaker`; second mentions (`الوزير`) and
    pronouns (`he`) carry only what they `want` of the speaker they point back to. `clitic` is the
    Arabic letter glued before a name (`لوكالة رويترز` → ل), which makes it an object, not a subject.
    """

    span: Span
    how: MentionHow
    speaker: Speaker | None = None
    wants: Wanted | None = None
    clitic: str = ""


@dataclass(frozen=True, slots=True)
class StatedDate:
    """When a statement was made: `الخميس` against a Saturday → the Thursday before, precision day."""

    value: dt.date | None
    precision: Precision


UNKNOWN_DATE = StatedDate(None, "unknown")


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """One statement the extractor proposes; `span` indexes the text it was given."""

    speaker: Speaker
    via: tuple[str, ...]
    span: Span
    direct: bool
    stated: StatedDate
    bases: tuple[Base, ...]
    stance: Stance
    summary_en: str
