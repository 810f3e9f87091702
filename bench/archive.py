"""A realistic archive for benchmarks, made from a seed and bulk-loaded with COPY.

    python -m bench.archive [--claims 1000000] [--seed 7]

About five claims an article (so 1,000,000 claims over about 200,000 articles), Arabic and
English text made of real words, a few hundred speakers of whom a few speak most (Zipf: the
registry's Putin, Peskov, Lavrov… first), dates concentrated in 2024–2025 over a decade, tags,
via chains, statuses mostly verified, and a few claims an editor changed (with their revisions).
Articles are stored in the order of their dates, as an archive that grew day by day is: a
week's claims lie on a few hundred neighbouring pages, not scattered over the table.

Every row is checked with the rules of app/ingest/schema.py (the same functions, not copies)
before it is sent; the database's own constraints check it again, except the per-row span
trigger, which this loader switches off during the load because it has just applied the same
rule (`span_problem`). The search vector trigger is off too: the loader writes the vectors it
would compute, each distinct quote's, title's and summary's computed by PostgreSQL once
(bench/search_vectors.py), not once per claim. Articles are keyed (`bench-<seed>-<n>`): an
article already stored is skipped with its claims, so loading the same archive again changes no
row.
"""

import argparse
import bisect
import functools
import gc
import hashlib
import itertools
import json
import math
import multiprocessing.util
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any, Generic, TypeVar

import psutil  # type: ignore[import-untyped]
import psycopg
from sqlalchemy import select

from app.cli.common import open_sessionmaker
from app.db import migrate
from app.extract.search_text import search_text
from app.ingest.actors import load_registry
from app.ingest.files import read_document
from app.ingest.names import slugify
from app.ingest.records import record_from_input
from app.ingest.schema import (
    ArticleIn,
    ClaimIn,
    RegistryDocument,
    Speaker,
    claim_problem,
    span_problem,
)
from app.models import Actor
from app.models.vocab import ClaimStatus, MilitaryBase, Precision, Stance
from bench import words
from bench.cpu import embedded_postmaster, tree_seconds
from bench.search_vectors import SearchVectors
from bench.server import database_url, libpq_url

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "seeds" / "actors.json"
GENERATED_SPEAKERS = 300
BATCH_ARTICLES = 5_000
EDITOR = "bench-editor"
EXTRACTOR = "bench-extractor/1"

STANCES = [s.value for s in Stance]
STANCE_WEIGHTS = [30, 12, 14, 22, 14, 8]
BASES: list[tuple[str, ...]] = [("hmeimim",), ("tartus",), ("hmeimim", "tartus"), ()]
BASE_WEIGHTS = [30, 30, 30, 10]
CLAIMS_PER_ARTICLE = list(range(1, 11))
CLAIMS_WEIGHTS = [8, 12, 15, 16, 14, 11, 9, 7, 5, 3]  # mean ≈ 5
DECADE_START, RECENT_START, END = date(2016, 1, 1), date(2024, 1, 1), date(2025, 12, 31)
VALID = {
    "stance": {s.value for s in Stance},
    "status": {s.value for s in ClaimStatus},
    "precision": {p.value for p in Precision},
    "bases": {b.value for b in MilitaryBase},
}
NULL = "\\N"
COPY_ESCAPES = [("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")]
ENCODED_ESCAPES = [(char.encode(), escaped.encode()) for char, escaped in COPY_ESCAPES]


class ArchiveError(Exception):
    """A generated row broke a rule of the format: a bug in the generator, never loaded."""


@dataclass(frozen=True)
class Voice:
    """A speaker as the generator uses them: the actor's id and the names articles write."""

    actor_id: int
    slug: str
    name_ar: str
    name_en: str
    role: str | None
    affiliation: str | None


@dataclass
class Row:
    """One generated claim, in the loader's vocabulary."""

    voice: Voice
    speaker_name: str
    via: tuple[str, ...]
    quote: str
    start: int
    end: int
    direct: bool
    stated_on: date | None
    precision: str
    bases: tuple[str, ...]
    stance: str
    summary_en: str
    status: str
    tags: tuple[str, ...]
    edited_from: str | None = None
    """The stance the loader stored before an editor changed it (version 2), if one did."""


@dataclass
class GeneratedArticle:
    key: str
    url: str
    outlet: str
    title: str
    language: str
    published_on: date
    text: str
    claims: list[Row]


Numbered = tuple[int, int, GeneratedArticle]
"""An article with the ids reserved for it and for its first claim."""


