"""The benchmark archive's articles and claims, drawn a batch at a time as numpy arrays.

Article n of a seed depends only on (seed, n): each number it is drawn from is a hash of
(seed, n, slot) (SplitMix64's finaliser), not the next number of a generator, so an article
comes out the same whichever batch draws it, and a batch is drawn as whole arrays, not claim by
claim. Its texts are made of bench/words.py's phrases: each distinct phrase is put together
once (`Phrases`), and a claim holds the numbers of its own.
"""

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from app.models.vocab import ClaimStatus, MilitaryBase, Precision, Stance
from bench import words

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Texts = NDArray[np.object_]


@dataclass(frozen=True)
class Voice:
    """A speaker as the generator uses them: the actor's id and the names articles write."""

    actor_id: int
    slug: str
    name_ar: str
    name_en: str
    role: str | None
    affiliation: str | None


# --- numbers ----------------------------------------------------------------------------------

_MIX = [np.uint64(m) for m in (0x9E3779B97F4A7C15, 0xD1B54A32D192ED03, 0x8CB92BA72F3D8DD7)]
_FINAL = [np.uint64(m) for m in (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)]
_SHIFTS = [np.uint64(s) for s in (30, 27, 31, 11)]


def uniform(seed: int, n: Ints, slot: Ints) -> Floats:
    """A number in [0, 1) for each (n, slot) pair of the broadcast arrays: the hash of (seed,
    article n, slot)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) * _MIX[0] + n.astype(np.uint64) * _MIX[1]
        z = z + slot.astype(np.uint64) * _MIX[2]
        z = (z ^ (z >> _SHIFTS[0])) * _FINAL[0]
        z = (z ^ (z >> _SHIFTS[1])) * _FINAL[1]
        z = z ^ (z >> _SHIFTS[2])
    return (z >> _SHIFTS[3]).astype(np.float64) * 2.0**-53


class Weights:
    """Draws the index of an item by its weight, for a whole array of numbers at once."""

    def __init__(self, weights: Sequence[float]) -> None:
        cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
        self.bounds = cumulative / cumulative[-1]

    def __call__(self, u: Floats) -> Ints:
        return np.minimum(np.searchsorted(self.bounds, u, side="right"), len(self.bounds) - 1)


def pick(u: Floats, count: Ints | int) -> Ints:
    """An index below `count` (per entry), each as likely."""
    return (u * count).astype(np.int64)


# --- the archive's vocabulary -----------------------------------------------------------------

STANCES = [s.value for s in Stance]
STANCE = Weights([30, 12, 14, 22, 14, 8])
BASES: list[tuple[str, ...]] = [("hmeimim",), ("tartus",), ("hmeimim", "tartus"), ()]
BASE = Weights([30, 30, 30, 10])
CLAIM_COUNT = Weights([8, 12, 15, 16, 14, 11, 9, 7, 5, 3])
"""1 to 10 claims an article (the index, plus one): about five."""
PRECISIONS = [Precision.DAY.value, Precision.MONTH.value, Precision.YEAR.value, "unknown"]
STATUSES = [ClaimStatus.VERIFIED.value, ClaimStatus.EXTRACTED.value, ClaimStatus.REJECTED.value]
STATUS_SHARES = np.array([0.90, 0.97])  # verified below the first, extracted below the second
DAYS_BEFORE = np.array([0, 0, 0, 1, 1, 2, 3])
"""How long before its article a statement dated to the day was made."""
TAG_SETS = [tags for count in range(4) for tags in itertools.combinations(words.TAGS, count)]
TAG_SET = Weights(
    [
        share / math.comb(len(words.TAGS), count)
        for count, share in ((0, 40), (1, 35), (2, 20), (3, 5))
        for _ in itertools.combinations(words.TAGS, count)
    ]
)
"""A claim's tags: none, one, two or three, each set as likely as another of its size."""
VIAS: list[tuple[str, ...]] = [
    (),
    *((a,) for a in words.AGENCIES),
    *itertools.permutations(words.AGENCIES[:4], 2),
]
VIA = Weights([62, *[3] * len(words.AGENCIES), *[1] * 12])
EPOCH = date(1970, 1, 1)
DECADE_START, RECENT_START, END = date(2016, 1, 1), date(2024, 1, 1), date(2025, 12, 31)
assert set(STANCES) == {s.value for s in Stance} and set(PRECISIONS) == {p.value for p in Precision}
assert {b for bases in BASES for b in bases} == {b.value for b in MilitaryBase}


