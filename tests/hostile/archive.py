"""A database full of hostile text: the seeds, and one article per storable payload in which every
free-text field (title, outlet, quote, speaker's names and role, via, summary, tags) is the
payload, with a claim quoting it. The web and browser tests render every page over it."""

from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from app.ingest.schema import NAME_MAX_LENGTH
from app.models import Actor, Article, Claim
from app.models.vocab import Role
from app.services import auth
from tests.factories import write_json
from tests.hostile.corpus import PAYLOADS

ROOT = Path(__file__).resolve().parents[2]
EDITOR, ADMIN, PASSWORD = "hostile-editor", "hostile-admin", "correct horse battery staple"


def hostile_doc(key: str, value: str) -> dict[str, Any]:
    """An article whose every free-text field is `value`; its claim quotes `value` itself."""
    text = f"قال مصدر إن {value} انتهى."
    start = text.index(value)
    return {
        "format": "annotated-article/1",
        "article": {
            "key": key,
            "url": "https://example.org/hostile",
            "outlet": value,
            "title": value,
            "language": "ar",
            "published_on": "2025-02-07",
            "text": text,
        },
        "claims": [
            {
                "speaker": {
                    "name": value,
                    "name_en": value,
                    "kind": "person",
                    "role": value,
                    "affiliation": "RU",
                },
                "via": [value],
                "quote": value,
                "start": start,
                "end": start + len(value),
                "direct": True,
                "stated_on": "2025-02-06",
                "stated_on_precision": "day",
                "bases": ["hmeimim"],
                "stance": "stay",
                "summary_en": value,
                "tags": [value[:NAME_MAX_LENGTH]],  # a tag is a name, not a text
                "extractor": value,
            }
        ],
    }


def load_hostile_archive(url: str, folder: Path) -> None:
    """Load the seeds and the hostile articles into `url`, and add an editor and an admin."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        write_json(folder / f"hostile-{p.name}.json", hostile_doc(f"hostile-{p.name}", p.text))
        for p in PAYLOADS
    ]
    engine = make_engine(url)
    maker = make_sessionmaker(engine)
    report = load_paths(
        maker,
        [ROOT / "seeds" / "actors.json", ROOT / "seeds" / "articles", *files],
        max_bytes=10**7,
    )
    assert report.refused == [], report.refused
    with maker.begin() as session:
        auth.add_user(session, EDITOR, Role.EDITOR, PASSWORD)
        auth.add_user(session, ADMIN, Role.ADMIN, PASSWORD)
    engine.dispose()


def hostile_rows(url: str) -> tuple[dict[str, int], dict[str, str]]:
    """Payload name → its claim's id, and → its speaker's slug."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        rows = session.execute(
            select(Article.key, Claim.id, Actor.slug)
            .join(Claim, Claim.article_id == Article.id)
            .join(Actor, Actor.id == Claim.speaker_id)
            .where(Article.key.startswith("hostile-"))
        ).all()
    engine.dispose()
    claims = {key.removeprefix("hostile-"): claim_id for key, claim_id, _ in rows}
    speakers = {key.removeprefix("hostile-"): slug for key, _, slug in rows}
    return claims, speakers