@dataclass
class LoadReport:
    postmaster: psutil.Process | None = None
    """PostgreSQL's postmaster when it runs on this machine (`embedded_postmaster`)."""
    articles_added: int = 0
    articles_skipped: int = 0
    claims_added: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    """Each phase's own seconds, in the order they ran."""
    cpu: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    """Each phase's CPU seconds: the loader's processes (Python), and PostgreSQL's (None when
    it runs elsewhere). Over two cores, they say which side a phase's time went to."""
    started: float = field(default_factory=time.perf_counter)
    read: tuple[float, float] = field(init=False)

    def __post_init__(self) -> None:
        self.read = self._cpu_now()

    def _cpu_now(self) -> tuple[float, float]:
        """CPU seconds so far: this process with its workers, and PostgreSQL (0 if elsewhere)."""
        database = tree_seconds(self.postmaster) if self.postmaster else 0.0
        return tree_seconds(psutil.Process()), database

    def done(self, phase: str) -> None:
        """Record `phase` as ending now, having begun where the phase before it ended."""
        self.phases[phase] = time.perf_counter() - self.started - self.seconds
        before, self.read = self.read, self._cpu_now()
        python, database = (now - then for now, then in zip(self.read, before, strict=True))
        self.cpu[phase] = python, database if self.postmaster else None

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())

    def breakdown(self) -> str:
        """`speakers, ids, dates 2.0 s; generate, check, copy 34.3 s (CPU: Python 30.1 s,
        PostgreSQL 27.9 s); …`"""
        return "; ".join(f"{name} {s:.1f} s ({self._cpu(name)})" for name, s in self.phases.items())

    def _cpu(self, phase: str) -> str:
        python, database = self.cpu[phase]
        spent = f"CPU: Python {python:.1f} s"
        return spent if database is None else f"{spent}, PostgreSQL {database:.1f} s"

    def summary(self) -> str:
        return (
            f"articles: {self.articles_added} added, {self.articles_skipped} already there; "
            f"claims: {self.claims_added} added in {self.seconds:.1f} s ({self.breakdown()})"
        )


# --- speakers ---------------------------------------------------------------------------------


def generated_registry(seed: int, count: int = GENERATED_SPEAKERS) -> RegistryDocument:
    """Speakers beyond the seed registry: Arabic and Latin forms of the same invented names."""
    rng = random.Random(seed)
    names = list(itertools.product(words.GIVEN, words.FAMILY))
    rng.shuffle(names)
    actors = []
    for (given_ar, given_en), (family_ar, family_en) in names[:count]:
        side, role = rng.choice(words.ROLES)
        name_en = f"{given_en} {family_en}"
        actors.append(
            {
                "slug": f"bench-{slugify(name_en)}",
                "kind": "person",
                "name_ar": f"{given_ar} {family_ar}",
                "name_en": name_en,
                "role": role,
                "affiliation": side,
            }
        )
    return RegistryDocument.model_validate({"format": "actor-registry/1", "actors": actors})


def load_speakers(url: str, seed: int) -> list[Voice]:
    """Upsert the seed registry and the generated speakers; the registry first, in Zipf order."""
    registry = read_document(REGISTRY, max_bytes=10_000_000)
    assert isinstance(registry, RegistryDocument)
    extra = generated_registry(seed)
    with open_sessionmaker(url) as maker, maker.begin() as session:
        load_registry(session, registry)
        load_registry(session, extra)
        ids = {row.slug: row.id for row in session.execute(select(Actor.slug, Actor.id))}
    voices = []
    for entry in [*registry.actors, *extra.actors]:
        Speaker(  # the file format's rules for a speaker, once per actor
            name=entry.name_ar,
            name_en=entry.name_en,
            kind=entry.kind,
            role=entry.role,
            affiliation=entry.affiliation,
        )
        voices.append(
            Voice(
                ids[entry.slug],
                entry.slug,
                entry.name_ar,
                entry.name_en,
                entry.role,
                entry.affiliation,
            )
        )
    return voices


# --- generation -------------------------------------------------------------------------------


T = TypeVar("T")


class Weighted(Generic[T]):
    """Draws one item by weight: a bisection, cheaper than `random.choices` per call."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items, self.cum = list(items), list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


@dataclass(frozen=True)
class Tongue:
    """The phrases of one language, so that one code path writes Arabic and English articles."""

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


ARABIC = Tongue(
    words.SUBJECTS_AR, words.PREDICATES_AR, words.TIMES_AR, words.RARE_AR, " وفي ",
    words.VERBS_AR, "{verb} {name} أن ", ("{verb} {name}: «", "»."), words.FILLER_AR,
    words.TITLES_AR, words.OUTLETS_AR, 0,
)  # fmt: skip
ENGLISH = Tongue(
    words.SUBJECTS_EN, words.PREDICATES_EN, words.TIMES_EN, words.RARE_EN, " and in ",
    words.VERBS_EN, "{name} {verb} that ", ('{name} {verb}: "', '".'), words.FILLER_EN,
    words.TITLES_EN, words.OUTLETS_EN, 1,
)  # fmt: skip
STANCE = Weighted(STANCES, STANCE_WEIGHTS)
BASE = Weighted(BASES, BASE_WEIGHTS)
CLAIM_COUNT = Weighted(CLAIMS_PER_ARTICLE, CLAIMS_WEIGHTS)
TAG_SETS = Weighted(
    *zip(
        *(
            (tags, share / math.comb(len(words.TAGS), count))
            for count, share in ((0, 40), (1, 35), (2, 20), (3, 5))
            for tags in itertools.combinations(words.TAGS, count)
        ),
        strict=True,
    )
)
"""A claim's tags: none, one, two or three, each set as likely as another of its size (one
draw: `random.sample` cost more than the rest of a claim's draws together)."""
VIA = Weighted(
    [(), *((a,) for a in words.AGENCIES), *itertools.permutations(words.AGENCIES[:4], 2)],
    [62, *[3] * len(words.AGENCIES), *[1] * 12],
)


