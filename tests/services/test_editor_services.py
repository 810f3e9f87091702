"""The editors' services without the web: parsing an edit, and the import seam's proposals."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import FieldsInvalid
from app.ingest.batch import load_paths
from app.models import Actor, Article, Claim
from app.services.actors import create_actor, edit_actor
from app.services.article_import import ImportForm, import_article
from app.services.claim_edits import parse_edit
from tests.factories import BASE_DOC, TEXT

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


class TestParseEdit:
    def test_names_only_what_the_form_edits(self) -> None:
        form = {"fields": ["bases via"], "version": ["3"], "csrf_token": ["x"]}
        assert parse_edit(form) == {"bases": [], "via": []}

    def test_a_month_is_stored_as_its_first_day(self) -> None:
        edit = parse_edit({"stated_on": ["2025-02-12"], "stated_on_precision": ["month"]})
        assert edit == {"stated_on": "2025-02-01", "stated_on_precision": "month"}
        assert (
            parse_edit({"stated_on": ["2024"], "stated_on_precision": ["year"]})["stated_on"]
            == "2024-01-01"
        )
        assert (
            parse_edit({"stated_on": [""], "stated_on_precision": ["unknown"]})["stated_on"] is None
        )

    def test_every_bad_field_is_named(self) -> None:
        with pytest.raises(FieldsInvalid) as refused:
            parse_edit({"fields": ["stance start tone"], "stance": ["maybe"], "start": ["x"]})
        assert set(refused.value.errors) == {"stance", "start", "tone"}
        assert (
            "send start and end together" in refused.value.errors["start"]
            or "offset" in refused.value.errors["start"]
        )


def test_the_extractor_s_proposals_wait_in_the_queue(session: Session) -> None:
    proposed = [dict(claim) for claim in BASE_DOC["claims"][:2]]

    def propose(article: dict[str, Any]) -> list[dict[str, Any]]:
        assert article["text"] == TEXT and article["language"] == "ar"
        return [claim | {"extractor": "rules-0.2"} for claim in proposed]

    form = ImportForm(outlet="Test Outlet", language="ar", published_on="2025-02-07", text=TEXT)
    imported = import_article(session, form, propose=propose)
    assert imported.proposed == 2
    rows = session.execute(select(Claim.status, Claim.extractor, Claim.origin)).all()
    assert [tuple(r) for r in rows] == [("extracted", "rules-0.2", "extractor")] * 2


def test_import_runs_the_extractor_with_the_archive_s_actors(
    maker: sessionmaker[Session], session: Session
) -> None:
    """The real extractor, knowing the registry's names: Peskov is found, not only unnamed sources."""
    report = load_paths(maker, [SEEDS / "actors.json"], max_bytes=10**7)
    assert report.refused == []
    form = ImportForm(outlet="Test Outlet", language="ar", published_on="2025-02-07", text=TEXT)
    imported = import_article(session, form)
    assert imported.proposed >= 1
    speakers = session.scalars(select(Actor.slug).join(Claim, Claim.speaker_id == Actor.id)).all()
    assert "dmitry-peskov" in speakers
    statuses = set(session.scalars(select(Claim.status)))
    assert statuses == {"extracted"}


def test_an_untitled_article_is_titled_by_its_first_line_cut_at_a_word(session: Session) -> None:
    first_line = "قال مسؤول روسي إن " + "القوات الروسية باقية في قاعدة حميميم " * 8
    form = ImportForm(outlet="Test Outlet", language="ar", text=first_line + "\n" + TEXT)
    import_article(session, form, propose=lambda article: [])
    title = session.scalar(select(Article.title))
    assert title is not None and len(title) <= 150 and title.endswith(" …")
    stem = title.removesuffix(" …")
    assert first_line.startswith(stem) and first_line[len(stem)] == " "  # a whole word last


@pytest.mark.parametrize(
    ("name_en", "name_ar"), [("A" * 201, "اسم"), ("Ali", "ع" * 201)], ids=["english", "arabic"]
)
def test_a_new_actor_s_name_has_a_length_limit(
    session: Session, name_en: str, name_ar: str
) -> None:
    with pytest.raises(FieldsInvalid) as refused:
        create_actor(session, name_en=name_en, name_ar=name_ar, kind="person")
    assert refused.value.errors == {"speaker": "keep it under 200 characters"}
    assert session.scalar(select(Actor.id).where(Actor.name_en == name_en)) is None


def test_an_actor_s_names_and_role_have_length_limits(session: Session) -> None:
    actor = create_actor(session, name_en="Ali Khoury", name_ar="علي خوري", kind="person")
    values = {"name_en": "Ali Khoury", "name_ar": "ع" * 201, "kind": "person", "role": "x" * 301}
    with pytest.raises(FieldsInvalid) as refused:
        edit_actor(session, actor, values, aliases=[], seen=actor.updated_at.isoformat())
    assert refused.value.errors == {
        "name_ar": "keep it under 200 characters",
        "role": "keep it under 300 characters",
    }


def test_a_new_actor_whose_two_names_are_two_known_actors_is_refused_beside_the_speaker(
    maker: sessionmaker[Session], session: Session
) -> None:
    assert load_paths(maker, [SEEDS / "actors.json"], max_bytes=10**7).refused == []
    with pytest.raises(FieldsInvalid) as refused:
        create_actor(session, name_en="Vladimir Putin", name_ar="ديمتري بيسكوف", kind="person")
    assert "give both names of one speaker" in refused.value.errors["speaker"]
