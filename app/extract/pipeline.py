"""The rule-based extractor behind a small interface, and the annotated-article/1 document it fills.

`Extractor` is what the rest of the code depends on: a statistical model can later stand in for
`RuleExtractor`, or vote with it, without any caller changing.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from app.extract.bases import base_referred_to, bases_of_statement
from app.extract.cues import find_cues
from app.extract.dates import DateExpression, find_date_expressions, period_end
from app.extract.frames import Frame, Reader, frame_sentence
from app.extract.headline import is_sentence, same_name
from app.extract.language import detect_language
from app.extract.lexicon import Lexicon
from app.extract.normalize import (
    Normalized,
    normalize,
    normalize_with_offsets,
    strip_invisible,
    strip_tatweel,
)
from app.extract.quotes import Part, find_quotes, inside_quote, quoted_parts
from app.extract.relevance import about_bases, is_relevant
from app.extract.segment import split_paragraphs, split_sentences
from app.extract.speakers import find_mentions
from app.extract.stance import classify_stance, denied
from app.extract.summary import summarize
from app.extract.types import (
    UNKNOWN_DATE,
    Base,
    ClaimCandidate,
    Span,
    SpeakerMention,
    StatedDate,
    starting_in,
)
from app.extract.words import Terms, lowered

FORMAT = "annotated-article/1"


class Extractor(Protocol):
    """Anything that proposes claims for a text."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def extract(
        self, text: str, *, published: dt.date | None, language: str, lexicon: Lexicon
    ) -> list[ClaimCandidate]: ...


_SELF_REFERENCE = Terms.of(
    r"بلاده|بلادها|حكومته|حكومتها|دولته|قواته", r"(?:his|her) (?:country|government)"
)
_POINTING_BACK = Terms.of(
    r"هذا|هذه|ذلك|هذين|هاتين|تلك(?<!\wتلك)|المحادثات|المفاوضات|المباحثات|المسودة",
    r"this|these|the matter|the talks|the negotiations|the draft|the deal",
)
"""Words that point back to what was just said (`هذه المقترحات`, `the talks`): the claim continues it."""
_SAME_OCCASION = Terms.of(
    r"(?:عقب|خلال|بعد|قبيل|قبل|أثناء|في ختام)\s+(?:ال)?(?:لقاء|اللقاء|الاجتماع|المحادثات|المباحثات|الاتصال"
    r"|الزيارة|المؤتمر|القمة)|من جانبه|من جانبها|من جهته|من جهتها|بدوره|بدورها|الوفد",
    r"(?:before|after|during|at) the (?:talks|meeting|call|visit|summit|conference)|the delegation",
)
"""The statement was made at the occasion just told of: `عقب اللقاء`, `من جهته` (the other side of
it), `الوفد` (a delegation speaks at the visit it came on)."""
_OCCASION_REPORTED = Terms.of(
    r"(?:مباحثات|محادثات|لقاء|اجتماع|اتصال|مكالمة|قمة)(?:\s+\w+){0,3}?\s+(?:ستركز|تركزت|تناولت|تناول"
    r"|ركزت|ركز|بحثت|بحث|ناقشت|شملت)|(?:الجانبين|الجانبان|الطرفين|الطرفان|الزعيمين|الزعيمان|الرئيسين|الرئيسان)"
    r"\s+(?:ناقشا|بحثا|تناولا|اتفقا|تباحثا)|(?:تناولت|بحثت|ناقشت|ركزت) (?:المباحثات|المحادثات|اللقاء|الاجتماع)",
    r"the (?:talks|meeting|call|summit) (?:focused|touched|covered|dealt|will focus|would focus)"
    r"|the two (?:sides|leaders|presidents|ministers) (?:discussed|agreed|talked)",
)
"""The words tell what was said at the occasion: `الجانبين ناقشا`, `تناولت المباحثات`."""
_RECENT_DAYS = 14
_NEAR_ANCHOR = 30
_GRACE = dt.timedelta(days=1)
"""A statement is dated at most a day after its article, or without one after today (time
zones), as the file format says."""