class Generator:
    """Article `n` of a seed depends only on (seed, n): the same archive every time."""

    def __init__(self, seed: int, voices: Sequence[Voice]) -> None:
        self.seed = seed
        self.voice = Weighted(voices, [1 / rank**1.1 for rank in range(1, len(voices) + 1)])

    def rng(self, n: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + n)

    def outline(self, n: int) -> tuple[int, date]:
        """How many claims article `n` has, and its date, without writing it."""
        rng = self.rng(n)
        count, _ = CLAIM_COUNT(rng), rng.random()  # the second draw picks its language
        return count, _published_on(rng)

    def article(self, n: int, claims: int | None = None) -> GeneratedArticle:
        rng = self.rng(n)
        count = CLAIM_COUNT(rng)  # drawn in the order `outline` reads them
        tongue = ARABIC if rng.random() < 0.75 else ENGLISH
        published = _published_on(rng)
        paragraphs: list[str] = []
        rows: list[Row] = []
        offset = 0
        for _ in range(claims or count):
            row, lead, tail = self._claim(rng, tongue, published)
            row.start, row.end = offset + len(lead), offset + len(lead) + len(row.quote)
            paragraph = lead + row.quote + tail
            paragraphs.append(paragraph)
            rows.append(row)
            offset += len(paragraph) + 2
        language = "ar" if tongue is ARABIC else "en"
        return GeneratedArticle(
            key=f"bench-{self.seed}-{n:07d}",
            url=f"https://example.org/{language}/{published.year}/{n}",
            outlet=_pick(rng, tongue.outlets),
            title=_pick(rng, tongue.titles).format(name=rows[0].speaker_name),
            language=language,
            published_on=published,
            text="\n\n".join(paragraphs),
            claims=rows,
        )

    def _claim(self, rng: random.Random, tongue: Tongue, published: date) -> tuple[Row, str, str]:
        voice, stance, bases = self.voice(rng), STANCE(rng), BASE(rng)
        place = words.PLACES[bases][tongue.place]
        name = voice.name_en if tongue is ENGLISH else voice.name_ar
        predicate = _filled(_pick(rng, tongue.predicates[stance]), place=place)
        quote = f"{_pick(rng, tongue.subjects)} {predicate}{_pick(rng, tongue.times)}"
        if rng.random() < 0.02:
            quote += tongue.rare_joint + _pick(rng, tongue.rare)
        direct = rng.random() < 0.3
        lead, close = tongue.quoted if direct else (tongue.reported, ".")
        lead = _filled(lead, verb=_pick(rng, tongue.verbs), name=name)
        if rng.random() < 0.6:
            close += " " + _pick(rng, tongue.fillers)
        stated_on, precision = _stated_on(rng, published)
        roll = rng.random()
        status = "verified" if roll < 0.90 else "extracted" if roll < 0.97 else "rejected"
        edited = status == "verified" and rng.random() < 0.04
        via, tags = VIA(rng), TAG_SETS(rng)
        row = Row(
            voice=voice,
            speaker_name=name,
            via=via,
            quote=quote,
            start=0,
            end=0,
            direct=direct,
            stated_on=stated_on,
            precision=precision,
            bases=bases,
            stance=stance,
            summary_en=_filled(
                words.SUMMARIES_EN[stance], who=voice.name_en, place=words.PLACES[bases][1]
            ),
            status=status,
            tags=tags,
            edited_from=_pick(rng, [s for s in STANCES if s != stance]) if edited else None,
        )
        return row, lead, close


@functools.cache
def _filled(template: str, **values: str) -> str:
    """`template` filled in once per set of values: most of a claim's phrases repeat."""
    return template.format(**values)


def _published_on(rng: random.Random) -> date:
    """Most articles from 2024–2025, the rest spread over the decade before."""
    if rng.random() < 0.85:
        span = (END - RECENT_START).days
        return RECENT_START + timedelta(days=int(span * rng.random() ** 0.7))
    return DECADE_START + timedelta(days=rng.randrange((RECENT_START - DECADE_START).days))


def _stated_on(rng: random.Random, published: date) -> tuple[date | None, str]:
    roll = rng.random()
    if roll < 0.85:
        return published - timedelta(days=_pick(rng, (0, 0, 0, 1, 1, 2, 3))), "day"
    if roll < 0.92:
        return published.replace(day=1), "month"
    if roll < 0.95:
        return published.replace(month=1, day=1), "year"
    return None, "unknown"


