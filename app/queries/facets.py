"""Counts beside each filter value, for the current selection, computed in SQL.

Each facet leaves its own filter out, so the counts show what choosing another value would
give; the facets whose filter the selection does not use count the same claims, so they are
counted together, in one pass. Counting runs under a time budget: a facet too slow for it is
left out, not waited for.
"""

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import psycopg
from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    select,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import NullType

from app.db.session import read_rows
from app.models import Actor, Claim, Tag
from app.queries.filters import (
    BASE_VALUES,
    GENERAL,
    NO_SIDE,
    Scope,
    conditions,
    first_hand,
    speaker_side,
)

T = TypeVar("T")
FACET_BUDGET_MS = 200
FACETS_BUDGET_MS = 500
"""All facets of a selection together: the counts should not keep the reader waiting a second
because several facets each spent their whole budget. Past it, the rest are left out."""
CHART_BUDGET_MS = 2000
"""The chart follows the list by htmx and is kept per selection, so it may take longer than a
facet: on a million claims a broad selection's months take about a second to count."""
FACET_ROWS = 20_000
"""About the claims a facet can count within its budget on a 2-core server: the rows of a
selection lie on as many pages (measured: 14,000 claims of one speaker in 100 ms)."""
TOP_SPEAKERS = 12
TOP_TAGS = 12


@dataclass(frozen=True)
class Budget:
    """How long counting a selection's facets may take, and how broad a selection it tries."""

    total_ms: int
    """All facets together: past it, the rest are left out."""
    facet_ms: int
    """One facet's statement timeout."""
    max_rows: float
    """A facet whose claims the planner expects to outnumber this is left out at once."""


ON_REQUEST = Budget(FACETS_BUDGET_MS, FACET_BUDGET_MS, FACET_ROWS)
IN_BACKGROUND = Budget(60_000, 30_000, math.inf)
"""For a selection too broad for a request, counted off the request path (app/web/counting.py):
a million claims' facets take 0.7–0.9 s on a 2-core machine."""


@dataclass(frozen=True)
class Value:
    value: str
    count: int | None
    """None while the counts are still to come (the page shows the values at once)."""
    name_en: str = ""
    name_ar: str = ""
    """A speaker's names (the template's `actor_name` picks one); empty for other facets."""
    chosen: bool = False
    """A speaker the selection names, by address or by any name typed (`?speaker=بوتين`)."""


Facets = dict[str, list[Value] | None]
"""Facet name → its values with counts; None when it did not fit in the time budget."""


def facets(session: Session, scope: Scope, *, editor: bool, budget: Budget = ON_REQUEST) -> Facets:
    """Each facet's values with counts; a facet over the budget's `facet_ms`, or past its
    shared `total_ms`, is None. A facet whose claims (the selection without its own filter) the
    planner expects to number more than `max_rows` is left out at once: counting that many takes
    longer than the budget, and six facets would each spend it to learn so.

    The facets the selection does not filter on count the same claims, so they are counted
    together, in one pass (`_count_together`); each of the others in a query of its own."""
    names = [*READER_FACETS, "status"] if editor else list(READER_FACETS)
    together = [n for n in names if n not in scope.filters]
    deadline = time.monotonic() + budget.total_ms / 1000
    found: Facets = {}

    def left_ms() -> int:
        return int((deadline - time.monotonic()) * 1000)

    def fits(without: str | None = None) -> bool:
        """Whether the claims a count reads (the selection `without` one of its filters) are
        few enough for the budget; asked once per count."""
        if math.isinf(budget.max_rows):
            return True
        return estimated_rows(session, scope, without=without) <= budget.max_rows

    if together:
        counted = None
        if left_ms() >= 1 and fits():
            counted = within_budget(
                session,
                scope,
                partial(_count_together, names=together),
                min(budget.facet_ms, left_ms()),
            )
        found |= counted or dict.fromkeys(together)
    for name in names:
        if name in found:
            continue
        if left_ms() < 1 or not fits(without=name):
            found[name] = None
        else:
            found[name] = within_budget(
                session, scope, partial(_count_alone, name=name), min(budget.facet_ms, left_ms())
            )
    return {name: found[name] for name in names}