@dataclass(frozen=True)
class RuleExtractor:
    """The rule-based extractor: cues, quotations, speakers, dates and stance by hand-written rules."""

    name: str = "basewatch-rules"
    version: str = "1"

    def extract(
        self, text: str, *, published: dt.date | None, language: str, lexicon: Lexicon
    ) -> list[ClaimCandidate]:
        """Claims about the bases in `text`, with spans into `text` itself."""
        normalized = normalize_with_offsets(text)
        reader = _read(normalized, language, lexicon)
        claims: list[ClaimCandidate] = []
        reading = _Reading(reader, published, about_bases(normalized.text))
        for frame in reader.frames:
            for claim in reading.claims_of(frame):
                claims.append(replace(claim, span=normalized.original(claim.span)))
        return claims


def _read(normalized: Normalized, language: str, lexicon: Lexicon) -> Reader:
    text = normalized.text
    quotes = find_quotes(text)
    reader = Reader(
        text=text,
        language=language,
        quotes=quotes,
        mentions=[_as_written(m, normalized) for m in find_mentions(text, lexicon, language)],
        cues=find_cues(text, language, quotes),
        dates=find_date_expressions(text),
        paragraphs=split_paragraphs(text),
    )
    for sentence in split_sentences(text, quotes):
        frame_sentence(reader, sentence)
    return reader


def _as_written(mention: SpeakerMention, normalized: Normalized) -> SpeakerMention:
    """A speaker named by the text's own words (`مصادر مطّلعة`, an institution) under the name the
    article spells, not its normalised form (`مصادر مطلعه`), which is only for matching."""
    speaker = mention.speaker
    if speaker is None or speaker.name != mention.span.of(normalized.text):
        return mention
    written = normalized.original(mention.span).of(normalized.source)
    return replace(mention, speaker=replace(speaker, name=strip_tatweel(strip_invisible(written))))