# --- validation: the format's rules, applied without a pydantic model per claim ---------------


def validate(article: GeneratedArticle) -> None:
    """Raise ArchiveError naming the article and the claim field that breaks a rule."""
    try:
        ArticleIn(
            key=article.key,
            url=article.url,
            outlet=article.outlet,
            title=article.title,
            language=article.language,
            published_on=article.published_on,
            text=article.text,
        )
    except ValueError as error:
        raise ArchiveError(f"{article.key}: {error}") from None
    for i, row in enumerate(article.claims):
        problem = (
            span_problem(article.text, row.start, row.end, row.quote)
            or claim_problem(row.start, row.end, row.stated_on, row.precision, row.bases)
            or _vocabulary_problem(row)
        )
        if problem:
            raise ArchiveError(f"{article.key}: claims[{i}].{problem}")


def _vocabulary_problem(row: Row) -> str | None:
    if not row.quote:
        return "quote: is empty"
    for name, value in (
        ("stance", row.stance),
        ("status", row.status),
        ("precision", row.precision),
    ):
        if value not in VALID[name]:
            return f"{name}: {value!r} is not in the vocabulary"
    if not VALID["bases"].issuperset(row.bases):
        return f"bases: {row.bases!r} names an unknown base"
    return None


# --- COPY rows --------------------------------------------------------------------------------


ARTICLE_COLUMNS = "id, key, url, outlet_id, title, language, published_on, text, content_hash"
CLAIM_COLUMNS = (
    "id, article_id, speaker_id, speaker_name, speaker_role, speaker_affiliation, via, quote,"
    " span_start, span_end, direct, stated_on, stated_on_precision, bases, stance, summary_en,"
    " summary_machine, status, origin, extractor, version, language, search_text, search_vector"
)
REVISION_COLUMNS = "claim_id, version, source, user_id, field, old_value, new_value, note"
COLUMNS = {
    "articles": ARTICLE_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "claim_tags": "claim_id, tag_id",
    "revisions": REVISION_COLUMNS,
}


STATUS_FIELDS = {
    (status.value, edited): "\t".join(
        (
            "t" if status == ClaimStatus.EXTRACTED else "f",  # summary_machine
            status.value,
            "extractor" if status == ClaimStatus.EXTRACTED else "loader",  # origin
            EXTRACTOR if status == ClaimStatus.EXTRACTED else NULL,
            "2" if edited else "1",  # version: an editor's change made the second
            "",  # the tab that ends the field
        )
    ).encode()
    for status in ClaimStatus
    for edited in (False, True)
}
"""The fields a claim's status decides, from summary_machine to version, by (status, edited)."""


def _vocabulary() -> Iterator[str]:
    """Every text in bench/words.py."""
    pending: list[object] = [getattr(words, name) for name in dir(words) if name.isupper()]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple):
            pending += item


def _check_copy_safe(values: Iterable[str | None], where: str) -> None:
    for value in values:
        if value and any(char in value for char, _ in COPY_ESCAPES):
            raise ArchiveError(f"{where}: {value!r} holds a character COPY's text format escapes")


def _escaped(value: bytes) -> bytes:
    """An encoded value in COPY's text format (bytes.replace is C-fast; translate() with a dict
    is not)."""
    for char, escaped in ENCODED_ESCAPES:
        if char in value:
            value = value.replace(char, escaped)
    return value


def _array(values: Sequence[str]) -> str:
    return "{" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


@dataclass
class Batch:
    """COPY lines for a few thousand articles, sent together."""

    articles: list[bytes] = field(default_factory=list)
    claims: list[bytes] = field(default_factory=list)
    """The claims' lines in pieces, joined once for the batch: a line joined on its own, then
    again with the others, cost a claim more than all of its parts."""
    tags: list[bytes] = field(default_factory=list)
    revisions: list[bytes] = field(default_factory=list)

    def encoded(self) -> dict[str, bytes]:
        """Each table's COPY data, as sent: made here, in the worker, it crosses to the sending
        process as bytes, which cost no unpickling."""
        tables = {
            "articles": self.articles,
            "claims": self.claims,
            "claim_tags": self.tags,
            "revisions": self.revisions,
        }
        return {table: b"".join(lines) for table, lines in tables.items()}


class Fields(dict[Any, bytes]):
    """Values as COPY's text format writes them, each followed by the tab that ends its field
    and encoded once: most of a claim's parts repeat (summaries, dates, arrays, search texts…)."""

    def __missing__(self, value: Any) -> bytes:
        if value is None:
            text = NULL
        elif isinstance(value, tuple):
            text = _array(value)
        else:
            text = str(value)
        self[value] = text.encode() + b"\t"
        return self[value]


