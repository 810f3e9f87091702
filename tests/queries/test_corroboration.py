from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.ingest.batch import load_paths
from app.models import Article, Claim, Statement, StatementMember
from app.queries.corroboration import Reach, reach_among, reach_of
from tests.factories import article_doc, write_json


def load_docs(maker: sessionmaker[Session], tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    paths = [write_json(tmp_path / f"{i}.json", doc) for i, doc in enumerate(docs)]
    assert load_paths(maker, paths, max_bytes=10**7).refused == []


def rewrite(n: int, outlet: str, via: list[str]) -> dict[str, Any]:
    """The test article as another outlet printed it, through `via`."""
    doc = article_doc(key=f"rewrite-{n}", outlet=outlet, url=f"https://example.org/{n}")
    for claim in doc["claims"]:
        claim["via"] = via
    return doc


def first_claims(session: Session) -> list[int]:
    """The first claim (Peskov: forces stay) of every loaded article, in load order."""
    return list(
        session.scalars(
            select(Claim.id)
            .join(Article)
            .where(Claim.quote.startswith("القوات الروسية"))
            .order_by(Claim.id)
        )
    )


def group(session: Session, claim_ids: list[int]) -> None:
    """Exactly these claims in one statement, whatever the matcher made of them on loading."""
    session.execute(delete(StatementMember).where(StatementMember.claim_id.in_(claim_ids)))
    statement = Statement()
    session.add(statement)
    session.flush()
    session.add_all(StatementMember(claim_id=c, statement_id=statement.id) for c in claim_ids)
    session.flush()


class TestReach:
    def test_ten_outlets_rewriting_one_wire_are_one_source(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        docs = [rewrite(n, f"Outlet {n}", ["TASS"]) for n in range(10)]
        docs.append(rewrite(10, "Outlet own reporter", []))
        docs.append(rewrite(11, "Outlet lower", ["tass"]))
        load_docs(maker, tmp_path, docs)
        ids = first_claims(session)
        group(session, ids)
        reach = reach_of(session, ids[:2])
        assert reach == {ids[0]: Reach(outlets=12, sources=2), ids[1]: Reach(12, 2)}

    def test_a_claim_alone_is_one_outlet_and_one_source(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, [article_doc()])
        ids = first_claims(session)
        assert reach_of(session, [*ids, 999_999]) == {ids[0]: Reach(1, 1)}
        assert reach_of(session, []) == {}

    def test_rejected_reports_do_not_count(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, [rewrite(n, f"Outlet {n}", []) for n in range(3)])
        ids = first_claims(session)
        group(session, ids)
        session.get_one(Claim, ids[2]).status = "rejected"
        session.flush()
        assert reach_of(session, [ids[0]]) == {ids[0]: Reach(2, 2)}

    def test_unchecked_proposals_do_not_count(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """The matcher groups an extractor's proposals too; the timeline's reach counts only
        the reports an editor checked (and the claim itself, whatever its status)."""
        load_docs(maker, tmp_path, [rewrite(n, f"Outlet {n}", []) for n in range(3)])
        ids = first_claims(session)
        group(session, ids)
        session.get_one(Claim, ids[2]).status = "extracted"
        session.flush()
        assert reach_of(session, [ids[0], ids[2]]) == {ids[0]: Reach(2, 2), ids[2]: Reach(3, 3)}

    def test_a_loaded_statement_counts_as_the_query_does(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        docs = [rewrite(n, f"Outlet {n}", ["TASS"] if n % 2 else []) for n in range(5)]
        load_docs(maker, tmp_path, docs)
        ids = first_claims(session)
        group(session, ids)
        loaded = session.scalars(
            select(Claim)
            .where(Claim.id.in_(ids))
            .options(selectinload(Claim.article).selectinload(Article.outlet))
        ).all()
        assert reach_among(list(loaded)) == reach_of(session, ids[:1])[ids[0]] == Reach(5, 4)