@dataclass
class _Reading:
    """Turns frames into claims, in text order, remembering what earlier frames were given."""

    reader: Reader
    published: dt.date | None
    bases_context: bool

    def __post_init__(self) -> None:
        self._relevant: dict[int, bool] = {}
        self._bases: dict[int, tuple[Base, ...]] = {}
        self._dates: dict[int, StatedDate] = {}
        self._dated: list[Frame] = []
        self._last_relevant = False
        # An undated article still reports what was said by now: `load` refuses a later date.
        self._latest = (self.published or dt.date.today()) + _GRACE
        reader = self.reader
        self._free_dates = [
            d
            for d in reader.dates
            if not reader.mention_covering(d.span.start)
            and not inside_quote(reader.quotes, d.span.start)
        ]

    def claims_of(self, frame: Frame) -> list[ClaimCandidate]:
        text = self.reader.text
        stated = self._stated(frame)
        claims = []
        for part in quoted_parts(text, frame.content, self.reader.quotes):
            statement = part.span.of(text)
            clause = (
                frame.zone.start if frame.zone.start <= part.span.start else frame.sentence.start
            )
            context = text[clause : part.span.start]
            referred = self._base_referred_to(frame, statement)
            relevant = is_relevant(
                statement,
                context,
                bases_context=self.bases_context,
                inherited=self._inherits(frame, statement) or bool(referred),
            )
            bases = self._bases_of(frame, statement, context) or referred
            self._relevant.setdefault(id(frame), relevant)
            self._last_relevant = relevant
            self._bases.setdefault(id(frame), bases)
            if not relevant:
                continue
            stance = classify_stance(statement)
            if frame.cue.denies and not part.quoted:  # the words quoted are the speaker's own
                stance = denied(stance)
            claims.append(
                ClaimCandidate(
                    frame.speaker,
                    tuple(frame.via),
                    part.span,
                    self._direct(frame, part),
                    stated,
                    bases,
                    stance,
                    summarize(frame.speaker, stance, bases, frame.via),
                )  # fmt: skip
            )
        return claims

    def _inherits(self, frame: Frame, statement: str) -> bool:
        """A frame that continues its parent (`مشيراً إلى أن`, `لكنه شدد`) keeps its topic;
        `هذه المقترحات` / `the talks` continue the claim just before."""
        if frame.parent is not None:
            return frame.continues and self._relevant.get(id(frame.parent), False)
        return self._last_relevant and bool(_POINTING_BACK.search(lowered(statement)))

    def _bases_of(self, frame: Frame, statement: str, context: str) -> tuple[Base, ...]:
        """The statement's bases, else those of the question or clause before it, else its parent's."""
        own = bases_of_statement(statement, bases_context=self.bases_context)
        if own:
            return own
        around = bases_of_statement(context, bases_context=False)
        if around:
            return around
        return self._bases.get(id(frame.parent), ()) if frame.parent else ()

    def _base_referred_to(self, frame: Frame, statement: str) -> tuple[Base, ...]:
        """What `القاعدة` / "the base" in the statement is, by the sentences before it in its paragraph."""
        text = self.reader.text
        paragraph = self.reader.paragraph_of(frame.sentence.start)
        return base_referred_to(statement, text[paragraph.start : frame.sentence.start])

    def _direct(self, frame: Frame, part: Part) -> bool:
        """The speaker's own words in quotation marks; not a third-person paraphrase or a quoted object."""
        quoted = part.span.of(self.reader.text)
        if not part.quoted or frame.object_complement:
            return False
        return not _SELF_REFERENCE.search(lowered(quoted))

    # --- dates ---------------------------------------------------------------------------

    def _stated(self, frame: Frame) -> StatedDate:
        """When the statement was made (annotation conventions, "stated_on")."""
        stated = self._own_date(frame) or self._carried_date(frame)
        if stated.value and stated.value > self._latest:
            stated = UNKNOWN_DATE  # a date to come ("in 2030"): what is planned, not when said
        self._dates[id(frame)] = stated
        self._dated.append(frame)
        return stated

    def _own_date(self, frame: Frame) -> StatedDate | None:
        """A time expression in the attribution: after the cue first, else just before it
        (`والخميس، أعرب`, `وسبق أن كشف`); narration further back dates other things."""
        expressions = self._unmasked(frame.zone)
        after = [d for d in expressions if d.span.start >= frame.cue.span.start]
        before = [
            d
            for d in expressions
            if d.span.start < frame.cue.span.start and frame.anchor - d.span.end <= _NEAR_ANCHOR
        ]
        chosen = after[0] if after else before[-1] if before else None
        return chosen.resolve(self.published) if chosen else None

    def _unmasked(self, zone: Span) -> Sequence[DateExpression]:
        """Time expressions in a zone that are not part of a name (روسيا اليوم) or a quotation."""
        return starting_in(self._free_dates, zone, lambda date: date.span.start)

    def _carried_date(self, frame: Frame) -> StatedDate:
        """No time expression of its own: the parent's date; the same speaker's last statement (or
        that of the statement it was relayed through: `نقل البيان عن الشرع`); the
        occasion named (`عقب اللقاء`, `من جهته`) or the paragraph's last recent date; else unknown."""
        if frame.parent is not None:
            return self._dates.get(id(frame.parent), UNKNOWN_DATE)
        for earlier in reversed(self._dated):
            relayed_by = earlier.speaker.name_en in frame.via[:1] or (
                frame.via and earlier.via[:1] == frame.via[:1]
            )
            if _same_speaker(earlier, frame) or relayed_by:
                return self._dates.get(id(earlier), UNKNOWN_DATE)
        if _SAME_OCCASION.search(
            lowered(frame.zone.of(self.reader.text))
        ) or self._reports_occasion(frame):
            return self._last_recent_date(Span(0, frame.anchor)) or UNKNOWN_DATE
        paragraph = self.reader.paragraph_of(frame.anchor)
        return (
            self._last_recent_date(Span(paragraph.start, frame.anchor), unknown_too=True)
            or UNKNOWN_DATE
        )

    def _reports_occasion(self, frame: Frame) -> bool:
        """A speaker on record telling what the talks were about (`تناولت المباحثات …`, `the two
        sides discussed …`) speaks of the occasion, on its day; an unnamed source telling an outlet
        about it afterwards does not say when."""
        content = lowered(frame.content.of(self.reader.text))
        return frame.speaker.kind != "anonymous" and bool(_OCCASION_REPORTED.search(content))

    def _last_recent_date(self, zone: Span, *, unknown_too: bool = False) -> StatedDate | None:
        """The last deictic expression (`الخميس`, `أمس`) in narration or attribution naming a recent day
        (or, with `unknown_too`, an undated `في وقت سابق`)."""
        inside_words = [f.content for f in self.reader.frames]
        for expression in reversed(self._unmasked(zone)):
            if not expression.deictic or any(expression.span.start in c for c in inside_words):
                continue
            stated = expression.resolve(self.published)
            if stated.precision == "unknown" and unknown_too:
                return stated
            if self._recent(stated):
                return stated
        return None

    def _recent(self, stated: StatedDate) -> bool:
        """A day, or a month (`أواخر الشهر الماضي`), reaching into the last days before publication."""
        end = period_end(stated)
        if end is None or stated.value is None or self.published is None:
            return False
        return stated.value <= self.published and (self.published - end).days <= _RECENT_DAYS