@dataclass(frozen=True)
class Tongue:
    """The phrases of one language, so that one code path writes Arabic and English articles."""

    code: str
    subjects: list[str]
    predicates: dict[str, list[str]]
    times: list[str]
    rare: list[str]
    rare_joint: str
    verbs: list[str]
    reported: str
    quoted: tuple[str, str]
    fillers: list[str]
    titles: list[str]
    outlets: list[str]
    place: int  # index into words.PLACES' (Arabic, English) pairs

    def name(self, voice: Voice) -> str:
        return voice.name_ar if self.place == 0 else voice.name_en


TONGUES = (
    Tongue(
        "ar", words.SUBJECTS_AR, words.PREDICATES_AR, words.TIMES_AR, words.RARE_AR, " وفي ",
        words.VERBS_AR, "{verb} {name} أن ", ("{verb} {name}: «", "»."), words.FILLER_AR,
        words.TITLES_AR, words.OUTLETS_AR, 0,
    ),
    Tongue(
        "en", words.SUBJECTS_EN, words.PREDICATES_EN, words.TIMES_EN, words.RARE_EN, " and in ",
        words.VERBS_EN, "{name} {verb} that ", ('{name} {verb}: "', '".'), words.FILLER_EN,
        words.TITLES_EN, words.OUTLETS_EN, 1,
    ),
)  # fmt: skip
ARABIC_SHARE = 0.75


def _counts(lists: Callable[[Tongue], Sequence[object]]) -> Ints:
    """How many phrases each tongue has of a kind, to pick among them by a claim's tongue."""
    return np.array([len(lists(tongue)) for tongue in TONGUES])


SUBJECTS, TIMES, RARE = (
    _counts(lambda t: t.subjects),
    _counts(lambda t: t.times),
    _counts(lambda t: t.rare),
)
VERBS, FILLERS = _counts(lambda t: t.verbs), _counts(lambda t: t.fillers)
TITLES, OUTLETS = _counts(lambda t: t.titles), _counts(lambda t: t.outlets)
PREDICATES = np.array([[len(t.predicates[s]) for s in STANCES] for t in TONGUES])


# --- phrases, each made once ------------------------------------------------------------------


class Phrases:
    """Texts made of a few drawn components (indexes), each distinct one put together once:
    a claim holds the number of its text here."""

    def __init__(self, make: Callable[..., str]) -> None:
        self.make = make
        self.numbers: dict[tuple[int, ...], int] = {}
        self.texts: list[str] = []
        self._array, self._lengths = as_text([]), np.zeros(0, np.int64)

    def number(self, *components: Ints) -> Ints:
        """The number of each entry's text, made from its components (arrays of one length)."""
        combined = np.zeros(len(components[0]), np.int64)
        for component in components:  # one integer a combination (np.unique of rows is slow)
            combined = combined * (int(component.max(initial=0)) + 1) + component
        _, firsts, inverse = np.unique(combined, return_index=True, return_inverse=True)
        distinct = np.stack(components, axis=1)[firsts].tolist()
        numbers = np.array([self._number(tuple(row)) for row in distinct], np.int64)
        return numbers[inverse]

    def _number(self, key: tuple[int, ...]) -> int:
        found = self.numbers.get(key)
        if found is None:
            found = self.numbers[key] = len(self.texts)
            self.texts.append(self.make(*key))
        return found

    def array(self) -> Texts:
        """The texts, by number."""
        if len(self._array) < len(self.texts):
            self._array = as_text(self.texts)
        return self._array

    def lengths(self) -> Ints:
        """The texts' lengths, by number."""
        if len(self._lengths) < len(self.texts):
            self._lengths = np.fromiter(map(len, self.texts), np.int64, len(self.texts))
        return self._lengths


# --- a batch of articles ----------------------------------------------------------------------


@dataclass
class Drawn:
    """Articles and their claims as arrays: `ns` and the other article arrays hold one entry an
    article; the claim arrays one entry a claim, in the order of their articles."""

    seed: int
    ns: Ints
    tongue: Ints
    published: Ints  # days since 1970-01-01
    outlet: Texts
    title: Ints  # a number of Generator.titles
    title_text: Texts
    text: Texts
    first: Ints  # each article's first claim
    counts: Ints
    article: Ints  # each claim's article, an index of the arrays above
    voice: Ints
    stance: Ints
    bases: Ints
    quote: Ints  # a number of Generator.quotes
    lead: Ints  # the words before the quote in its paragraph: Generator.leads
    summary: Ints  # Generator.summaries
    start: Ints
    end: Ints
    direct: Ints  # 1 for a direct quotation
    stated: Ints  # days since 1970-01-01; meaningless where the precision is "unknown"
    precision: Ints
    status: Ints
    edited_from: Ints  # the stance the loader stored before an editor changed it, or -1
    via: Ints
    tags: Ints

    @cached_property
    def articles(self) -> list[dict[str, Any]]:
        """Each article's fields, as the annotated-article format names them."""
        return [
            {
                "key": article_key(self.seed, n),
                "url": f"https://example.org/{TONGUES[t].code}/{day.year}/{n}",
                "outlet": outlet,
                "title": title,
                "language": TONGUES[t].code,
                "published_on": day,
                "text": text,
            }
            for n, t, day, outlet, title, text in zip(
                self.ns.tolist(),
                self.tongue.tolist(),
                [EPOCH + timedelta(days=days) for days in self.published.tolist()],
                self.outlet.tolist(),
                self.title_text.tolist(),
                self.text.tolist(),
                strict=True,
            )
        ]

    def key(self, a: int) -> str:
        return str(self.articles[a]["key"])

    @cached_property
    def stated_dates(self) -> list[date | None]:
        """Each claim's date, None where it is unknown (made once a distinct day)."""
        days = np.where(self.precision == UNKNOWN, -1, self.stated)
        distinct, places = np.unique(days, return_inverse=True)
        dates = [None if d < 0 else EPOCH + timedelta(days=d) for d in distinct.tolist()]
        return as_text(dates)[places].tolist()  # type: ignore[no-any-return]