class Rows:
    """Turns generated articles into COPY lines, numbered with the ids reserved for them."""

    def __init__(self, ids: dict[str, int], voices: Sequence[Voice]) -> None:
        # Every text but an article's is made of the vocabulary's words and the speakers' names,
        # so it is written to COPY as it is once these are found free of what COPY escapes.
        _check_copy_safe(_vocabulary(), "bench/words.py")
        for voice in voices:
            names = (voice.name_ar, voice.name_en, voice.role, voice.affiliation)
            _check_copy_safe(names, f"speaker {voice.slug}")
        self.ids = ids  # outlet:<name>, tag:<name>, editor
        self.speakers = {
            (voice.actor_id, name): f"{voice.actor_id}\t{name}\t{voice.role or NULL}\t"
            f"{voice.affiliation or NULL}\t".encode()
            for voice in voices
            for name in (voice.name_ar, voice.name_en)
        }
        """A claim's speaker fields, by actor and the name the article writes."""
        self.tags = {
            name[len("tag:") :]: f"\t{id_}\n".encode()
            for name, id_ in ids.items()
            if name.startswith("tag:")
        }
        """A claim_tags line's end, by tag."""
        self.fields = Fields()
        self.search_texts: dict[str, str] = {}
        self.vectors = SearchVectors()

    def batch(self, conn: psycopg.Connection[Any], articles: list[Numbered]) -> Batch:
        """The COPY lines of `articles`, whose parts' search vectors are learnt first."""
        claims = [c for _, _, a in articles for c in a.claims]
        texts = {self._searched(a.title) for _, _, a in articles}
        self.vectors.learn(conn, "arabic", texts | {self._searched(c.quote) for c in claims})
        self.vectors.learn(conn, "english", {c.summary_en for c in claims})
        batch = Batch()
        for article_id, claim_id, article in articles:
            self.add(batch, article_id, claim_id, article)
        return batch

    def add(self, batch: Batch, article_id: int, claim_id: int, article: GeneratedArticle) -> None:
        """The article as `article_id` and its claims as `claim_id` and the ids after it (the
        search vectors of their parts already learnt: `batch`)."""
        text = article.text.encode()
        digest = hashlib.sha256(f"{article.key}\n".encode() + text).hexdigest()
        batch.articles.append(
            f"{article_id}\t{article.key}\t{article.url}\t{self.ids['outlet:' + article.outlet]}\t"
            f"{article.title}\t{article.language}\t{article.published_on}\t".encode()
            + _escaped(text)  # its paragraphs are apart by line breaks
            + f"\t{digest}\n".encode()
        )
        title = self._searched(article.title)
        # The loader's `search_text(quote, title)` is the two texts' own, joined: quotes and
        # titles repeat, so each is worked out once (tests/bench checks the join).
        language, searched_title = self.fields[article.language], b" " + self.fields[title]
        for n, row in enumerate(article.claims):
            quote = self._searched(row.quote)
            self._claim(batch, article_id, claim_id + n, row)
            batch.claims += (
                language,
                self.fields[quote][:-1],  # the quote's search words, then the title's
                searched_title,
                *self.vectors.pieces(quote, title, row.summary_en),
                b"\n",
            )

    def _searched(self, text: str) -> str:
        if text not in self.search_texts:
            self.search_texts[text] = search_text(text)
        return self.search_texts[text]

    def _claim(self, batch: Batch, article_id: int, claim_id: int, row: Row) -> None:
        """The claim's line up to its last three fields (its article's language, search text
        and vector: `add`), its tags and revisions."""
        fields, number = self.fields, b"%d" % claim_id
        batch.claims += (
            b"%d\t%d\t" % (claim_id, article_id),
            self.speakers[row.voice.actor_id, row.speaker_name],
            fields[row.via],
            fields[row.quote],
            b"%d\t%d\tt\t" % (row.start, row.end) if row.direct else
            b"%d\t%d\tf\t" % (row.start, row.end),
            fields[row.stated_on],
            fields[row.precision],
            fields[row.bases],
            fields[row.stance],
            fields[row.summary_en],
            STATUS_FIELDS[row.status, row.edited_from is not None],
        )  # fmt: skip
        batch.tags.extend(number + self.tags[tag] for tag in row.tags)
        if row.edited_from:
            batch.revisions.extend(self._revisions(claim_id, row))

    def _revisions(self, claim_id: int, row: Row) -> list[bytes]:
        """As the loader would have written it (the stance it first had), then the editor's change."""
        assert row.edited_from is not None
        created = record_from_input(_claim_in(row, row.edited_from), row.voice.slug)
        record = _escaped(json.dumps(created, ensure_ascii=False).encode())
        return [
            f"{claim_id}\t1\tloader\t\\N\t*\t\\N\t".encode() + record + b"\t\\N\n",
            f"{claim_id}\t2\teditor\t{self.ids['editor']}\tstance\t"
            f'"{row.edited_from}"\t"{row.stance}"\t\\N\n'.encode(),
        ]


