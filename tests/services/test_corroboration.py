from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import Invalid
from app.models import Actor, Claim, StatementMember, User
from app.queries.corroboration import Reach, reach_of
from app.services.actors import merge_actors
from app.services.article_import import ImportForm, import_article
from app.services.claim_edits import apply_edit
from app.services.corroboration import (
    confirm_statement,
    join_statement,
    match_statements,
    similarity,
    split_report,
)
from tests.factories import article_doc
from tests.web.test_claims import load_docs


def report(n: int, outlet: str, published_on: str = "2025-02-07", **claim: Any) -> dict[str, Any]:
    """The test article as another outlet ran it: only Peskov's first claim, 6 Feb 2025."""
    doc = article_doc(key=f"report-{n}", outlet=outlet, url=f"https://example.org/{n}")
    doc["article"]["published_on"] = published_on
    doc["claims"] = [doc["claims"][0] | claim]
    return doc


def respelt(doc: dict[str, Any]) -> dict[str, Any]:
    """The quote as another outlet spells it: ه for ة, and in quotation marks."""
    claim = doc["claims"][0]
    quote = "«" + claim["quote"].replace("ة", "ه") + "»"
    text = doc["article"]["text"].replace(claim["quote"], quote)
    start = text.index(quote)
    doc["article"]["text"] = text
    doc["claims"] = [claim | {"quote": quote, "start": start, "end": start + len(quote)}]
    return doc


def statement_of(session: Session, claim_id: int) -> int | None:
    return session.scalar(
        select(StatementMember.statement_id).where(StatementMember.claim_id == claim_id)
    )


def ids(session: Session) -> list[int]:
    return list(session.scalars(select(Claim.id).order_by(Claim.id)))


@pytest.fixture
def editor(session: Session) -> User:
    user = User(username="editor-4", role="editor")
    session.add(user)
    session.flush()
    return user


class TestMatching:
    def test_outlets_rewriting_one_wire_become_one_statement_when_loaded(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(
            maker,
            tmp_path,
            report(1, "Outlet A", via=["TASS"]),
            report(2, "Outlet B", via=["TASS"]),
            respelt(report(3, "Outlet C")),
        )
        a, b, c = ids(session)
        assert statement_of(session, a) == statement_of(session, b) == statement_of(session, c)
        assert statement_of(session, a) is not None
        assert reach_of(session, [a]) == {a: Reach(outlets=3, sources=2)}

    def test_an_article_imported_on_the_web_joins_the_statements_it_reports(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """/import matches like the loader: the extractor's proposal of the same words from
        another outlet is grouped with the stored report at once."""
        load_docs(maker, tmp_path, report(1, "Outlet A"))
        wire = report(2, "Outlet B")
        form = ImportForm(outlet="Outlet B", language="ar", published_on="2025-02-07",
                          text=wire["article"]["text"])  # fmt: skip
        import_article(session, form, propose=lambda article: wire["claims"])
        stored, imported = ids(session)
        assert statement_of(session, stored) == statement_of(session, imported) is not None

    def test_the_same_words_weeks_later_are_another_statement(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        later = {"stated_on": "2025-02-27"}
        load_docs(
            maker,
            tmp_path,
            report(1, "Outlet A"),
            report(2, "Outlet B"),
            report(3, "Outlet C", published_on="2025-02-28", **later),
        )
        a, b, c = ids(session)
        assert statement_of(session, a) == statement_of(session, b) is not None
        assert statement_of(session, c) is None

    def test_another_speaker_s_words_are_another_statement(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        other = article_doc()["claims"][2]["speaker"]
        load_docs(maker, tmp_path, report(1, "Outlet A"), report(2, "Outlet B", speaker=other))
        assert [statement_of(session, c) for c in ids(session)] == [None, None]

    def test_similarity_ignores_spelling_variants_and_punctuation(self) -> None:
        assert similarity("«إنّ القوات باقية»", "ان القوات باقيه.") == 1.0
        assert similarity("القوات باقية", "القوات ستنسحب") == 0.5  # one word of two in common


class TestEditorsDecide:
    def test_a_split_report_stays_apart(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path, editor: User
    ) -> None:
        load_docs(maker, tmp_path, report(1, "Outlet A"), report(2, "Outlet B"))
        a, b = ids(session)
        split_report(session, a, report_id=b, editor=editor)
        assert statement_of(session, a) != statement_of(session, b)
        assert match_statements(session, [a, b]) == 0
        member = session.get_one(StatementMember, b)
        assert member.confirmed and member.decided_by == editor.id
        assert reach_of(session, [a]) == {a: Reach(1, 1)}
        with pytest.raises(Invalid):
            split_report(session, a, report_id=b, editor=editor)

    def test_confirming_marks_every_report(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path, editor: User
    ) -> None:
        load_docs(maker, tmp_path, report(1, "Outlet A"), report(2, "Outlet B"))
        a, b = ids(session)
        confirm_statement(session, a, editor=editor)
        assert all(session.get_one(StatementMember, c).confirmed for c in (a, b))

    def test_a_missed_paraphrase_can_be_joined(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path, editor: User
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        first, second, abu_qasra = ids(session)
        join_statement(session, second, other_id=first, editor=editor)
        assert statement_of(session, first) == statement_of(session, second) is not None
        with pytest.raises(Invalid, match="another speaker"):
            join_statement(session, abu_qasra, other_id=first, editor=editor)
        with pytest.raises(Invalid, match="no claim 999999"):
            join_statement(session, first, other_id=999_999, editor=editor)

    def test_a_report_given_another_speaker_joins_that_speaker_s_statement(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path, editor: User
    ) -> None:
        """An editor finds the words were Abu Qasra's: the report leaves Peskov's statement for
        Abu Qasra's, which another outlet reported. An actor merge (the same speaker under
        another entry) leaves statements as they are."""
        abu_qasra = article_doc()["claims"][2]["speaker"]
        load_docs(
            maker,
            tmp_path,
            report(1, "Outlet A"),
            report(2, "Outlet B"),
            report(3, "Outlet C", speaker=abu_qasra),
        )
        a, b, c = ids(session)
        assert statement_of(session, a) == statement_of(session, b) is not None
        apply_edit(session, b, {"speaker": "murhaf-abu-qasra"}, editor=editor, base_version=1)
        assert statement_of(session, b) == statement_of(session, c) != statement_of(session, a)
        assert reach_of(session, [a, b]) == {a: Reach(1, 1), b: Reach(2, 2)}
        peskov, moved = (
            session.scalars(select(Actor).join(Claim.speaker).where(Claim.id == claim)).one()
            for claim in (a, b)
        )
        merge_actors(session, moved, peskov, editor=editor)
        assert statement_of(session, b) == statement_of(session, c) != statement_of(session, a)
