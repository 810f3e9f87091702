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
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    cast,
    func,
    literal,
    null,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable
from sqlalchemy.sql.visitors import InternalTraversal

from app.models import Actor, Article, Claim
from app.queries.filters import (
    BASE_VALUES,
    NO_SIDE,
    Scope,
    base_condition,
    conditions,
    first_hand,
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
a million claims' facets took 4 s on a slow 2-core machine."""


@dataclass(frozen=True)
class Value:
    value: str
    count: int | None
    """None while the counts are still to come (the page shows the values at once)."""
    name_en: str = ""
    name_ar: str = ""
    """A speaker's names (the template's `actor_name` picks one); empty for other facets."""


Facets = dict[str, list[Value] | None]
"""Facet name → its values with counts; None when it did not fit in the time budget."""


def facets(session: Session, scope: Scope, *, editor: bool, budget: Budget = ON_REQUEST) -> Facets:
    """Each facet's values with counts; a facet over the budget's `facet_ms`, or past its
    shared `total_ms`, is None. A facet whose claims (the selection without its own filter) the
    planner expects to number more than `max_rows` is left out at once: counting that many takes
    longer than the budget, and six facets would each spend it to learn so.

    The facets the selection does not filter on count the same claims, so they are counted
    together, in one pass (`_count_together`); each of the others, in a query of its own."""
    names = [*READER_FACETS, "status"] if editor else list(READER_FACETS)
    together = [n for n in names if n not in scope.filters]
    deadline = time.monotonic() + budget.total_ms / 1000
    found: Facets = {}

    def left_ms() -> int:
        return int((deadline - time.monotonic()) * 1000)

    def fits(without: str | None = None) -> bool:
        return math.isinf(budget.max_rows) or (
            estimated_rows(session, scope, without=without) <= budget.max_rows
        )

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
    options = session.connection().get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        session.execute(text(f"SET statement_timeout = {ms}"))
        try:
            yield
        finally:
            session.execute(text("RESET statement_timeout"))
    else:
        with session.begin_nested():
            session.execute(text(f"SET LOCAL statement_timeout = {ms}"))
            yield
            session.execute(text("RESET statement_timeout"))  # SET LOCAL outlives the savepoint


GROUPED: dict[str, ColumnElement[Any]] = {
    "stance": Claim.stance.expression,
    "side": func.coalesce(Claim.speaker_affiliation, NO_SIDE),
    "speaker": Claim.speaker_id.expression,
    # By article: only the few hundred article rows are then joined to their language
    # (`_by_language`); joining each of a week's 4,600 claims cost a quarter of the query.
    "language": Claim.article_id.expression,
    "status": Claim.status.expression,
}
"""Facets counted by grouping on a column (the others, bases and first-hand, by FILTER)."""
READER_FACETS = ("stance", "side", "base", "speaker", "language", "firsthand")
"""The facets every reader sees, in their order on the page (editors also see `status`)."""


def _count_alone(session: Session, scope: Scope, name: str) -> list[Value]:
    """One facet, over the selection without its own filter."""
    return _count(session, [name], conditions(scope, without=name))[name]


def _count_together(session: Session, scope: Scope, names: list[str]) -> dict[str, list[Value]]:
    """Facets that count the same claims (the selection has no filter of theirs), in one scan:
    six queries over a week of 2024 (4,000 claims) took 100-240 ms, each reading them again."""
    return _count(session, names, conditions(scope))


def _count(
    session: Session, names: list[str], where: list[ColumnElement[bool]]
) -> dict[str, list[Value]]:
    """The counts of facets `names` over the claims `where` selects, in one query."""
    grouped = [n for n in names if n in GROUPED]
    columns = [GROUPED[n] for n in grouped]
    filters: list[tuple[str, str, ColumnElement[bool]]] = []
    if "base" in names:
        filters += [("base", b, base_condition(b)) for b in BASE_VALUES]
    if "firsthand" in names:
        hand = first_hand()
        filters += [("firsthand", "1", hand), ("firsthand", "0", ~hand)]
    width = len(columns)
    by_set = _counts_query(columns, [f for _, _, f in filters], where)
    query: Select[Any] | CompoundSelect[Any] = by_set
    if "language" in grouped:
        query = _by_language(by_set, grouped.index("language"), width)
    out: dict[str, list[Value]] = {name: [] for name in names}
    keyed: dict[str, list[tuple[Any, int]]] = {name: [] for name in grouped}
    for row in session.execute(query):
        keys, flags, n = row[:width], row[width : 2 * width], row[2 * width]
        if all(flags):  # the set of all rows (GROUPING is 1 for a column not grouped by)
            for (name, value, _), count in zip(filters, row[2 * width + 1 :], strict=True):
                out[name].append(Value(value, count))
        else:
            i = list(flags).index(0)
            keyed[grouped[i]].append((keys[i], n))
    for name, counts in keyed.items():  # most first; ties by value (a speaker's by id)
        ranked = sorted(counts, key=lambda kn: (-kn[1], kn[0]))
        if name == "speaker":  # only the top few are shown: a week has 300 speakers
            ranked = ranked[:TOP_SPEAKERS]
        out[name] = [Value(str(k), n) for k, n in ranked]
    if "speaker" in out:
        out["speaker"] = _named_speakers(session, out["speaker"])
    return out


def _counts_query(
    columns: list[ColumnElement[Any]],
    filters: list[ColumnElement[bool]],
    where: list[ColumnElement[bool]],
) -> Select[Any]:
    """A grouping set per column, and one of all the rows for the FILTER counts; each row says
    which set it belongs to by GROUPING() of each column (0: grouped by it)."""
    query = select(
        *columns,
        *(func.grouping(c) for c in columns),
        func.count(),
        *(func.count().filter(condition) for condition in filters),
    ).where(*where)
    sets = [tuple_(c) for c in columns] + ([tuple_()] if filters else [])
    if len(sets) > 1:
        return query.group_by(func.grouping_sets(*sets))
    return query.group_by(*columns)


def _by_language(counts: Select[Any], at: int, width: int) -> CompoundSelect[Any]:
    """`counts` with the rows of the set grouped by article (column `at`) summed by the
    articles' language, in the same shape: keys, GROUPING flags, count, FILTER counts."""
    counted = counts.cte("counted")  # read twice, computed once
    cs = list(counted.c)
    keys, flags, rest = cs[:width], cs[width : 2 * width], cs[2 * width :]
    others = select(
        *(cast(null(), String) if i == at else key for i, key in enumerate(keys)), *flags, *rest
    ).where(flags[at] == 1)
    languages = (
        select(
            *(Article.language if i == at else null() for i in range(width)),
            *(literal(0 if i == at else 1) for i in range(width)),
            cast(func.sum(rest[0]), BigInteger),
            *(null() for _ in rest[1:]),
        )
        .join_from(counted, Article, Article.id == keys[at])
        .where(flags[at] == 0)
        .group_by(Article.language)
    )
    return union_all(others, languages)


def _named_speakers(session: Session, top: list[Value]) -> list[Value]:
    """The speakers who said most in the selection, with their names, most first."""
    counts = {int(v.value): v.count for v in top}
    actors = session.execute(
        select(Actor.id, Actor.slug, Actor.name_en, Actor.name_ar).where(Actor.id.in_(counts))
    )
    named = [Value(slug, counts[id_], en, ar) for id_, slug, en, ar in actors]
    return sorted(named, key=lambda v: (-(v.count or 0), v.value))
