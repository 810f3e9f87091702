"""A kept page or a 304 never outlives what the page shows: an article of one of its reports
corrected, a report split off, a timeline row changed, a past version's speaker renamed. Real
commits, in a database of the test's own, with the app as it runs in production."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.db.base import Base
from app.ingest.batch import load_paths
from app.main import create_app
from app.models import Actor, Claim
from app.services import corroboration
from app.services.actors import edit_actor
from app.services.claim_edits import apply_edit
from app.settings import Settings
from app.web.urls import claim_url
from tests.editors import make_user
from tests.factories import article_doc, write_json


@pytest.fixture
def committing(fresh_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions that commit, as the loader's and editors' do, to the test's own database."""
    engine = create_engine(fresh_database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def app_client(fresh_database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(DATABASE_URL=fresh_database_url))) as client:
        yield client


def load(maker: sessionmaker[Session], folder: Path, *docs: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [write_json(folder / f"{i}.json", doc) for i, doc in enumerate(docs)]
    assert load_paths(maker, paths, max_bytes=10**7).refused == []


def all_claims(maker: sessionmaker[Session]) -> list[Claim]:
    with maker() as session:
        query = select(Claim).options(selectinload(Claim.speaker)).order_by(Claim.id)
        return list(session.scalars(query))


def two_reports() -> list[dict[str, Any]]:
    """Peskov's first claim as two outlets ran it: the loader groups them as one statement."""
    docs = [
        article_doc(key=f"r{n}", outlet=f"Outlet {n}", url=f"https://e.org/{n}") for n in (1, 2)
    ]
    for doc in docs:
        doc["claims"] = doc["claims"][:1]
    return docs


def an_hour_back(maker: sessionmaker[Session]) -> None:
    """Everything so far changed an hour earlier: HTTP dates count whole seconds, and the test's
    next change would often fall in the second of the last, where no date tells them apart."""
    with maker.begin() as session:
        for table in Base.metadata.sorted_tables:
            if "updated_at" in table.c:
                earlier = table.c.updated_at - timedelta(hours=1)
                session.execute(update(table).values(updated_at=earlier))


def renewed(client: TestClient, url: str, before: Any) -> str:
    """The page now, after checking that no validator it was sent with still holds: a cache or
    crawler may revalidate by its ETag or by its Last-Modified alone."""
    for header, validator in (("If-None-Match", "etag"), ("If-Modified-Since", "last-modified")):
        if validator in before.headers:
            again = client.get(url, headers={header: before.headers[validator]})
            assert again.status_code == 200, header
    return client.get(url).text


def test_a_claim_page_follows_a_correction_of_a_report_s_article(
    app_client: TestClient, committing: sessionmaker[Session], tmp_path: Path
) -> None:
    """The list "Also reported by" shows each report's outlet and date: correcting that
    article's file renews the claim's page and its JSON."""
    first_doc, second_doc = two_reports()
    load(committing, tmp_path / "a", first_doc, second_doc)
    first = all_claims(committing)[0]
    an_hour_back(committing)
    before = app_client.get(claim_url(first))
    assert "Outlet 2" in before.text
    second_doc["article"] |= {"outlet": "Corrected Outlet", "published_on": "2025-02-08"}
    load(committing, tmp_path / "b", second_doc)
    assert "Corrected Outlet" in renewed(app_client, claim_url(first), before)
    sources = app_client.get(f"/claims/{first.id}.json").json()["sources"]
    assert [source["outlet"] for source in sources] == ["Corrected Outlet"]


def test_a_claim_page_follows_each_report_leaving_its_statement(
    app_client: TestClient, committing: sessionmaker[Session], tmp_path: Path
) -> None:
    """A report withdrawn, split off or given to another speaker is in no row the page reads
    any more: its Last-Modified must move all the same, or a revalidation by date alone keeps
    "Reported by 4 outlets" for good."""
    docs = [
        article_doc(key=f"r{n}", outlet=f"Outlet {n}", url=f"https://e.org/{n}") for n in range(4)
    ]
    for doc in docs[1:]:
        doc["claims"] = doc["claims"][:1]  # the first keeps Abu Qasra's, to give a report to
    load(committing, tmp_path, *docs)
    first, _, _, withdrawn, split, respoken = all_claims(committing)
    with committing() as session:
        editor = make_user(session)
    url = claim_url(first)

    def after(change: Callable[[Session], object]) -> str:
        """The page after `change`, made an hour after everything before it."""
        an_hour_back(committing)
        before = app_client.get(url)
        with committing() as session:
            change(session)
            session.commit()
        return renewed(app_client, url, before)

    rejected, another = {"status": "rejected"}, {"speaker": "murhaf-abu-qasra"}
    assert "Reported by 4 outlets" in app_client.get(url).text
    assert "Reported by 3 outlets" in after(
        lambda s: apply_edit(s, withdrawn.id, rejected, editor=editor, base_version=1)
    )
    assert "Reported by 2 outlets" in after(
        lambda s: corroboration.split_report(s, first.id, report_id=split.id, editor=editor)
    )
    assert "Reported by 1 outlet" in after(
        lambda s: apply_edit(s, respoken.id, another, editor=editor, base_version=1)
    )


def test_the_overview_page_without_htmx_follows_its_rows(
    app_client: TestClient, committing: sessionmaker[Session], tmp_path: Path
) -> None:
    """/timeline/overview without htmx (the page a browser without scripts gets) holds the
    timeline's rows: a corrected article and a statement joined renew it, as they renew /."""
    one, two = two_reports()
    two["claims"][0]["stated_on"] = "2025-01-20"  # outside the matcher's window: apart
    load(committing, tmp_path / "a", one, two)
    first, second = all_claims(committing)
    before = app_client.get("/timeline/overview")
    assert "Outlet 1" in before.text and "reported by 2 outlets" not in before.text
    one["article"]["outlet"] = "Corrected Outlet"
    load(committing, tmp_path / "b", one)
    assert "Corrected Outlet" in renewed(app_client, "/timeline/overview", before)
    before = app_client.get("/timeline/overview")
    with committing() as session:
        editor = make_user(session)
        corroboration.join_statement(session, first.id, other_id=second.id, editor=editor)
        session.commit()
    assert "reported by 2 outlets" in renewed(app_client, "/timeline/overview", before)


def test_a_past_version_follows_a_rename_of_the_speaker_it_names(
    app_client: TestClient, committing: sessionmaker[Session], tmp_path: Path
) -> None:
    """Version 1 names Abu Qasra, whom an editor then renames: the version shows the name he
    goes by now, as his page does."""
    load(committing, tmp_path / "a", article_doc())
    *_, claim = all_claims(committing)
    with committing() as session:
        editor = make_user(session)
        apply_edit(session, claim.id, {"speaker": "dmitry-peskov"}, editor=editor, base_version=1)
        session.commit()
    an_hour_back(committing)
    url = f"/claims/{claim.id}/v/1"
    before = app_client.get(url)
    assert "Murhaf Abu Qasra" in before.text
    with committing.begin() as session:
        query = select(Actor).where(Actor.slug == "murhaf-abu-qasra")
        actor = session.scalars(query.options(selectinload(Actor.aliases))).one()
        values = {"name_ar": actor.name_ar, "name_en": "Murhaf Abu Qasra (renamed)",
                  "kind": actor.kind, "affiliation": "SY"}  # fmt: skip
        edit_actor(session, actor, values, aliases=[], seen=actor.updated_at.isoformat())
    assert "Murhaf Abu Qasra (renamed)" in renewed(app_client, url, before)


def test_the_counts_follow_a_change_that_commits_after_a_later_one(
    app_client: TestClient, committing: sessionmaker[Session], tmp_path: Path
) -> None:
    """A claim's `updated_at` is its transaction's start: a load or import that began before an
    editor's save and commits after it changes what the counts see, not the last change. The
    counts stayed as they were, a hard reload too, until the next change."""
    load(committing, tmp_path / "a", article_doc())
    first, second, _ = all_claims(committing)
    an_hour_back(committing)
    facets = {"HX-Request": "true", "HX-Target": "facets"}
    with committing() as earlier:  # begins now, commits last
        earlier.execute(update(Claim).where(Claim.id == first.id).values(status="rejected"))
        with committing.begin() as later:
            later.execute(
                update(Claim).where(Claim.id == second.id).values(summary_en="Said later")
            )
        before = app_client.get("/timeline/overview", headers=facets)
        assert ">3<" in before.text
        earlier.commit()
    for header, validator in (("If-None-Match", "etag"), ("If-Modified-Since", "last-modified")):
        if validator in before.headers:
            again = facets | {header: before.headers[validator]}
            assert app_client.get("/timeline/overview", headers=again).status_code == 200
    after = app_client.get("/timeline/overview", headers=facets).text
    assert ">3<" not in after and ">2<" in after
