"""The timeline: claims in the order they were said, 50 a page, paged by keyset (never OFFSET).

Newest statement first, undated ones last. A page carries, for each claim, the stance it shifted
from, how widely it was reported, and which of its words the search matched.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    tuple_,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import Session
from sqlalchemy.types import Date

from app.db.session import read_rows
from app.models import Actor, Article, Claim, Outlet, StatementMember, Tag, claim_tags
from app.models.vocab import Precision
from app.queries.corroboration import ALONE, Reach, reach_of
from app.queries.filters import Scope, conditions
from app.queries.search import highlight, matching_words
from app.queries.shifts import previous_stance, sort_date

PAGE_SIZE = 50
MAX_CLAIM_ID = 2**31 - 1
"""claims.id is a PostgreSQL integer."""


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last claim's statement date (None sorts last) and id."""

    stated_on: date | None
    claim_id: int

    def __str__(self) -> str:
        return f"{self.stated_on.isoformat() if self.stated_on else 'none'}.{self.claim_id}"

    @property
    def params(self) -> dict[str, Any]:
        """The values of the page query's `after_date` and `after_id`."""
        return {"after_date": self.stated_on or "-infinity", "after_id": self.claim_id}

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """`2025-02-12.41` or `none.7`; ValueError for anything else, an id no claim can have
        too (the database would refuse to compare it)."""
        day, _, claim_id = text.partition(".")
        if not (claim_id.isascii() and claim_id.isdecimal() and 0 < int(claim_id) <= MAX_CLAIM_ID):
            raise ValueError(f"{text!r} is not a page cursor")
        return cls(None if day == "none" else date.fromisoformat(day), int(claim_id))


class SpeakerRef(NamedTuple):
    slug: str
    name_en: str
    name_ar: str
    affiliation: str | None


class OutletRef(NamedTuple):
    name: str


class ArticleRef(NamedTuple):
    key: str
    title: str
    language: str
    url: str | None
    published_on: date | None
    outlet: OutletRef


class ClaimRow(NamedTuple):
    """The fields of a claim that a timeline entry shows: read in one query, no ORM objects
    (building 50 of those and their related rows cost more than the SQL did). Immutable and
    hashable, as an entry must be to key the cache of its rendered row: named tuples, whose
    making, hashing and comparing run in C (as frozen dataclasses, a tenth of a loaded page's
    Python time)."""

    id: int
    speaker_name: str
    speaker_role: str | None
    speaker_affiliation: str | None
    via: tuple[str, ...]
    quote: str
    direct: bool
    stated_on: date | None
    stated_on_precision: str
    bases: tuple[str, ...]
    stance: str
    summary_en: str
    status: str
    speaker: SpeakerRef
    article: ArticleRef


class Entry(NamedTuple):
    """What a timeline row shows, all of it: two equal entries render the same row."""

    claim: ClaimRow
    was: str | None
    """The stance of the speaker's previous statement on the same base, when it differed."""
    reach: Reach | None
    quote: tuple[tuple[str, bool], ...] = ()
    """The quote as (piece, matched) runs, for highlighting the words the search found."""
    summary: tuple[tuple[str, bool], ...] = ()
    tags: tuple[str, ...] = ()
    """The claim's tags, read only for a page asked with them (`timeline_page(tags=True)`)."""


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next: Cursor | None
    after: Cursor | None = None
    """Where this page starts: the previous page's last claim (for continuing date headings)."""


_CLAIM_COLUMNS = (
    Claim.id,
    Claim.speaker_name,
    Claim.speaker_role,
    Claim.speaker_affiliation,
    Claim.via,
    Claim.quote,
    Claim.direct,
    Claim.stated_on,
    Claim.stated_on_precision,
    Claim.bases,
    Claim.stance,
    Claim.summary_en,
    Claim.status,
)
SPEAKER_COLUMNS = (Actor.slug, Actor.name_en, Actor.name_ar, Actor.affiliation)
"""A `SpeakerRef`'s columns, in its order."""
ARTICLE_COLUMNS = (
    Article.key,
    Article.title,
    Article.language,
    Article.url,
    Article.published_on,
    Outlet.name,
)
"""An `ArticleRef`'s columns, in its order (`article_ref`), the outlet's name last."""
_SHOWN = len(_CLAIM_COLUMNS) + len(SPEAKER_COLUMNS) + len(ARTICLE_COLUMNS)


def tag_names(claim: Any = Claim) -> ColumnElement[list[str]]:
    """The names of a claim's tags, [] for none, in the order Python sorts them (by code point,
    as the claim's record lists them): a subquery of the claims the statement reads (`claim`, or
    rows of theirs), which pk_claim_tags answers, so that no claim needs a query of its own."""
    return func.coalesce(
        select(func.array_agg(aggregate_order_by(Tag.name, Tag.name.collate("C"))))
        .join_from(claim_tags, Tag, Tag.id == claim_tags.c.tag_id)
        .where(claim_tags.c.claim_id == claim.id)
        .scalar_subquery(),
        literal([], ARRAY(Text)),
    )


