from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Actor
from app.services.actors import merge_actors
from tests.editors import make_user
from tests.factories import article_doc
from tests.web.test_claims import load_docs


def actor(session: Session, slug: str) -> Actor:
    return session.scalars(select(Actor).where(Actor.slug == slug)).one()


class TestFormerAddresses:
    def test_a_merged_actor_s_address_redirects_to_the_actor_it_became(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A journalist's link to a speaker's page keeps working after editors merge that
        speaker into another: a permanent redirect, the language asked for kept."""
        load_docs(maker, tmp_path, article_doc())
        merge_actors(
            session,
            actor(session, "murhaf-abu-qasra"),
            actor(session, "dmitry-peskov"),
            editor=make_user(session),
        )
        session.commit()
        moved = client.get("/actors/murhaf-abu-qasra?lang=ar", follow_redirects=False)
        assert moved.status_code == 301
        assert moved.headers["location"] == "/actors/dmitry-peskov?lang=ar"
        assert client.get("/actors/murhaf-abu-qasra").status_code == 200
        assert client.get("/actors/never-was-anyone").status_code == 404
        feed = client.get("/feeds/actors/murhaf-abu-qasra.atom", follow_redirects=False)
        assert feed.status_code == 301
        assert feed.headers["location"] == "/feeds/actors/dmitry-peskov.atom"