def _claim_in(row: Row, stance: str) -> ClaimIn:
    voice = row.voice
    return ClaimIn.model_validate(
        {
            "speaker": {
                "name": row.speaker_name,
                "name_en": voice.name_en,
                "kind": "person",
                "role": voice.role,
                "affiliation": voice.affiliation,
            },
            "via": list(row.via),
            "quote": row.quote,
            "start": row.start,
            "end": row.end,
            "direct": row.direct,
            "stated_on": row.stated_on,
            "stated_on_precision": row.precision,
            "bases": list(row.bases),
            "stance": stance,
            "summary_en": row.summary_en,
            "status": row.status,
            "tags": row.tags,
        }
    )


# --- loading ----------------------------------------------------------------------------------


WORKERS = 2
"""Generating processes. Part of the archive's definition (article n is drawn for worker
n % WORKERS's share: `_in_date_order`), so that it stays the same."""


@dataclass(frozen=True)
class Plan:
    """What every worker needs to generate its batches."""

    url: str
    seed: int
    voices: list[Voice]
    ids: dict[str, int]
    first_article: int
    first_claim: int
    order: list[tuple[int, int]]
    """Every article as (n, claims), in the order of their dates: stored so, as an archive
    that grew day by day is, with ids that grow with the dates."""
    stored: frozenset[str]
    """The keys of the archive's articles already stored, skipped with their claims."""


def load_archive(url: str, *, claims: int, seed: int = 7) -> LoadReport:
    """Generate the archive of `claims` claims and store whatever of it is not stored yet."""
    report = LoadReport(embedded_postmaster(url))
    restore_after_crash(url)
    voices = load_speakers(url, seed)
    generator = Generator(seed, voices)
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext('bench.archive'))")
        ids = _lookup_ids(conn)
        stored = _stored_key_set(conn, seed)
        order = _in_date_order(generator, claims)
        if len(stored) >= len(order):
            report.articles_skipped = len(stored)
            report.done("nothing to add")
            return report
        first_article, first_claim = _reserve_ids(conn, claims)
        conn.commit()
        plan = Plan(url, seed, voices, ids, first_article, first_claim, order, frozenset(stored))
        with bulk_mode(conn, url):
            report.done("speakers, ids, dates")
            frozen = _truncate_if_empty(conn)
            _copy_batches(conn, plan, report, frozen)
            conn.commit()
            report.done("generate, check, copy")
            if not frozen:
                # COPY FREEZE marked its pages all-visible, so that counting a date range reads
                # the timeline index alone (an index-only scan) from the first request. Rows
                # added beside others need VACUUM for that, run before the indexes are built so
                # that it vacuums no index (and sets the rows' hint bits before their scans).
                with psycopg.connect(libpq_url(url), autocommit=True) as maintenance:
                    maintenance.execute("VACUUM " + ", ".join(LOADED_TABLES))
                report.done("vacuum")
        report.done("indexes, keys")
        conn.autocommit = True
        conn.execute("ANALYZE " + ", ".join(LOADED_TABLES))
    report.done("analyze")
    return report


def _truncate_if_empty(conn: psycopg.Connection[Any]) -> bool:
    """Truncate the loaded tables, and every table that refers to them, when all are empty:
    PostgreSQL's fastest path ("Populating a Database"). Rows copied into a table truncated in
    the same transaction are written frozen (COPY FREEZE), and with `wal_level = minimal`
    (bench/server.py) without WAL. Whether this ran."""
    tables = [name for (name,) in conn.execute(REFERRING, [list(LOADED_TABLES)])]
    holding = " OR ".join(f"EXISTS (SELECT FROM {table})" for table in tables)
    [(any_rows,)] = conn.execute(f"SELECT {holding}")
    if any_rows:
        return False
    conn.execute("TRUNCATE " + ", ".join(tables))
    return True


REFERRING = """
WITH RECURSIVE referring(relation) AS (
    SELECT unnest(%s::text[])::regclass
    UNION
    SELECT c.conrelid::regclass FROM pg_constraint c JOIN referring r ON c.confrelid = r.relation
     WHERE c.contype = 'f'
)
SELECT relation::text FROM referring
"""


def _copy_batches(
    conn: psycopg.Connection[Any], plan: Plan, report: LoadReport, frozen: bool
) -> None:
    """The workers generate, check and write the COPY lines of batch after batch; this
    connection sends them, in one transaction, in the order of their dates."""
    places = range(0, len(plan.order), BATCH_ARTICLES)
    context = get_context("fork")
    with context.Pool(WORKERS, initializer=_start_worker, initargs=(plan,)) as pool:
        for batch, (added, skipped, claims) in pool.imap(_generate_batch, places):
            _send(conn, batch, frozen)
            report.articles_added += added
            report.articles_skipped += skipped
            report.claims_added += claims
        pool.close()
        pool.join()  # the workers' CPU counts in the report once they are reaped


class _Worker:
    """A generating process's state: its plan, caches and connection (for search vectors)."""

    plan: Plan
    generator: Generator
    rows: Rows
    conn: psycopg.Connection[Any]
    first_claims: list[int]