def article_ref(
    key: str, title: str, language: str, url: str | None, published_on: date | None, outlet: str
) -> ArticleRef:
    """The `ArticleRef` of the ARTICLE_COLUMNS' values."""
    return ArticleRef(key, title, language, url, published_on, OutletRef(outlet))


def _claim(row: Sequence[Any]) -> ClaimRow:
    (id_, name, role, side, via, quote, direct, stated_on, precision, bases, stance, summary,
     status, slug, name_en, name_ar, affiliation, key, title, language, url, published_on,
     outlet) = row[:_SHOWN]  # fmt: skip
    return ClaimRow(
        id_, name, role, side, tuple(via), quote, direct, stated_on, precision, tuple(bases),
        stance, summary, status, SpeakerRef(slug, name_en, name_ar, affiliation),
        article_ref(key, title, language, url, published_on, outlet),
    )  # fmt: skip


_SPEAKER_LABELS = tuple(c.label(f"actor_{c.key}") for c in SPEAKER_COLUMNS)
_PAGE = table(
    "page",
    *(column(c.key) for c in (*_CLAIM_COLUMNS, Claim.article_id)),
    *(column(c.name) for c in _SPEAKER_LABELS),
    column("was"),
)
"""The page's claims as the main query names them (the CTE `page`), its columns made once: those
of a fresh subquery cost more to build than the rest of the statement. Untyped, so read as
psycopg returns them: typed, SQLAlchemy copied each array again, item by item."""


