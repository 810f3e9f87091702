"""Counts beside each filter value, for the current selection, computed in SQL.

Each facet leaves its own filter out, so the counts show what choosing another value would
give. Each runs under a time budget: a facet too slow for it is left out, not waited for.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

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
class Value:
    value: str
    count: int | None
    """None while the counts are still to come (the page shows the values at once)."""
    name_en: str = ""
    name_ar: str = ""
    """A speaker's names (the template's `actor_name` picks one); empty for other facets."""


Facets = dict[str, list[Value] | None]
"""Facet name → its values with counts; None when it did not fit in the time budget."""


def facets(
    session: Session, scope: Scope, *, editor: bool, budget_ms: int = FACETS_BUDGET_MS
) -> Facets:
    """Each facet's values with counts; a facet over its budget, or past the facets' shared
    `budget_ms`, is None. A facet whose claims (the selection without its own filter) the
    planner expects to number more than FACET_ROWS is left out at once: counting that many
    takes longer than the budget, and six facets would each spend it to learn so."""
    counters: dict[str, Callable[[Session, Scope], list[Value]]] = {
        "stance": _by_column(Claim.stance, "stance"),
        "side": _by_column(func.coalesce(Claim.speaker_affiliation, NO_SIDE), "side"),
        "base": _bases,
        "speaker": _speakers,
        "language": _languages,
        "firsthand": _firsthand,
    }
    if editor:
        counters["status"] = _by_column(Claim.status, "status")
    deadline = time.monotonic() + budget_ms / 1000
    found: Facets = {}
    for name, count in counters.items():
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms < 1 or estimated_rows(session, scope, without=name) > FACET_ROWS:
            found[name] = None
        else:
            found[name] = within_budget(session, scope, count, min(FACET_BUDGET_MS, left_ms))
    return found


def estimated_rows(session: Session, scope: Scope, *, without: str | None = None) -> float:
    """How many claims the planner expects the selection to hold, `without` one filter as its
    facet counts them (EXPLAIN: no rows are read)."""
    query = select(Claim.id).where(*conditions(scope, without=without))
    compiled = query.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    plan = (
        session.connection()
        .exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
        .scalar_one()
    )
    return float(plan[0]["Plan"]["Plan Rows"])


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


def _by_column(column: Any, name: str) -> Callable[[Session, Scope], list[Value]]:
    def count(session: Session, scope: Scope) -> list[Value]:
        query = (
            select(column, func.count())
            .where(*conditions(scope, without=name))
            .group_by(column)
            .order_by(func.count().desc(), column)
        )
        return [Value(str(value), n) for value, n in session.execute(query)]

    return count


def _bases(session: Session, scope: Scope) -> list[Value]:
    counts = [func.count().filter(base_condition(base)) for base in BASE_VALUES]
    row = session.execute(select(*counts).where(*conditions(scope, without="base"))).one()
    return [Value(base, n) for base, n in zip(BASE_VALUES, row, strict=True)]


def _speakers(session: Session, scope: Scope) -> list[Value]:
    """The speakers who said most in the selection (and any already chosen)."""
    counts = (
        select(Claim.speaker_id, func.count().label("n"))
        .where(*conditions(scope, without="speaker"))
        .group_by(Claim.speaker_id)
        .order_by(func.count().desc(), Claim.speaker_id)
        .limit(TOP_SPEAKERS)
        .subquery()
    )
    rows = session.execute(
        select(Actor.slug, Actor.name_en, Actor.name_ar, counts.c.n)
        .join(counts, counts.c.speaker_id == Actor.id)
        .order_by(counts.c.n.desc(), Actor.slug)
    )
    return [Value(slug, n, name_en, name_ar) for slug, name_en, name_ar, n in rows]


def _languages(session: Session, scope: Scope) -> list[Value]:
    query = (
        select(Article.language, func.count())
        .select_from(Claim)
        .join(Article, Article.id == Claim.article_id)
        .where(*conditions(scope, without="language"))
        .group_by(Article.language)
        .order_by(func.count().desc())
    )
    return [Value(language, n) for language, n in session.execute(query)]


def _firsthand(session: Session, scope: Scope) -> list[Value]:
    hand = first_hand()
    row = session.execute(
        select(func.count().filter(hand), func.count().filter(~hand)).where(
            *conditions(scope, without="firsthand")
        )
    ).one()
    return [Value("1", row[0]), Value("0", row[1])]