def _start_worker(plan: Plan) -> None:
    # A worker makes millions of short-lived objects and no reference cycle worth collecting,
    # and it exits when done: collection passes over its batches were pure overhead.
    gc.disable()
    _Worker.plan, _Worker.generator = plan, Generator(plan.seed, plan.voices)
    _Worker.rows = Rows(plan.ids, plan.voices)
    # It only asks for vectors: no transaction to hold open. Closed as the worker exits, which
    # the server would otherwise log as a client gone with an open transaction.
    _Worker.conn = psycopg.connect(libpq_url(plan.url), autocommit=True)
    multiprocessing.util.Finalize(None, _Worker.conn.close, exitpriority=0)
    counts = (count for _, count in plan.order)
    _Worker.first_claims = list(itertools.accumulate(counts, initial=plan.first_claim))


def _generate_batch(first: int) -> tuple[dict[str, bytes], tuple[int, int, int]]:
    """The COPY lines of the BATCH_ARTICLES articles from place `first` in date order, and
    (articles added, skipped, claims added)."""
    plan, pending = _Worker.plan, []
    skipped = claims = 0
    for place in range(first, min(first + BATCH_ARTICLES, len(plan.order))):
        n, count = plan.order[place]
        article = _Worker.generator.article(n, claims=count)
        if article.key in plan.stored:
            skipped += 1
            continue
        validate(article)
        pending.append((plan.first_article + place, _Worker.first_claims[place], article))
        claims += count
    batch = _Worker.rows.batch(_Worker.conn, pending).encoded()
    return batch, (len(pending), skipped, claims)


def _in_date_order(generator: Generator, claims: int) -> list[tuple[int, int]]:
    """The archive's articles as (n, claims), by date: each worker's share drawn from
    n = worker, worker + WORKERS, … until it holds its part of `claims`, the last one cut to fit.
    The shares are outlined side by side, as the workers will write them."""
    shares = [
        (generator, claims // WORKERS + (claims % WORKERS if worker == 0 else 0), worker)
        for worker in range(WORKERS)
    ]
    with get_context("fork").Pool(WORKERS) as pool:
        members = [m for share in pool.starmap(_outlined_share, shares) for m in share]
    return [(n, count) for _, n, count in sorted(members)]


def _outlined_share(generator: Generator, share: int, worker: int) -> list[tuple[date, int, int]]:
    """Worker `worker`'s articles as (published, n, claims), holding `share` claims in all."""
    members, total, n = [], 0, worker
    while total < share:
        count, published = generator.outline(n)
        count = min(count, share - total)
        members.append((published, n, count))
        total += count
        n += WORKERS
    return members


def expected_articles(generator: Generator, claims: int) -> int:
    return len(_in_date_order(generator, claims))


def _stored_key_set(conn: psycopg.Connection[Any], seed: int) -> set[str]:
    query = "SELECT key FROM articles WHERE key LIKE %s"
    return {key for (key,) in conn.execute(query, [f"bench-{seed}-%"])}


# --- bulk mode: PostgreSQL's "Populating a Database" recipe -----------------------------------
# Indexes and foreign keys are built once after the rows arrive instead of row by row (a GIN
# index on the search vector costs more per row than everything else together), and the
# per-row triggers whose work the loader has done are off. The statements that put them back
# are written to a file first, and replayed by the next load if this one is killed.

RESTORE_DIR = ROOT / "var" / "bench"
BULK_TABLES = ("claims", "claim_tags")
BULK_TRIGGERS = ("claims_span_matches", "claims_search_vector", "claims_language")
"""Per-row triggers whose work the loader has done itself: `span_problem`, `SearchVectors`, and
each claim's copy of its article's language. Dropped, not disabled: PostgreSQL copies into a
table with BEFORE ROW triggers, even disabled ones, row by row, and only its batched path lets
COPY FREEZE mark the pages all-visible."""
LOADED_TABLES = ("articles", "claims", "claim_tags", "revisions")
INDEX_BUILDERS = 2
"""Connections rebuilding the indexes side by side (one per core of the benchmark machine)."""


def _restore_file(url: str) -> Path:
    return RESTORE_DIR / f"restore-{hashlib.sha256(url.encode()).hexdigest()[:12]}.sql"


@contextmanager
def bulk_mode(conn: psycopg.Connection[Any], url: str) -> Iterator[None]:
    restore = _restore_file(url)
    statements = _restoring_statements(conn)
    restore.parent.mkdir(parents=True, exist_ok=True)
    restore.write_text(";\n".join(statements) + ";\n")
    for table in BULK_TABLES:
        for name in foreign_keys(conn, table):
            conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in secondary_indexes(conn, table):
            conn.execute(f"DROP INDEX {name}")
    for trigger in BULK_TRIGGERS:
        conn.execute(f"DROP TRIGGER {trigger} ON claims")
    conn.commit()
    try:
        yield
    finally:
        restore_after_crash(url)


def restore_after_crash(url: str) -> None:
    """Put back what an interrupted bulk load took away (nothing when there is no file)."""
    restore = _restore_file(url)
    if not restore.exists():
        return
    statements = [s for s in restore.read_text().split(";\n") if s]
    build_indexes(url, [s for s in statements if s.startswith("CREATE INDEX")])
    with psycopg.connect(libpq_url(url)) as conn:
        for statement in statements:
            if not statement.startswith("CREATE INDEX"):
                conn.execute(statement)
    restore.unlink()


def build_indexes(url: str, statements: list[str]) -> None:
    """Run the CREATE INDEX `statements` on INDEX_BUILDERS connections, each taking the next as
    it finishes one. The GIN indexes go first: the search vector's takes nearly as long as all
    the others together, so it is built beside them; started last, it ran alone on one core."""
    pending: SimpleQueue[str] = SimpleQueue()
    for statement in sorted(statements, key=lambda s: " USING gin " not in s):
        pending.put(statement)
    with ThreadPoolExecutor(INDEX_BUILDERS) as pool:
        for built in [pool.submit(_build_next, url, pending) for _ in range(INDEX_BUILDERS)]:
            built.result()


def _build_next(url: str, pending: SimpleQueue[str]) -> None:
    """Build the next index waiting, until none is left."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        # The builders keep the cores busy already: parallel workers of their own only added
        # the cost of sharing their sorts.
        conn.execute("SET max_parallel_maintenance_workers = 0")
        while True:
            try:
                statement = pending.get_nowait()
            except Empty:
                return
            conn.execute(statement)


def _restoring_statements(conn: psycopg.Connection[Any]) -> list[str]:
    """Idempotent DDL that restores the tables as the migrations made them."""
    statements = [_unless_there(definition) for definition in _triggers(conn, BULK_TRIGGERS)]
    for table in BULK_TABLES:
        for _, definition in secondary_indexes(conn, table):
            statements.append(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    for table in BULK_TABLES:
        for name, definition in foreign_keys(conn, table).items():
            statements.append(
                _unless_there(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            )
    return statements


def _unless_there(statement: str) -> str:
    """`statement`, creating something, made a no-op when it exists already."""
    return f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"


def _triggers(conn: psycopg.Connection[Any], names: Sequence[str]) -> list[str]:
    """The CREATE statements of the claims' triggers `names`."""
    rows = conn.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
        " WHERE tgrelid = 'claims'::regclass AND tgname = ANY(%s) ORDER BY tgname",
        [list(names)],
    )
    return [definition for (definition,) in rows]


