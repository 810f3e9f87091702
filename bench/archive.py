"""A realistic archive for benchmarks, made from a seed and bulk-loaded with COPY.

    python -m bench.archive [--claims 1000000] [--seed 7]

About five claims an article (so 1,000,000 claims over about 200,000 articles), Arabic and
English text made of real words, a few hundred speakers of whom a few speak most (Zipf: the
registry's Putin, Peskov, Lavrov… first), dates concentrated in 2024–2025 over a decade, tags,
via chains, statuses mostly verified, and a few claims an editor changed (with their revisions).
Articles are stored in the order of their dates, as an archive that grew day by day is: a
week's claims lie on a few hundred neighbouring pages, not scattered over the table. They are
drawn a batch at a time as numpy arrays (bench/draws.py), and each claim's row, in COPY's binary
format (bench/binary_copy.py), is put together from pieces made once per distinct phrase.

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
import functools
import gc
import hashlib
import itertools
import json
import multiprocessing.util
import random
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any

import numpy as np
import psutil  # type: ignore[import-untyped]
import psycopg
from pydantic import TypeAdapter, ValidationError
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
from app.models.vocab import ClaimStatus
from bench import binary_copy, words
from bench.cpu import embedded_postmaster, tree_seconds
from bench.draws import (
    BASES,
    PRECISIONS,
    STANCES,
    STATUSES,
    TAG_SETS,
    TONGUES,
    VIAS,
    Drawn,
    Generator,
    Ints,
    Phrases,
    Texts,
    Voice,
    article_key,
    as_text,
)
from bench.search_vectors import Lexemes, SearchVectors
from bench.server import database_url, libpq_url

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "seeds" / "actors.json"
GENERATED_SPEAKERS = 300
BATCH_ARTICLES = 5_000
EDITOR = "bench-editor"
EXTRACTOR = "bench-extractor/1"


class ArchiveError(Exception):
    """A generated row broke a rule of the format: a bug in the generator, never loaded."""


ARTICLES = TypeAdapter(list[ArticleIn])
"""The format's rules for articles, applied to a batch in one call."""


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


# --- validation: the format's rules, applied to whole batches --------------------------------


def validate(drawn: Drawn, generator: Generator) -> None:
    """Raise ArchiveError naming the article, and the claim and field, that breaks a rule: the
    app's own rules (app/ingest/schema.py), for every article and every claim."""
    try:
        ARTICLES.validate_python(drawn.articles)
    except ValidationError as error:
        problem = error.errors()[0]
        a, field_name = problem["loc"][:2]
        raise ArchiveError(f"{drawn.key(int(a))}: {field_name}: {problem['msg']}") from None
    starts, ends = drawn.start.tolist(), drawn.end.tolist()
    spans = map(
        span_problem,
        drawn.text[drawn.article].tolist(),
        starts,
        ends,
        generator.quotes.array()[drawn.quote].tolist(),
    )
    claims = map(
        claim_problem,
        starts,
        ends,
        drawn.stated_dates,
        as_text(PRECISIONS)[drawn.precision].tolist(),
        as_text(BASES)[drawn.bases].tolist(),
    )
    for problems in (list(spans), list(claims)):
        if any(problems):
            i = next(i for i, problem in enumerate(problems) if problem)
            a = int(drawn.article[i])
            raise ArchiveError(f"{drawn.key(a)}: claims[{i - drawn.first[a]}].{problems[i]}")


ARTICLE_COLUMNS = "id, key, url, outlet_id, title, language, published_on, text, content_hash"
CLAIM_COLUMNS = (
    "id, article_id, speaker_id, speaker_name, speaker_role, speaker_affiliation, via, quote,"
    " span_start, span_end, direct, stated_on, stated_on_precision, bases, stance, summary_en,"
    " summary_machine, status, origin, extractor, version, language, search_text, search_vector,"
    " tag_ids"
)
REVISION_COLUMNS = "claim_id, version, source, user_id, field, old_value, new_value, note"
COLUMNS = {
    "articles": ARTICLE_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "claim_tags": "claim_id, tag_id",
    "revisions": REVISION_COLUMNS,
}
FIELD_COUNTS = {table: len(columns.split(",")).to_bytes(2) for table, columns in COLUMNS.items()}
"""What begins each row in COPY's binary format."""


