import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.errors import Invalid
from app.ingest.batch import load_paths
from app.ingest.export import export_registry
from app.ingest.names import name_key
from app.models import Actor, ActorAlias, ActorRedirect, Claim, Revision
from app.services import actors as actors_service
from app.services.actors import merge_actors
from tests.editors import make_user
from tests.factories import article_doc
from tests.web.test_claims import load_docs

CLAIM_LINK = re.compile(r"/claims/(\d+)")


def actor(session: Session, slug: str) -> Actor:
    return session.scalars(select(Actor).where(Actor.slug == slug)).one()


def merge_abu_qasra_into_peskov(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    load_docs(maker, tmp_path, article_doc())
    merge_actors(
        session,
        actor(session, "murhaf-abu-qasra"),
        actor(session, "dmitry-peskov"),
        editor=make_user(session),
    )
    session.commit()


class TestActorPage:
    def test_the_page_links_the_speaker_s_feed(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """As a claim page does: in the head, for feed readers, and in the page, for people."""
        load_docs(maker, tmp_path, article_doc())
        page = BeautifulSoup(client.get("/actors/dmitry-peskov").text, "html.parser")
        feed = "/feeds/actors/dmitry-peskov.atom"
        head = page.select_one("head link[rel=alternate][type='application/atom+xml']")
        assert head is not None and head["href"] == feed
        assert head["title"] == "Statements by Dmitry Peskov"
        shown = page.select_one(f"main a[href='{feed}']")
        assert shown is not None and shown.text == "Feed of Dmitry Peskov's statements"
        assert client.get(feed).status_code == 200

    def test_the_names_it_goes_by_are_names_not_titles(
        self, client: TestClient, maker: sessionmaker[Session]
    ) -> None:
        """Under "Also written:", other spellings of the name: not the titles that name a speaker
        by office ("President of Russia"), which are no spelling of it (the role says it)."""
        registry = Path(__file__).parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []
        page = BeautifulSoup(client.get("/actors/vladimir-putin").text, "html.parser")
        names = [bdi.text for bdi in page.select(".aliases bdi")]
        assert names[:2] == ["Владимир Путин", "بوتين"] and "Vladimir Vladimirovich Putin" in names
        for title in ("President of Russia", "الرئيس الروسي", "Президент России"):
            assert title not in names

    def test_an_override_in_the_name_stays_in_it_when_there_is_no_statement(
        self, client: TestClient, maker: sessionmaker[Session], session: Session
    ) -> None:
        """ "No statement by NAME is in the archive yet": the name in a <bdi>, or a right-to-left
        override in it reverses the sentence's words after it."""
        registry = Path(__file__).parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []
        named = update(Actor).where(Actor.slug == "vladimir-putin")
        session.execute(named.values(name_en="\u202eVladimir Putin"))
        session.commit()
        page = BeautifulSoup(client.get("/actors/vladimir-putin").text, "html.parser")
        empty = page.select_one("#results .empty")
        assert empty is not None and empty.select_one("bdi").text == "\u202eVladimir Putin"


class TestFormerAddresses:
    def test_a_merged_actor_s_address_redirects_to_the_actor_it_became(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A journalist's link to a speaker's page keeps working after editors merge that
        speaker into another: a permanent redirect, the language asked for kept."""
        merge_abu_qasra_into_peskov(maker, session, tmp_path)
        moved = client.get("/actors/murhaf-abu-qasra?lang=ar", follow_redirects=False)
        assert moved.status_code == 301
        assert moved.headers["location"] == "/actors/dmitry-peskov?lang=ar"
        assert client.get("/actors/murhaf-abu-qasra").status_code == 200
        assert client.get("/actors/never-was-anyone").status_code == 404
        feed = client.get("/feeds/actors/murhaf-abu-qasra.atom", follow_redirects=False)
        assert feed.status_code == 301
        assert feed.headers["location"] == "/feeds/actors/dmitry-peskov.atom"

    def test_a_merged_actor_s_address_still_filters_by_the_actor_it_became(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A link to the timeline, the API or the export filtered by a speaker (the speaker
        page's own "Filter the timeline" link) keeps working after that speaker is merged into
        another, as the speaker's page and feed do: it selects the actor it became."""
        merge_abu_qasra_into_peskov(maker, session, tmp_path)
        for path in ("/", "/timeline/overview", "/api/claims", "/export.csv"):
            old = client.get(path, params={"speaker": "murhaf-abu-qasra"})
            new = client.get(path, params={"speaker": "dmitry-peskov"})
            assert (old.status_code, path) == (200, path)
            if path.startswith(("/api", "/export")):  # no form that shows the address asked for
                assert old.text == new.text
            else:
                listed = set(CLAIM_LINK.findall(old.text))
                assert listed == set(CLAIM_LINK.findall(new.text)) and len(listed) == 3

    def test_a_new_speaker_never_takes_a_merged_actor_s_address(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A speaker nobody knows, whose name makes the address a merged actor had, gets an
        address of its own: the old one keeps leading to the actor it was merged into."""
        merge_abu_qasra_into_peskov(maker, session, tmp_path)
        doc = article_doc(key="another-article", url="https://example.org/news/2")
        doc["claims"][2]["speaker"] |= {"name": "مرهف أبو-قصرة", "name_en": "Murhaf Abu-Qasra"}
        load_docs(maker, tmp_path, doc)
        assert actor(session, "murhaf-abu-qasra-2").name_en == "Murhaf Abu-Qasra"
        moved = client.get("/actors/murhaf-abu-qasra", follow_redirects=False)
        assert moved.headers["location"] == "/actors/dmitry-peskov"

    def test_a_past_version_names_the_actor_its_speaker_was_merged_into(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A version's permanent address still answers after editors merge the speaker it
        named into another actor (which deletes that actor), with the name the article wrote."""
        merge_abu_qasra_into_peskov(maker, session, tmp_path)
        moved = session.scalars(select(Claim).where(Claim.version == 2)).one()
        page = client.get(f"/claims/{moved.id}/v/1")
        assert page.status_code == 200
        said_by = BeautifulSoup(page.text, "html.parser").find("dt", string="Said by")
        assert said_by is not None
        assert " ".join(said_by.find_next("dd").text.split()).startswith(
            "Dmitry Peskov (مرهف أبو قصرة), Syrian Defence Minister"
        )


def test_a_merge_refused_partway_leaves_everything_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
    maker: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
) -> None:
    """Another editor saves Peskov's second claim while his claims move to Abu Qasra: the merge
    is refused, and his first claim stays his, with no revision, as if nothing had begun."""
    load_docs(maker, tmp_path, article_doc())
    peskov, abu_qasra = actor(session, "dmitry-peskov"), actor(session, "murhaf-abu-qasra")
    first, second = session.scalars(
        select(Claim.id).where(Claim.speaker_id == peskov.id).order_by(Claim.id)
    ).all()
    moving = actors_service.apply_edit

    def saved_meanwhile(session: Session, claim_id: int, *args: Any, **kwargs: Any) -> Any:
        if claim_id == second:  # another editor's save lands: the claim's version moves on
            session.execute(
                update(Claim).where(Claim.id == second).values(version=Claim.version + 1)
            )
        return moving(session, claim_id, *args, **kwargs)

    monkeypatch.setattr(actors_service, "apply_edit", saved_meanwhile)
    with pytest.raises(Invalid, match=f"claim {second} changed during the merge"):
        merge_actors(session, peskov, abu_qasra, editor=make_user(session))
    speakers = session.scalars(select(Claim.speaker_id).where(Claim.id.in_([first, second])))
    assert set(speakers) == {peskov.id}
    assert (
        session.scalar(
            select(func.count()).select_from(Revision).where(Revision.source == "editor")
        )
        == 0
    )
    assert session.get(ActorRedirect, "dmitry-peskov") is None


def test_a_merge_that_would_give_an_alias_to_two_actors_is_refused(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Two actors may share their own name, not an alias: merged into Peskov, Abu Qasra's name
    would become an alias of Peskov's that a namesake goes by too, and the registry be refused
    whole (the backup, every import). The merge is refused instead, and nothing of it stays."""
    load_docs(maker, tmp_path, article_doc())
    names = ("مرهف أبو قصرة", "Murhaf Abu Qasra")
    session.add(
        Actor(
            slug="namesake",
            kind="person",
            name_ar=names[0],
            name_en=names[1],
            aliases=[ActorAlias(name=n, key=name_key(n)) for n in names],
        )
    )
    session.flush()
    abu_qasra, peskov = actor(session, "murhaf-abu-qasra"), actor(session, "dmitry-peskov")
    with pytest.raises(Invalid, match="would name both dmitry-peskov and namesake"):
        merge_actors(session, abu_qasra, peskov, editor=make_user(session))
    session.expire_all()
    assert actor(session, "murhaf-abu-qasra").id == abu_qasra.id
    assert export_registry(session).actors