def estimated_rows(session: Session, scope: Scope, *, without: str | None = None) -> float:
    """How many claims the planner expects the selection to hold, `without` one filter as its
    facet counts them (EXPLAIN: no rows are read)."""
    plan = session.execute(Explain(select(Claim.id).where(*conditions(scope, without=without))))
    return float(plan.scalar_one()[0]["Plan"]["Plan Rows"])


class Explain(Executable, ClauseElement):
    """`EXPLAIN (FORMAT JSON) <statement>`, compiled once per statement shape like the
    statement itself (compiling it afresh for every facet cost more than the EXPLAIN)."""

    inherit_cache = True
    _all_selected_columns = ()  # its one column is the plan, not the statement's
    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(Explain, "postgresql")
def _compile_explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def within_budget(
    session: Session,
    scope: Scope,
    count: Callable[[Session, Scope], T],
    budget_ms: int = FACET_BUDGET_MS,
) -> T | None:
    """Run one count with its own statement timeout; None if it ran out."""
    try:
        with _statement_timeout(session, budget_ms):
            return count(session, scope)
    except DBAPIError as error:
        if isinstance(error.orig, psycopg.errors.QueryCanceled):
            return None
        raise


@contextmanager
def _statement_timeout(session: Session, ms: int) -> Iterator[None]:
    """Reading sessions run in autocommit: SET, then RESET whatever happens, so the pooled
    connection keeps its own limit. In a transaction, SET LOCAL in a savepoint: a cancelled
    statement then rolls back to the savepoint, which also undoes the SET."""
    connection = session.connection()
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        # As the driver's SQL: through the session, the pair took 0.34-0.37 ms; so, 0.21-0.27.
        connection.exec_driver_sql(f"SET statement_timeout = {ms}")
        try:
            yield
        finally:
            connection.exec_driver_sql("RESET statement_timeout")
    else:
        with session.begin_nested():
            session.execute(text(f"SET LOCAL statement_timeout = {ms}"))
            yield
            session.execute(text("RESET statement_timeout"))  # SET LOCAL outlives the savepoint


_SPEAKER = aliased(Actor)
"""The claim's actor, joined for the side facet (`speaker_side`): a hash join of a few hundred
actors, where looking each one up would keep the count from running in parallel."""
_AS_READ = NullType()
"""The arrays as psycopg reads them, lists: SQLAlchemy's ARRAY type walked each again, a few
thousand a selection, which took a tenth of `facets()` under cProfile, the database's time
included."""
GROUPED: dict[str, ColumnElement[Any]] = {
    "stance": Claim.stance.expression,
    "side": func.coalesce(speaker_side(_SPEAKER), NO_SIDE),
    "base": type_coerce(Claim.bases, _AS_READ),
    "speaker": Claim.speaker_id.expression,
    "language": Claim.language.expression,
    "firsthand": first_hand(),
    "status": Claim.status.expression,
    "tag": type_coerce(Claim.tag_ids, _AS_READ),
}
"""What each facet groups the claims by. Bases and first-hand are grouped too, rather than
counted by a FILTER per value, which PostgreSQL keeps for every grouping set: over a week of 2025
(11,000 claims), 22 ms with their five FILTER counts, 17 ms with their two grouping sets. Tags
are grouped as each claim's set of them, as bases are: a claim with three tags is then still one
row of the scan that counts the other facets. Sets of ids, named once counted (`_by_tag`): sets
of names (`tag_names`, each claim's tags joined to their names) took 51 ms a week of 2024 where
ids took 17. The ids are the claim's own copy (`Claim.tag_ids`), carried by the timeline index:
looked up in pk_claim_tags claim by claim, they took more than half of the counts' time."""
READER_FACETS = ("stance", "side", "base", "speaker", "language", "firsthand", "tag")
"""The facets every reader sees, in their order on the page (editors also see `status`)."""


def _count_alone(session: Session, scope: Scope, name: str) -> list[Value]:
    """One facet, over the selection without its own filter."""
    return _count(session, [name], conditions(scope, without=name), scope)[name]


def _count_together(session: Session, scope: Scope, names: list[str]) -> dict[str, list[Value]]:
    """Facets that count the same claims (the selection has no filter of theirs), in one scan:
    six queries over a week of 2024 (4,000 claims) took 100-240 ms, each reading them again."""
    return _count(session, names, conditions(scope), scope)