STATUS_FIELDS = {
    (status.value, edited): b"".join(
        (
            binary_copy.boolean(status == ClaimStatus.EXTRACTED),  # summary_machine
            binary_copy.text(status.value),
            binary_copy.text("extractor" if status == ClaimStatus.EXTRACTED else "loader"),
            binary_copy.text(EXTRACTOR if status == ClaimStatus.EXTRACTED else None),
            binary_copy.int4(2 if edited else 1),  # version: an editor's change made the second
        )
    )
    for status in ClaimStatus
    for edited in (False, True)
}
"""The fields a claim's status decides, from summary_machine to version, by (status, edited)."""


class Fields(dict[Any, bytes]):
    """Values as binary COPY writes them, encoded once: most of a row's parts repeat (titles,
    outlets, summaries, dates, arrays…)."""

    def __missing__(self, value: int | str | date | tuple[str, ...] | None) -> bytes:
        self[value] = binary_copy.field(value)
        return self[value]


class Pieces:
    """COPY pieces of a kind of phrase (`Phrases`), by its number: the phrase as a field, its
    search words and their length, and the lexemes of its search vector, made once a phrase as
    new phrases come."""

    def __init__(self, phrases: Phrases, config: str, *, searched: bool) -> None:
        self.phrases, self.config, self.searched = phrases, config, searched
        self.field, self.words = as_text([]), as_text([])
        self.sizes = np.zeros(0, np.int64)
        self.lexemes = Lexemes.of_none()

    def learn(self, conn: psycopg.Connection[Any], rows: "Rows") -> None:
        """The pieces of the phrases made since the last call."""
        new = self.phrases.texts[len(self.field) :]
        if not new:
            return
        words = [rows.searched(text) for text in new] if self.searched else new
        rows.vectors.learn(conn, self.config, words)
        encoded = [text.encode() for text in words]
        self.field = np.concatenate([self.field, as_text([rows.fields[text] for text in new])])
        self.words = np.concatenate([self.words, as_text(encoded)])
        self.sizes = np.concatenate([self.sizes, np.fromiter(map(len, encoded), np.int64)])
        self.lexemes = self.lexemes.then(rows.vectors.table(self.config, words))