def _same_speaker(a: Frame, b: Frame) -> bool:
    if a.speaker.slug or b.speaker.slug:
        return a.speaker.slug == b.speaker.slug
    return normalize(a.speaker.name) == normalize(b.speaker.name)


# --- the document ------------------------------------------------------------------------


def claim_record(claim: ClaimCandidate, text: str, extractor: Extractor) -> dict[str, Any]:
    """One claim as the annotated-article format writes it, marked as the extractor's proposal."""
    return {
        "speaker": claim.speaker.as_dict(),
        "via": list(claim.via),
        "quote": claim.span.of(text),
        "start": claim.span.start,
        "end": claim.span.end,
        "direct": claim.direct,
        "stated_on": claim.stated.value.isoformat() if claim.stated.value else None,
        "stated_on_precision": claim.stated.precision,
        "bases": list(claim.bases),
        "stance": claim.stance,
        "summary_en": claim.summary_en,
        "summary_machine": True,
        "status": "extracted",
        "extractor": f"{extractor.name}/{extractor.version}",
    }


def extract_document(
    article: Mapping[str, Any],
    *,
    lexicon: Lexicon | None = None,
    extractor: Extractor = RuleExtractor(),
) -> dict[str, Any]:
    """The annotated-article/1 document for an article (the `article` part of such a file: key,
    url, outlet, title, language, published_on, text), with the extractor's claims.

    Without a language, the script decides; without a lexicon, only unnamed sources can speak.
    Statements the article's own outlet makes in its own voice are narration, and the outlet is
    not a route to itself: both are dropped. So is the headline when the text repeats it: it
    sums the article up (`Russia will not withdraw, Kremlin says`), it is nobody's statement.
    """
    lexicon = lexicon or Lexicon.from_registries()
    text = article["text"]
    language = article.get("language") or detect_language(text)
    published = _as_date(article.get("published_on"))
    candidates = extractor.extract(text, published=published, language=language, lexicon=lexicon)
    outlet = article["outlet"]
    own = lexicon.actor_named(outlet)
    headlines = _headline_lines(text, article.get("title"))
    claims = [
        claim_record(_without_own_outlet(c, own.name_en if own else outlet), text, extractor)
        for c in candidates
        if not (own and c.speaker.slug == own.slug)
        and not any(c.span.start in line for line in headlines)
    ]
    fields = ("key", "url", "outlet", "title")
    return {
        "format": FORMAT,
        "article": {
            **{name: article.get(name) for name in fields},
            "language": language,
            "published_on": published.isoformat() if published else None,
            "text": text,
        },
        "claims": claims,
    }


def _headline_lines(text: str, title: object) -> list[Span]:
    """The lines of the text that are the article's title, and read as a headline: a text
    without one has its first line for a title, and that line is a sentence of the article."""
    if not isinstance(title, str) or not title.strip():
        return []
    return [
        line
        for line in split_paragraphs(text)
        if same_name(line.of(text), title) and not is_sentence(line.of(text))
    ]


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _without_own_outlet(claim: ClaimCandidate, outlet: str) -> ClaimCandidate:
    via = tuple(v for v in claim.via if v != outlet)
    if via == claim.via:
        return claim
    summary = summarize(claim.speaker, claim.stance, claim.bases, via)
    return replace(claim, via=via, summary_en=summary)