def secondary_indexes(conn: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """The table's indexes that no constraint owns: (name, CREATE INDEX statement)."""
    return [
        (name, definition)
        for name, definition in conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = %s::regclass AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
    ]


def foreign_keys(conn: psycopg.Connection[Any], table: str) -> dict[str, str]:
    return dict(
        conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
    )


def _lookup_ids(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Outlets, tags and the editor who made the revisions: created if missing, by name."""
    outlets = words.OUTLETS_AR + words.OUTLETS_EN
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO outlets (name) VALUES (%s) ON CONFLICT DO NOTHING", [(o,) for o in outlets]
        )
        cur.executemany(
            "INSERT INTO tags (name) VALUES (%s) ON CONFLICT DO NOTHING", [(t,) for t in words.TAGS]
        )
        cur.execute(
            "INSERT INTO users (username, role) VALUES (%s, 'editor') ON CONFLICT DO NOTHING",
            [EDITOR],
        )
    ids = {f"outlet:{n}": i for i, n in conn.execute("SELECT id, name FROM outlets")}
    ids |= {f"tag:{n}": i for i, n in conn.execute("SELECT id, name FROM tags")}
    editor = conn.execute("SELECT id FROM users WHERE username = %s", [EDITOR]).fetchone()
    assert editor is not None
    ids["editor"] = editor[0]
    return ids


def _reserve_ids(conn: psycopg.Connection[Any], claims: int) -> tuple[int, int]:
    """Take the next ids of articles and claims for this load, so rows can refer to each other
    before they are sent. The lock keeps anyone else from inserting meanwhile."""
    conn.execute("LOCK TABLE articles, claims IN SHARE ROW EXCLUSIVE MODE")
    firsts = []
    for table, count in (("articles", claims), ("claims", claims)):
        seq = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()
        assert seq is not None
        top = conn.execute(
            f"SELECT greatest((SELECT last_value FROM {seq[0]}),"
            f" (SELECT coalesce(max(id), 0) FROM {table}))"
        ).fetchone()
        assert top is not None
        conn.execute("SELECT setval(%s, %s)", [seq[0], top[0] + count])
        firsts.append(top[0] + 1)
    return firsts[0], firsts[1]


def _send(conn: psycopg.Connection[Any], batch: dict[str, bytes], frozen: bool) -> None:
    options = " (FREEZE)" if frozen else ""
    with conn.cursor() as cur:
        for table, data in batch.items():
            if data:
                with cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN{options}") as copy:
                    copy.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = database_url()
    migrate.upgrade(url)
    print(load_archive(url, claims=args.claims, seed=args.seed).summary())


if __name__ == "__main__":
    main()