class Rows:
    """Turns drawn articles into COPY rows, numbered with the ids reserved for them."""

    def __init__(self, ids: dict[str, int], generator: Generator) -> None:
        self.ids = ids  # outlet:<name>, tag:<name>, editor
        self.generator = generator
        self.speakers = as_text(
            [
                binary_copy.int4(voice.actor_id)
                + binary_copy.text(tongue.name(voice))
                + binary_copy.text(voice.role)
                + binary_copy.text(voice.affiliation)
                for voice in generator.voices
                for tongue in TONGUES
            ]
        )
        """A claim's speaker fields, by voice * 2 + tongue (the name the article writes)."""
        self.tag_table = np.zeros((len(TAG_SETS), 3), np.int64)
        """The ids of each tag set's tags, by tag set and place in it (0 past its last)."""
        for place, tags in enumerate(TAG_SETS):
            self.tag_table[place, : len(tags)] = [ids["tag:" + tag] for tag in tags]
        self.tag_counts = np.array([len(tags) for tags in TAG_SETS])
        self.tag_ids = as_text(
            [binary_copy.int4_array(sorted(ids["tag:" + tag] for tag in tags)) for tags in TAG_SETS]
        )
        """A claim's last field: the ids of its tag set, as the triggers on claim_tags write
        them."""
        self.fields = Fields()
        self.search_texts: dict[str, str] = {}
        self.vectors = SearchVectors()
        self.quotes = Pieces(generator.quotes, "arabic", searched=True)
        self.titles = Pieces(generator.titles, "arabic", searched=True)
        self.summaries = Pieces(generator.summaries, "english", searched=False)
        self.statics = {
            name: as_text([self.fields[value] for value in values])
            for name, values in (
                ("via", VIAS), ("precision", PRECISIONS), ("bases", BASES), ("stance", STANCES),
                ("language", [tongue.code for tongue in TONGUES]),
            )
        }  # fmt: skip
        self.status = as_text(
            [STATUS_FIELDS[status, edited] for status in STATUSES for edited in (False, True)]
        )

    def searched(self, text: str) -> str:
        if text not in self.search_texts:
            self.search_texts[text] = search_text(text)
        return self.search_texts[text]

    def batch(
        self, conn: psycopg.Connection[Any], drawn: Drawn, article_ids: Ints, first_claims: Ints
    ) -> dict[str, bytes]:
        """Each table's COPY data for `drawn`: its articles as `article_ids`, and each article's
        claims numbered from its entry of `first_claims`."""
        for pieces in (self.quotes, self.titles, self.summaries):
            pieces.learn(conn, self)
        claim_ids = (
            first_claims[drawn.article]
            + np.arange(len(drawn.article))
            - np.repeat(drawn.first, drawn.counts)
        )
        return {
            "articles": b"".join(self._articles(drawn, article_ids)),
            "claims": b"".join(self._claims(drawn, article_ids, claim_ids)),
            "claim_tags": b"".join(self._tags(drawn, claim_ids)),
            "revisions": b"".join(self._revisions(drawn, claim_ids)),
        }

    def _articles(self, drawn: Drawn, article_ids: Ints) -> list[bytes]:
        rows, fields = [], self.fields
        for article_id, article in zip(article_ids.tolist(), drawn.articles, strict=True):
            key, text = article["key"], article["text"].encode()
            digest = hashlib.sha256(f"{key}\n".encode() + text).hexdigest()
            rows += [
                FIELD_COUNTS["articles"],
                binary_copy.int4(article_id),
                binary_copy.text(key),
                binary_copy.text(article["url"]),
                fields[self.ids["outlet:" + article["outlet"]]],
                fields[article["title"]],
                fields[article["language"]],
                fields[article["published_on"]],
                binary_copy.sized(text),
                binary_copy.text(digest),
            ]
        return rows

    def _claims(self, drawn: Drawn, article_ids: Ints, claim_ids: Ints) -> list[bytes]:
        """Every claim's row, as its pieces: a few a field, most made once a distinct value."""
        article, statics = drawn.article, self.statics
        title, quote, summary = drawn.title[article], drawn.quote, drawn.summary
        fields = [
            FIELD_COUNTS["claims"],
            binary_copy.int4_fields(claim_ids, article_ids[article]),
            self.speakers[drawn.voice * 2 + drawn.tongue[article]],
            statics["via"][drawn.via],
            self.quotes.field[quote],
            binary_copy.int4_fields(drawn.start, drawn.end),
            DIRECT[drawn.direct],
            self._dates(drawn),
            statics["precision"][drawn.precision],
            statics["bases"][drawn.bases],
            statics["stance"][drawn.stance],
            self.summaries.field[summary],
            self.status[drawn.status * 2 + (drawn.edited_from >= 0)],
            statics["language"][drawn.tongue[article]],
            # The loader's `search_text(quote, title)` is the two texts' own, joined: quotes and
            # titles repeat, so each is worked out once (tests/bench checks the join).
            binary_copy.words(self.quotes.sizes[quote] + 1 + self.titles.sizes[title]),
            self.quotes.words[quote],
            b" ",
            self.titles.words[title],
        ]
        heads, lexemes, counts = self.vectors.fields(
            [
                (self.quotes.lexemes, quote),
                (self.titles.lexemes, title),
                (self.summaries.lexemes, summary),
            ]
        )
        fields.append(heads)
        return binary_copy.interleave(fields, lexemes, counts, [self.tag_ids[drawn.tags]])

    def _dates(self, drawn: Drawn) -> Texts:
        return as_text([self.fields[day] for day in drawn.stated_dates])

    def _tags(self, drawn: Drawn, claim_ids: Ints) -> list[bytes]:
        counts = self.tag_counts[drawn.tags]
        tag_ids = self.tag_table[drawn.tags][np.arange(3)[None, :] < counts[:, None]]
        rows = binary_copy.int4_fields(np.repeat(claim_ids, counts), tag_ids)
        return (FIELD_COUNTS["claim_tags"] + rows).tolist()  # type: ignore[no-any-return]

    def _revisions(self, drawn: Drawn, claim_ids: Ints) -> list[bytes]:
        """As the loader would have written each edited claim (the stance it first had), then
        the editor's change."""
        rows: list[bytes] = []
        for i in np.flatnonzero(drawn.edited_from >= 0).tolist():
            first, now = STANCES[drawn.edited_from[i]], STANCES[drawn.stance[i]]
            voice = self.generator.voices[drawn.voice[i]]
            created = record_from_input(self._claim_in(drawn, i, first), voice.slug)
            claim_id = binary_copy.int4(int(claim_ids[i]))
            rows += [
                FIELD_COUNTS["revisions"], claim_id, binary_copy.int4(1), binary_copy.text("loader"),
                binary_copy.NULL, binary_copy.text("*"), binary_copy.NULL,
                binary_copy.jsonb(json.dumps(created, ensure_ascii=False)), binary_copy.NULL,
                FIELD_COUNTS["revisions"], claim_id, binary_copy.int4(2), binary_copy.text("editor"),
                binary_copy.int4(self.ids["editor"]), binary_copy.text("stance"),
                binary_copy.jsonb(json.dumps(first)), binary_copy.jsonb(json.dumps(now)),
                binary_copy.NULL,
            ]  # fmt: skip
        return rows

    @functools.cache  # noqa: B019 (one Rows a process, kept to its end)
    def _speaker(self, voice: int, tongue: int) -> Speaker:
        """A speaker as a claim of the format names them, checked once."""
        speaking = self.generator.voices[voice]
        return Speaker(
            name=TONGUES[tongue].name(speaking),
            name_en=speaking.name_en,
            kind="person",
            role=speaking.role,
            affiliation=speaking.affiliation,
        )

    def _claim_in(self, drawn: Drawn, i: int, stance: str) -> ClaimIn:
        a, generator = drawn.article[i], self.generator
        return ClaimIn.model_validate(
            {
                "speaker": self._speaker(drawn.voice[i], drawn.tongue[a]),
                "via": list(VIAS[drawn.via[i]]),
                "quote": generator.quotes.texts[drawn.quote[i]],
                "start": int(drawn.start[i]),
                "end": int(drawn.end[i]),
                "direct": bool(drawn.direct[i]),
                "stated_on": drawn.stated_dates[i],
                "stated_on_precision": PRECISIONS[drawn.precision[i]],
                "bases": list(BASES[drawn.bases[i]]),
                "stance": stance,
                "summary_en": generator.summaries.texts[drawn.summary[i]],
                "status": STATUSES[drawn.status[i]],
                "tags": list(TAG_SETS[drawn.tags[i]]),
            }
        )