def _count(
    session: Session,
    names: list[str],
    where: list[ColumnElement[bool]],
    scope: Scope,
) -> dict[str, list[Value]]:
    """The counts of facets `names` over the claims `where` selects, in one query: a grouping
    set per facet, each row saying which set it belongs to by GROUPING() (0: grouped by it)."""
    columns = [GROUPED[n] for n in names]
    query = (
        select(*columns, *(func.grouping(c) for c in columns), func.count())
        .select_from(Claim)
        .where(*where)
        .group_by(func.grouping_sets(*(tuple_(c) for c in columns)))
    )
    if "side" in names:
        query = query.join(_SPEAKER, _SPEAKER.id == Claim.speaker_id)
    width = len(columns)
    grouped: dict[str, list[tuple[Any, int]]] = {name: [] for name in names}
    for row in read_rows(session, query).all():
        at = row[width : 2 * width].index(0)
        grouped[names[at]].append((row[at], row[2 * width]))
    speakers = grouped.pop("speaker", None)
    tags = grouped.pop("tag", None)
    out = {name: VALUES.get(name, _most_first)(counts) for name, counts in grouped.items()}
    if speakers is not None:
        chosen = scope.speaker_ids or []
        offered = _top_and_chosen(speakers, chosen, TOP_SPEAKERS)
        out["speaker"] = _named_speakers(session, offered, chosen)
    if tags is not None:
        out["tag"] = _top_and_chosen(_by_tag(session, tags), scope.selection.tag, TOP_TAGS)
    return out


def _most_first(counts: list[tuple[Any, int]], top: int | None = None) -> list[Value]:
    """The `top` values (all by default), most first; ties by value (a speaker's by id)."""
    ranked = sorted(counts, key=lambda kn: (-kn[1], kn[0]))[:top]
    return [Value(str(k), n) for k, n in ranked]


def _by_base(counts: list[tuple[list[str], int]]) -> list[Value]:
    """Each base's claims, from the counts of each combination of bases; `general` for none."""
    totals = dict.fromkeys(BASE_VALUES, 0)
    for bases, n in counts:
        for base in set(bases) or {GENERAL}:  # as `@>` does, a base written twice counts once
            totals[base] += n
    return [Value(base, n) for base, n in totals.items()]


def _by_hand(counts: list[tuple[bool | None, int]]) -> list[Value]:
    """First-hand ("1") and relayed ("0")."""
    told = dict(counts)
    return [Value("1", told.get(True, 0)), Value("0", told.get(False, 0))]


def _by_tag(session: Session, counts: list[tuple[list[int], int]]) -> list[tuple[str, int]]:
    """Each tag's claims by its name, from the counts of each set of tags."""
    totals: dict[int, int] = {}
    for tag_ids, n in counts:
        for tag_id in tag_ids:
            totals[tag_id] = totals.get(tag_id, 0) + n
    if not totals:
        return []
    names = read_rows(session, select(Tag.id, Tag.name).where(Tag.id.in_(totals)))
    return [(name, totals[tag_id]) for tag_id, name in names]


def _top_and_chosen(counts: list[tuple[T, int]], chosen: list[T], top: int) -> list[Value]:
    """The `top` values counted most (a week has 300 speakers), and each chosen one beyond them,
    at 0 if the rest of the selection holds nothing of theirs: so that the page names them,
    checked."""
    first = _most_first(counts, top)
    offered = {v.value for v in first}
    said = dict(counts)
    beyond = [i for i in dict.fromkeys(chosen) if str(i) not in offered]
    return first + [Value(str(i), said.get(i, 0)) for i in beyond]


VALUES: dict[str, Callable[[list[tuple[Any, int]]], list[Value]]] = {
    "base": _by_base,
    "firsthand": _by_hand,
}
"""How a facet's values are made from its grouping set's rows, where not by `_most_first`."""


def _named_speakers(session: Session, top: list[Value], chosen: list[int]) -> list[Value]:
    """The speakers who said most in the selection, with their names, most first."""
    counts = {int(v.value): v.count for v in top}
    actors = read_rows(
        session,
        select(Actor.id, Actor.slug, Actor.name_en, Actor.name_ar).where(Actor.id.in_(counts)),
    )
    named = [Value(slug, counts[id_], en, ar, id_ in chosen) for id_, slug, en, ar in actors]
    return sorted(named, key=lambda v: (-(v.count or 0), v.value))
