"""Counts under a time budget: cut off when it runs out, and the session stays as it was."""

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_read_sessionmaker
from app.ingest.batch import load_paths
from app.queries.facets import ON_REQUEST, facets, within_budget
from app.queries.filters import Scope, Selection, resolve
from tests.factories import article_doc, write_json


def slow(session: Session, scope: Scope) -> int:
    return int(session.execute(text("SELECT 1 FROM pg_sleep(0.5)")).scalar_one())


def quick(session: Session, scope: Scope) -> int:
    return int(session.execute(text("SELECT 2")).scalar_one())


SCOPE = Scope(Selection(), speaker_ids=None, tsquery=None, statuses=["verified"])


def timeout(session: Session) -> str:
    return str(session.execute(text("SHOW statement_timeout")).scalar_one())


def test_reading_sessions_in_autocommit_keep_their_own_limit(engine: Engine) -> None:
    with make_read_sessionmaker(engine)() as session:
        before = timeout(session)
        assert within_budget(session, SCOPE, slow, budget_ms=50) is None
        assert timeout(session) == before
        assert within_budget(session, SCOPE, quick, budget_ms=50) == 2
        assert timeout(session) == before


def test_in_a_transaction_a_cancelled_count_rolls_back_to_its_savepoint(session: Session) -> None:
    before = timeout(session)
    assert within_budget(session, SCOPE, slow, budget_ms=50) is None
    assert timeout(session) == before  # the transaction is still usable
    assert within_budget(session, SCOPE, quick, budget_ms=50) == 2
    assert timeout(session) == before


def test_the_facets_share_one_budget(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    doc = article_doc()
    doc["claims"][0]["tags"] = ["talks"]
    report = load_paths(maker, [write_json(tmp_path / "a.json", doc)], max_bytes=10**7)
    assert report.refused == []
    scope = resolve(session, Selection(), editor=True)
    counted = facets(session, scope, editor=True)
    assert all(values for values in counted.values()), counted
    stances = {v.value: v.count for v in counted["stance"] or []}
    assert sum(n or 0 for n in stances.values()) == 3
    spent = facets(session, scope, editor=True, budget=replace(ON_REQUEST, total_ms=0))
    assert spent.keys() == counted.keys() and set(spent.values()) == {None}
