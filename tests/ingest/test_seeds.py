"""The seed archive: every annotated article loads whole, with exactly the claims annotated."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.batch import load_paths
from app.ingest.export import articles_to_export, export_article
from app.ingest.load import Outcome
from app.models import Actor, Article, Claim

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLES = sorted((SEEDS / "articles").glob("*.json"))


def load_seeds(maker: sessionmaker[Session]) -> None:
    report = load_paths(maker, [SEEDS / "actors.json", SEEDS / "articles"], max_bytes=10**7)
    assert report.refused == []
    assert report.articles[Outcome.ADDED] == len(ARTICLES) == 5


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_each_seed_loads_with_the_claims_annotated(
    maker: sessionmaker[Session], session: Session, path: Path
) -> None:
    load_seeds(maker)
    annotated = json.loads(path.read_text())
    article = session.scalars(
        select(Article).where(Article.key == annotated["article"]["key"])
    ).one()
    exported = json.loads(
        export_article(session, articles_to_export(session, article.key)[0]).model_dump_json()
    )
    by_span = sorted(annotated["claims"], key=lambda c: c["start"])
    assert len(exported["claims"]) == len(by_span) > 0
    for mine, theirs in zip(exported["claims"], by_span, strict=True):
        for field in (
            "quote",
            "start",
            "end",
            "direct",
            "stated_on",
            "stated_on_precision",
            "bases",
            "stance",
            "via",
            "summary_en",
        ):
            assert mine[field] == theirs[field], (field, theirs["quote"])
        assert mine["speaker"]["name"] == theirs["speaker"]["name"]


def test_every_seed_speaker_is_a_registry_actor(
    maker: sessionmaker[Session], session: Session
) -> None:
    load_seeds(maker)
    assert session.scalar(select(func.count()).select_from(Actor).where(Actor.needs_review)) == 0
    speakers = session.scalar(select(func.count(func.distinct(Claim.speaker_id))))
    assert speakers is not None and speakers >= 8


def test_loading_the_seeds_twice_changes_nothing(maker: sessionmaker[Session]) -> None:
    load_seeds(maker)
    report = load_paths(maker, [SEEDS / "actors.json", SEEDS / "articles"], max_bytes=10**7)
    assert report.articles[Outcome.UNCHANGED] == 5
    assert (
        report.claims_added,
        report.claims_updated,
        report.actors_added,
        report.actors_updated,
    ) == (0, 0, 0, 0)
