from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Row, TextClause, create_engine, inspect, text

from app.db import migrate
from app.db.engine import make_engine, make_sessionmaker
from app.extract.search_text import search_text
from app.ingest.batch import load_paths
from app.ingest.names import name_key
from tests.factories import TAG_COPIES_DIFFERING, article_doc, write_json


def archive_of(url: str, tmp_path: Path, doc: dict[str, Any]) -> Engine:
    """The database at `url` holding the article `doc`, loaded as the loader does."""
    engine = make_engine(url)
    path = write_json(tmp_path / "a.json", doc)
    assert load_paths(make_sessionmaker(engine), [path], max_bytes=10**7).refused == []
    return engine


def migrated_again(
    engine: Engine, url: str, before: str, query: TextClause
) -> list[Row[*tuple[Any, ...]]]:
    """The rows of `query` once the database went down to revision `before` and up again."""
    migrate.downgrade(url, before)
    migrate.upgrade(url)
    with engine.connect() as conn:
        rows = list(conn.execute(query))
    engine.dispose()
    return rows


def test_up_down_up_leaves_the_schema_the_models_describe(fresh_database_url: str) -> None:
    migrate.downgrade(fresh_database_url, "base")
    engine = create_engine(fresh_database_url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    migrate.upgrade(fresh_database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"articles", "claims", "actors", "revisions", "users", "tags"} <= tables
    migrate.check(fresh_database_url)  # raises if the models and migrations have drifted


@pytest.mark.parametrize("before", ["8d2f4b6a1c37", "213f21a84e83"])
def test_the_migrations_that_change_how_search_reads_words_write_search_texts_again(
    fresh_database_url: str, tmp_path: Path, before: str
) -> None:
    """An archive stored before search read للقوات as قوات, اتفاقيتها as اتفاقية, روسیا as روسيا
    or الموانىء as الموانئ (6c1e9a3f5d28), or ۲۲۵۴ as 2254 and U.S. as one word (88a3033aa364),
    holds search texts of the earlier reading: once migrated, every claim's is what search_text
    now makes of its quote and title."""
    engine = archive_of(fresh_database_url, tmp_path, article_doc(title="القرار ۲۲۵۴ U.S."))
    with engine.begin() as conn:
        conn.execute(text("UPDATE claims SET search_text = 'stale'"))
    texts = text(
        "SELECT c.quote, a.title, c.search_text FROM claims c"
        " JOIN articles a ON a.id = c.article_id"
    )
    rows = migrated_again(engine, fresh_database_url, before, texts)
    assert rows and all(row.search_text == search_text(row.quote, row.title) for row in rows)


def test_the_migration_that_drops_the_vectors_positions_strips_the_stored_ones(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An archive stored with positions in its vectors (before 2d7f5a9c1e64) keeps the same
    words without them, and a search finds what it found."""
    engine = archive_of(fresh_database_url, tmp_path, article_doc())
    migrate.downgrade(fresh_database_url, "6e1b9d3f7a52")
    vectors = "SELECT id, {vector}::text, search_vector @@ 'قاعد'::tsquery FROM claims ORDER BY id"
    with engine.connect() as conn:
        assert conn.scalar(
            text("SELECT bool_and(search_vector <> strip(search_vector)) FROM claims")
        )
        before = conn.execute(text(vectors.format(vector="strip(search_vector)"))).all()
    migrate.upgrade(fresh_database_url)
    with engine.connect() as conn:
        after = conn.execute(text(vectors.format(vector="search_vector"))).all()
    engine.dispose()
    assert before and any(found for *_, found in before)
    assert after == before


def test_the_migration_that_keys_names_as_search_reads_them_writes_the_keys_again(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Names keyed before name_key folded a hamza's seats and Persian letters (213f21a84e83)
    are keyed as it now folds them, and two names of one actor that are now one key keep one
    row, the older."""
    doc = article_doc()
    doc["claims"][0]["speaker"] |= {"name": "مسؤول روسي", "name_en": "A Russian official"}
    engine = archive_of(fresh_database_url, tmp_path, doc)
    migrate.downgrade(fresh_database_url, "2d7f5a9c1e64")
    with engine.begin() as conn:
        official = conn.scalar(text("SELECT actor_id FROM actor_aliases WHERE name = 'مسؤول روسي'"))
        conn.execute(
            text("INSERT INTO actor_aliases (actor_id, name, key) VALUES (:a, :n, :n)"),
            {"a": official, "n": "مسئول روسی"},
        )
    migrate.upgrade(fresh_database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, key FROM actor_aliases ORDER BY id")).all()
    engine.dispose()
    assert all(row.key == name_key(row.name) for row in rows)
    assert [row.name for row in rows if row.key == name_key("مسئول روسی")] == ["مسؤول روسي"]


def test_the_migration_that_gives_claims_their_tags_ids_fills_them_in(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An archive stored before claims carried their tags' ids (5d0c2e7b9f41) gets each claim's,
    in order; the triggers then keep them."""
    doc = article_doc()
    doc["claims"][0]["tags"] = ["wire", "talks"]
    engine = archive_of(fresh_database_url, tmp_path, doc)
    ids = text(
        f"SELECT ({TAG_COPIES_DIFFERING}),"
        " (SELECT array_agg(cardinality(tag_ids) ORDER BY id) FROM claims)"
    )
    [(differing, sizes)] = migrated_again(engine, fresh_database_url, "88a3033aa364", ids)
    assert differing == 0 and sizes == [2, 0, 0]