@lru_cache(maxsize=1024)
def timeline_query(scope: Scope, *, paged: bool, size: int, tags: bool) -> Select[Any]:
    """A page's rows (one more than `size`, to know whether another page follows) with their
    speaker, article, outlet, previous stance and statement, and their tags if asked (for the
    page's rows only: the API's page of the seeds took 0.3 ms more so, 1.9 ms more with a query
    of their own); after a cursor (`Cursor.params`) when `paged`.

    Kept per scope: building the statement and its cache key took 2 ms, a quarter of what
    SQLAlchemy and PostgreSQL then spend running it, and the same selection is asked for again
    and again (everyone's first page), its later pages with only the cursor changed.

    The page's claims are chosen with their speaker (so that a speaker filter names the one actor
    row to join), then only those rows are joined to the rest: planning the filters inside a
    five-table join cost PostgreSQL more than running it (4.2-4.8 ms of server time for the
    first page that way, 2.7-3.5 ms this way; 14-17 ms for English first-hand claims, 5 ms)."""
    chosen = (
        select(*_CLAIM_COLUMNS, Claim.article_id, *_SPEAKER_LABELS, previous_stance().label("was"))
        .join(Actor, Actor.id == Claim.speaker_id)
        .where(*conditions(scope))
        .order_by(sort_date().desc(), Claim.id.desc())
        .limit(size + 1)
    )
    if paged:
        cursor = tuple_(bindparam("after_date", type_=Date), bindparam("after_id"))
        chosen = chosen.where(tuple_(sort_date(), Claim.id) < cursor)
    page = _PAGE.c
    return (
        select(
            *(page[c.key] for c in _CLAIM_COLUMNS),
            *(page[c.name] for c in _SPEAKER_LABELS),
            *ARTICLE_COLUMNS,
            *([tag_names(page)] if tags else []),
            page.was,
            StatementMember.statement_id,
        )
        .add_cte(chosen.cte(_PAGE.name))
        .join_from(_PAGE, Article, Article.id == page.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .outerjoin(StatementMember, StatementMember.claim_id == page.id)
        .order_by(sort_date(page).desc(), page.id.desc())
    )


def timeline_page(
    session: Session,
    scope: Scope,
    *,
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
    tags: bool = False,
) -> Page:
    """One query for the page's rows (with their `tags` if asked); a second for the reach of the
    few that belong to a statement reported more than once."""
    query = timeline_query(scope, paged=after is not None, size=size, tags=tags)
    rows: Sequence[Sequence[Any]] = read_rows(session, query, after.params if after else None).all()
    more = len(rows) > size
    rows = rows[:size]
    claims = [_claim(row) for row in rows]
    grouped = [claim.id for claim, row in zip(claims, rows, strict=True) if row[-1] is not None]
    reach = reach_of(session, grouped) if grouped else {}
    matched = _matched(session, scope, claims)
    entries = [
        Entry(
            claim,
            row[-2] if row[-2] != claim.stance else None,
            reach.get(claim.id, ALONE),
            highlight(claim.quote, matched),
            highlight(claim.summary_en, matched),
            tuple(row[_SHOWN]) if tags else (),
        )
        for claim, row in zip(claims, rows, strict=True)
    ]
    last = claims[-1] if more else None
    return Page(entries, Cursor(last.stated_on, last.id) if last else None, after)


PRECISIONS = [p.value for p in Precision]
"""A date's precisions, finest first: the order in which a page shows the claims of one stored
date (a first of the month can be a day's, its month's or its year's)."""


def shown_last_precision(session: Session, scope: Scope, cursor: Cursor) -> str:
    """The precision of the claim the page before ended on as shown: its claims of the cursor's
    date, the coarsest last (`PRECISIONS`), which the cursor does not carry. Only a first of the
    month can be a month or a year (a check constraint), so only such a cursor costs a query:
    that date's claims of the page, at most a page of them, found along ix_claims_timeline."""
    if cursor.stated_on is None:
        return Precision.UNKNOWN
    if cursor.stated_on.day != 1:
        return Precision.DAY
    shown = (
        select(Claim.stated_on_precision)
        .where(*conditions(scope), sort_date() == cursor.stated_on, Claim.id >= cursor.claim_id)
        .order_by(sort_date(), Claim.id)
        .limit(PAGE_SIZE)
    )
    precisions = set(read_rows(session, shown).scalars())
    return max(precisions, key=PRECISIONS.index, default=Precision.DAY)


def _matched(session: Session, scope: Scope, claims: list[ClaimRow]) -> frozenset[str]:
    if scope.tsquery is None or not claims:
        return frozenset()
    texts = [c.quote for c in claims] + [c.summary_en for c in claims]
    return matching_words(session, texts, scope.selection.q)


_ACTIVITY = table("pg_stat_activity", column("datname"), column("backend_xid"))
_OURS = _ACTIVITY.c.datname == func.current_database()
_SNAPSHOT_XIDS = func.pg_snapshot_xip(func.pg_current_snapshot()).table_valued("xid")
# The snapshot lists the transactions in progress on the whole server, up to the last to end.
# One that a session of another database holds cannot change this one's counts; one not seen
# there (ended since, prepared, or the primary's, on a replica) is kept, as it might.
_IN_SNAPSHOT = select(cast(func.xid(_SNAPSHOT_XIDS.c.xid), Text).label("xid")).where(
    ~select(_ACTIVITY.c.backend_xid)
    .where(_ACTIVITY.c.backend_xid == func.xid(_SNAPSHOT_XIDS.c.xid), ~_OURS)
    .exists()
)
# One given its id after the last to end is in progress but not in that list: this database's
# sessions name it.
_IN_ACTIVITY = select(cast(_ACTIVITY.c.backend_xid, Text)).where(
    _OURS, _ACTIVITY.c.backend_xid.is_not(None)
)
_PENDING = union(_IN_SNAPSHOT, _IN_ACTIVITY).subquery()
# The separator is written in, not bound: with no parameter, the statement keeps its plan, where
# `plan_cache_mode=force_custom_plan` planned it anew each time (0.27 ms).
_LAST_CHANGE = select(
    func.greatest(
        select(func.max(Claim.updated_at)).scalar_subquery(),
        select(func.max(Actor.updated_at)).scalar_subquery(),
    ),
    select(
        func.string_agg(_PENDING.c.xid, aggregate_order_by(literal_column("' '"), _PENDING.c.xid))
    ).scalar_subquery(),
)


class Change(NamedTuple):
    """When a claim or a speaker last changed, as these reads see it: what counts over the archive
    depend on, a key to keep them by."""

    at: datetime
    pending: str
    """The transactions in progress that may be this database's. `at` is when a write was made
    (the clock's time, TimestampMixin), not when it committed: one made before the last change
    and committed after it changes what the counts see and not `at`, so the counts are kept
    only while the same transactions are pending. A write made after the counts were kept is
    dated after what they saw."""

    @property
    def modified(self) -> datetime | None:
        """`at` as a Last-Modified, which only a transaction still pending could make stale:
        with one pending, None (an ETag alone tells the response's age)."""
        return None if self.pending else self.at


_ARCHIVE_STATE = select(func.current_database(), cast(func.pg_current_snapshot(), Text))


def archive_state(session: Session) -> str:
    """Which commits this database's reads see now: it changes with every write that commits,
    to any table, so a response made from an earlier state is current while it stays the same.
    Read before the page's own rows, so that a page is never kept under a state older than
    what it shows. A replica gives the same state as its primary once it has replayed it."""
    return "/".join(map(str, read_rows(session, _ARCHIVE_STATE).one()))


def last_change(session: Session) -> Change:
    """When a claim (ix_claims_updated) or a speaker last changed. Asked at every request for the
    counts, so its statement is built once."""
    at, pending = read_rows(session, _LAST_CHANGE).one()
    return Change(at or datetime.min.replace(tzinfo=UTC), pending or "")