UNKNOWN = PRECISIONS.index("unknown")


def article_key(seed: int, n: int) -> str:
    return f"bench-{seed}-{n:07d}"


class Generator:
    """Article `n` of a seed depends only on (seed, n): the same archive every time."""

    SLOTS = 32
    """Numbers drawn for each claim (19 used); an article's own come first, before its claims'."""

    def __init__(self, seed: int, voices: Sequence[Voice]) -> None:
        self.seed, self.voices = seed, list(voices)
        self.voice = Weights([1 / rank**1.1 for rank in range(1, len(voices) + 1)] or [1])
        self.quotes = Phrases(self._quote)
        self.leads = Phrases(self._lead)
        self.closes = Phrases(self._close)
        self.summaries = Phrases(self._summary)
        self.titles = Phrases(self._title)

    def outline(self, ns: Ints) -> tuple[Ints, Ints]:
        """How many claims articles `ns` have, and the day each was published (days since
        1970-01-01), without drawing the rest."""
        u = uniform(self.seed, ns[:, None], np.arange(4)[None, :])
        recent = u[:, 2] < 0.85  # most articles from 2024–2025, the rest over the decade before
        recent_days = (RECENT_START - EPOCH).days + ((END - RECENT_START).days * u[:, 3] ** 0.7)
        decade_days = (DECADE_START - EPOCH).days + (RECENT_START - DECADE_START).days * u[:, 3]
        days = np.where(recent, recent_days, decade_days).astype(np.int64)
        return CLAIM_COUNT(u[:, 0]) + 1, days

    def in_date_order(self, claims: int) -> tuple[Ints, Ints]:
        """The archive's articles (n and its claims), in the order of their dates: articles
        0, 1, 2… until they hold `claims`, the last one cut to fit."""
        if claims <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        drawn = claims // 4 + 16  # more than enough articles, at about five claims each
        counts, days = self.outline(np.arange(drawn))
        while (total := np.cumsum(counts))[-1] < claims:
            drawn *= 2
            counts, days = self.outline(np.arange(drawn))
        last = int(np.searchsorted(total, claims))
        counts, days = counts[: last + 1], days[: last + 1]
        counts[-1] -= total[last] - claims
        order = np.lexsort((np.arange(last + 1), days))
        return order, counts[order]

    def draw(self, ns: Ints, counts: Ints) -> Drawn:
        """Articles `ns`, with `counts` claims each (fewer than drawn cuts an article short)."""
        seed = self.seed
        u = uniform(seed, ns[:, None], np.arange(4, 7)[None, :])
        tongue = (u[:, 0] >= ARABIC_SHARE).astype(np.int64)
        _, published = self.outline(ns)
        first = np.cumsum(counts) - counts
        article = np.repeat(np.arange(len(ns)), counts)
        place = np.arange(len(article)) - first[article]  # the claim's place in its article
        slots = 8 + place[:, None] * self.SLOTS + np.arange(19)[None, :]
        c = uniform(seed, ns[article][:, None], slots)
        t = tongue[article]
        voice, stance, bases = self.voice(c[:, 0]), STANCE(c[:, 1]), BASE(c[:, 2])
        rare = np.where(c[:, 6] < 0.02, 1 + pick(c[:, 7], RARE[t]), 0)
        quote = self.quotes.number(
            t, pick(c[:, 3], SUBJECTS[t]), stance, pick(c[:, 4], PREDICATES[t, stance]),
            bases, pick(c[:, 5], TIMES[t]), rare,
        )  # fmt: skip
        direct = (c[:, 8] < 0.3).astype(np.int64)
        lead = self.leads.number(t, direct, pick(c[:, 9], VERBS[t]), voice)
        filler = np.where(c[:, 10] < 0.6, 1 + pick(c[:, 11], FILLERS[t]), 0)
        close = self.closes.number(t, direct, filler)
        stated, precision = _stated(published[article], c[:, 12], c[:, 13])
        status = np.searchsorted(STATUS_SHARES, c[:, 14], side="right")
        edited = (status == 0) & (c[:, 15] < 0.04)
        other = pick(c[:, 16], len(STANCES) - 1)
        edited_from = np.where(edited, other + (other >= stance), -1)
        start, end, text = self._texts(first, counts, lead, quote, close)
        title = self.titles.number(tongue, pick(u[:, 2], TITLES[tongue]), voice[first])
        return Drawn(
            seed=seed, ns=ns, tongue=tongue, published=published,
            outlet=_outlets(tongue, pick(u[:, 1], OUTLETS[tongue])),
            title=title,
            title_text=self.titles.array()[title],
            text=text, first=first, counts=counts, article=article, voice=voice,
            stance=stance, bases=bases, quote=quote, lead=lead,
            summary=self.summaries.number(stance, voice, bases),
            start=start, end=end, direct=direct, stated=stated, precision=precision,
            status=status, edited_from=edited_from, via=VIA(c[:, 17]), tags=TAG_SET(c[:, 18]),
        )  # fmt: skip

    def _texts(
        self, first: Ints, counts: Ints, lead: Ints, quote: Ints, close: Ints
    ) -> tuple[Ints, Ints, Texts]:
        """Each claim's span in its article's text, and each article's text: a paragraph a
        claim (its lead, its quote and what closes it), the paragraphs apart by a blank line."""
        leads, quotes = self.leads.lengths()[lead], self.quotes.lengths()[quote]
        paragraphs = leads + quotes + self.closes.lengths()[close] + 2  # with the blank line
        before = np.cumsum(paragraphs) - paragraphs
        start = before - np.repeat(before[first], counts) + leads
        written = (
            self.leads.array()[lead] + self.quotes.array()[quote] + self.closes.array()[close]
        ).tolist()
        spans = zip(first.tolist(), counts.tolist(), strict=True)
        text = as_text(["\n\n".join(written[f : f + n]) for f, n in spans])
        return start, start + quotes, text

    def _quote(
        self, t: int, subject: int, stance: int, predicate: int, bases: int, time: int, rare: int
    ) -> str:
        tongue = TONGUES[t]
        place = words.PLACES[BASES[bases]][tongue.place]
        said = tongue.predicates[STANCES[stance]][predicate].format(place=place)
        quote = f"{tongue.subjects[subject]} {said}{tongue.times[time]}"
        return quote + tongue.rare_joint + tongue.rare[rare - 1] if rare else quote

    def _lead(self, t: int, direct: int, verb: int, voice: int) -> str:
        tongue = TONGUES[t]
        lead = tongue.quoted[0] if direct else tongue.reported
        return lead.format(verb=tongue.verbs[verb], name=tongue.name(self.voices[voice]))

    def _close(self, t: int, direct: int, filler: int) -> str:
        tongue = TONGUES[t]
        close = tongue.quoted[1] if direct else "."
        return close + " " + tongue.fillers[filler - 1] if filler else close

    def _summary(self, stance: int, voice: int, bases: int) -> str:
        summary = words.SUMMARIES_EN[STANCES[stance]]
        return summary.format(who=self.voices[voice].name_en, place=words.PLACES[BASES[bases]][1])

    def _title(self, t: int, title: int, voice: int) -> str:
        tongue = TONGUES[t]
        return tongue.titles[title].format(name=tongue.name(self.voices[voice]))


def _outlets(tongue: Ints, outlet: Ints) -> Texts:
    names = [TONGUES[t].outlets[o] for t, o in zip(tongue.tolist(), outlet.tolist(), strict=True)]
    return as_text(names)


def _stated(published: Ints, roll: Floats, back: Floats) -> tuple[Ints, Ints]:
    """When each claim was said, and how precisely that is known: mostly the day, a few days
    before its article at most; else its month or year (written as their first day), or not."""
    day = published - DAYS_BEFORE[pick(back, len(DAYS_BEFORE))]
    on = published.astype("datetime64[D]")
    month = on.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    year = on.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    precision = np.searchsorted(np.array([0.85, 0.92, 0.95]), roll, side="right")
    stated = np.choose(np.minimum(precision, 2), [day, month, year])
    return np.where(precision == UNKNOWN, 0, stated), precision


def as_text(values: Sequence[Any]) -> Texts:
    """A list as an object array (np.array would make an array of a list of tuples 2-D)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