DIRECT = as_text([binary_copy.boolean(False), binary_copy.boolean(True)])


# --- loading ----------------------------------------------------------------------------------


WORKERS = 2
"""Generating processes, one a core of the benchmark machine."""


@dataclass(frozen=True)
class Plan:
    """What every worker needs to generate its batches."""

    url: str
    seed: int
    voices: list[Voice]
    ids: dict[str, int]
    first_article: int
    first_claim: int
    order: tuple[Ints, Ints]
    """Every article's n and its claims, in the order of their dates: stored so, as an archive
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
        order = generator.in_date_order(claims)
        if len(stored) >= len(order[0]):
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
    """The workers generate, check and write the COPY rows of batch after batch; this
    connection sends them, in one transaction, in the order of their dates."""
    places = range(0, len(plan.order[0]), BATCH_ARTICLES)
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
    first_claims: Ints


def _start_worker(plan: Plan) -> None:
    # A worker makes millions of short-lived objects and no reference cycle worth collecting,
    # and it exits when done: collection passes over its batches were pure overhead.
    gc.disable()
    _Worker.plan, _Worker.generator = plan, Generator(plan.seed, plan.voices)
    _Worker.rows = Rows(plan.ids, _Worker.generator)
    # It only asks for vectors: no transaction to hold open. Closed as the worker exits, which
    # the server would otherwise log as a client gone with an open transaction.
    _Worker.conn = psycopg.connect(libpq_url(plan.url), autocommit=True)
    multiprocessing.util.Finalize(None, _Worker.conn.close, exitpriority=0)
    counts = plan.order[1]
    _Worker.first_claims = plan.first_claim + np.cumsum(counts) - counts


def _generate_batch(first: int) -> tuple[dict[str, bytes], tuple[int, int, int]]:
    """The COPY data of the BATCH_ARTICLES articles from place `first` in date order, and
    (articles added, skipped, claims added)."""
    plan = _Worker.plan
    end = min(first + BATCH_ARTICLES, len(plan.order[0]))
    places = np.arange(first, end)
    if plan.stored:
        seed, ns = plan.seed, plan.order[0][places].tolist()
        places = places[[article_key(seed, n) not in plan.stored for n in ns]]
    ns, counts = plan.order[0][places], plan.order[1][places]
    drawn = _Worker.generator.draw(ns, counts)
    validate(drawn, _Worker.generator)
    batch = _Worker.rows.batch(
        _Worker.conn, drawn, plan.first_article + places, _Worker.first_claims[places]
    )
    return batch, (len(places), end - first - len(places), int(counts.sum()))


def expected_articles(generator: Generator, claims: int) -> int:
    return len(generator.in_date_order(claims)[0])


def _stored_key_set(conn: psycopg.Connection[Any], seed: int) -> set[str]:
    query = "SELECT key FROM articles WHERE key LIKE %s"
    return {key for (key,) in conn.execute(query, [f"bench-{seed}-%"])}


# --- bulk mode: PostgreSQL's "Populating a Database" recipe -----------------------------------
# Indexes and foreign keys are built once after the rows arrive instead of row by row (a GIN
# index on the search vector costs more per row than everything else together; the articles'
# and revisions' foreign keys, checked a row at a time, and their indexes cost 0.9-1.8 s of
# PostgreSQL's CPU in a load), and the per-row triggers whose work the loader has done are off.
# The statements that put them back are written to a file first, and replayed by the next load
# if this one is killed.

RESTORE_DIR = ROOT / "var" / "bench"
LOADED_TABLES = ("articles", "claims", "claim_tags", "revisions")
BULK_TRIGGERS = {
    "claims": ("claims_span_matches", "claims_search_vector", "claims_language"),
    "claim_tags": (
        "claim_tags_added", "claim_tags_removed", "claim_tags_moved_from", "claim_tags_moved_to",
    ),
}  # fmt: skip
"""Triggers whose work the loader has done itself: `span_problem`, `SearchVectors`, and each
claim's copies of its article's language and of its tags' ids. Dropped, not disabled:
PostgreSQL copies into a table with BEFORE ROW triggers, even disabled ones, row by row, and
only its batched path lets COPY FREEZE mark the pages all-visible; the tags' would write every
claim a second time."""
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
    for table in LOADED_TABLES:
        for name in foreign_keys(conn, table):
            conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in secondary_indexes(conn, table):
            conn.execute(f"DROP INDEX {name}")
    for table, triggers in BULK_TRIGGERS.items():
        for trigger in triggers:
            conn.execute(f"DROP TRIGGER {trigger} ON {table}")
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
        # "Build time for a GIN index is very sensitive to the maintenance_work_mem setting"
        # (PostgreSQL's GIN tips): the search vectors' (some 31 million entries) took 0.83x the
        # time with 1 GB as with 512 MB (the median ratio of 6 pairs built in turn).
        conn.execute("SET maintenance_work_mem = '1GB'")
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
    statements = [
        _unless_there(definition)
        for table, triggers in BULK_TRIGGERS.items()
        for definition in _triggers(conn, table, triggers)
    ]
    for table in LOADED_TABLES:
        for _, definition in secondary_indexes(conn, table):
            statements.append(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    for table in LOADED_TABLES:
        for name, definition in foreign_keys(conn, table).items():
            statements.append(
                _unless_there(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            )
    return statements


def _unless_there(statement: str) -> str:
    """`statement`, creating something, made a no-op when it exists already."""
    return f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"


def _triggers(conn: psycopg.Connection[Any], table: str, names: Sequence[str]) -> list[str]:
    """The CREATE statements of the table's triggers `names`."""
    rows = conn.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
        " WHERE tgrelid = %s::regclass AND tgname = ANY(%s) ORDER BY tgname",
        [table, list(names)],
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
    options = "FORMAT binary, FREEZE" if frozen else "FORMAT binary"
    with conn.cursor() as cur:
        for table, rows in batch.items():
            if rows:
                with cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN ({options})") as copy:
                    binary_copy.write(copy, rows)


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
