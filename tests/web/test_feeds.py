from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.ingest.batch import load_paths
from app.ingest.export import registry_aliases
from app.models import Actor, Claim
from app.models.editor import RejectReason
from app.services.actors import edit_actor
from app.services.claim_edits import apply_edit
from app.web.urls import claim_url
from tests.editors import make_user
from tests.factories import article_doc
from tests.web.test_claims import claims, edit, load_docs


def parse(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def titles(feed: Any) -> list[str]:
    return [entry.title for entry in feed.entries]


def later_statement(**claim_fields: Any) -> dict[str, Any]:
    """Peskov, a week later, in another article."""
    doc = article_doc(key="later", published_on="2025-02-14", url="https://example.org/later")
    doc["claims"] = [doc["claims"][0] | {"stated_on": "2025-02-13"} | claim_fields]
    return doc


class TestFeeds:
    def test_every_new_claim_is_an_entry_with_its_permanent_address(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        feed = parse(client, "/feeds/claims.atom")
        assert feed.feed.title == "basewatch: new and corrected claims"
        assert len(feed.entries) == 3
        by_id = {entry.id: entry for entry in feed.entries}
        first = claims(session)[0]
        entry = by_id[f"http://testserver/claims/{first.id}"]
        assert entry.link == "http://testserver" + claim_url(first)
        assert (
            entry.title
            == "Dmitry Peskov, 6 Feb 2025: Peskov says Russian forces remain at Hmeimim and Tartus."
        )
        assert {t.term for t in entry.tags} == {"stay", "hmeimim", "tartus"}
        assert "القوات الروسية باقية" in entry.content[0].value
        # The feed is English for a reader of the Arabic interface too: no Arabic month in it.
        client.cookies.set("lang", "ar")
        assert titles(parse(client, "/feeds/claims.atom")) == titles(feed)

    def test_a_correction_comes_back_as_an_updated_entry(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        first = claims(session)[0]
        before = parse(client, "/feeds/claims.atom")
        edit(session, first, stated_on=date(2025, 2, 5))
        after = parse(client, "/feeds/claims.atom")
        assert after.entries[0].id == f"http://testserver/claims/{first.id}"
        assert after.entries[0].title.startswith("Corrected: Dmitry Peskov, 5 Feb 2025")
        assert after.entries[0].updated_parsed >= before.entries[0].updated_parsed

    def test_a_proposal_approved_as_it_stood_is_new_not_corrected(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Approval makes version 2 of an extractor's proposal, its first public one: the feed
        announces a correction only for a change made after that."""
        doc = article_doc()
        for claim in doc["claims"]:
            claim |= {"status": "extracted", "extractor": "rules-0.1"}
        load_docs(maker, tmp_path, doc)
        proposal = claims(session)[0]
        apply_edit(
            session, proposal.id, {"status": "verified"}, editor=make_user(session), base_version=1
        )
        session.commit()
        title = (
            "Dmitry Peskov, 6 Feb 2025: Peskov says Russian forces remain at Hmeimim and Tartus."
        )
        assert titles(parse(client, "/feeds/claims.atom")) == [title]
        edit(session, proposal, stance="conditional")
        assert titles(parse(client, "/feeds/claims.atom")) == [f"Corrected: {title}"]

    def test_a_withdrawn_claim_is_an_entry_only_if_it_was_ever_published(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Rejecting a published claim is a correction readers follow; rejecting an extractor's
        proposal that was never checked must not publish its words."""
        doc = article_doc()
        for claim in doc["claims"][1:]:
            claim["status"] = "extracted"
        load_docs(maker, tmp_path, doc)
        published, checked_then_rejected, turned_down = claims(session)
        editor = make_user(session)

        def decide(claim: Claim, status: str) -> None:
            session.refresh(claim)
            reason = RejectReason.NOT_A_STATEMENT if status == "rejected" else None
            edit = {"status": status}
            apply_edit(
                session, claim.id, edit, editor=editor, base_version=claim.version, reason=reason
            )

        decide(checked_then_rejected, "verified")
        for claim in (published, checked_then_rejected, turned_down):
            decide(claim, "rejected")
        session.commit()
        entries = parse(client, "/feeds/claims.atom").entries
        assert sorted(entry.id for entry in entries) == sorted(
            f"http://testserver/claims/{claim.id}" for claim in (published, checked_then_rejected)
        )
        assert all(entry.title.startswith("Withdrawn: ") for entry in entries)

    def test_narrow_feeds_carry_only_their_claims(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        peskov = parse(client, "/feeds/actors/dmitry-peskov.atom")
        assert len(peskov.entries) == 2
        assert all(t.startswith("Dmitry Peskov") for t in titles(peskov))
        conditional = parse(client, "/feeds/stances/conditional.atom")
        assert [t.split(",")[0] for t in titles(conditional)] == ["Murhaf Abu Qasra"]
        assert len(parse(client, "/feeds/bases/tartus.atom").entries) == 3
        assert client.get("/feeds/bases/aleppo.atom").status_code == 404
        assert client.get("/feeds/stances/maybe.atom").status_code == 404
        assert client.get("/feeds/actors/nobody.atom").status_code == 404

    def test_the_shifts_feed_has_only_a_speaker_s_changed_positions(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc(), later_statement(stance="leave"))
        feed = parse(client, "/feeds/shifts.atom")
        assert titles(feed) == [
            "Shift (stay → leave): Dmitry Peskov, 13 Feb 2025: "
            "Peskov says Russian forces remain at Hmeimim and Tartus."
        ]

    def test_an_unchanged_position_is_no_shift(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc(), later_statement())
        assert parse(client, "/feeds/shifts.atom").entries == []

    def test_an_unchanged_feed_answers_304(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        etag = client.get("/feeds/claims.atom").headers["etag"]
        assert client.get("/feeds/claims.atom", headers={"If-None-Match": etag}).status_code == 304
        claim: Claim = claims(session)[0]
        edit(session, claim, stance="review")
        assert client.get("/feeds/claims.atom", headers={"If-None-Match": etag}).status_code == 200

    def test_a_renamed_speaker_renews_the_feed(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Entries show their speaker's name: renaming the speaker changes the feed's validators
        (and whatever copy the server kept), though no claim changed."""
        load_docs(maker, tmp_path, article_doc())
        first = client.get("/feeds/claims.atom")
        speaker = session.scalars(
            select(Actor)
            .where(Actor.id == claims(session)[0].speaker_id)
            .options(selectinload(Actor.aliases))
        ).one()
        values = {"name_ar": speaker.name_ar, "name_en": "Dmitri S. Peskov", "kind": speaker.kind}
        edit_actor(session, speaker, values, aliases=[], seen=speaker.updated_at.isoformat())
        speaker.updated_at = datetime.now(UTC)  # now() stands still in the test's transaction
        session.commit()
        again = client.get("/feeds/claims.atom", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 200 and again.headers["etag"] != first.headers["etag"]
        assert "Dmitri S. Peskov" in again.text

    def test_a_renamed_speaker_renews_their_feed_with_no_entries(
        self, client: TestClient, maker: sessionmaker[Session], session: Session
    ) -> None:
        """A speaker's feed is titled by their name, entries or none: a reader subscribed to a
        speaker with no public statement yet kept the old name (304 by ETag or by date)."""
        registry = Path(__file__).parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []
        path = "/feeds/actors/vladimir-putin.atom"
        first = client.get(path)
        assert parse(client, path).entries == []
        putin = session.scalars(
            select(Actor).where(Actor.slug == "vladimir-putin").options(selectinload(Actor.aliases))
        ).one()
        values = {"name_ar": putin.name_ar, "name_en": "V. V. Putin", "kind": putin.kind}
        aliases = registry_aliases(putin)
        edit_actor(session, putin, values, aliases=aliases, seen=putin.updated_at.isoformat())
        # A minute on: now() stands still in the test's transaction, and HTTP dates are in seconds.
        putin.updated_at += timedelta(minutes=1)
        session.commit()
        for validator in (
            {"If-None-Match": first.headers["etag"]},
            {"If-Modified-Since": first.headers["last-modified"]},
        ):
            again = client.get(path, headers=validator)
            assert again.status_code == 200, validator
        assert parse(client, path).feed.title == "basewatch: statements by V. V. Putin"

    def test_a_base_or_stance_outside_its_vocabulary_is_a_404_that_names_the_choices(
        self, client: TestClient
    ) -> None:
        for path, named in (
            ("/feeds/bases/aleppo.atom", "hmeimim"),
            ("/feeds/stances/x.atom", "stay"),
        ):
            response = client.get(path)
            assert response.status_code == 404
            assert named in response.text
