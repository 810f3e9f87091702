from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from app.db import migrate
from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from tests.factories import article_doc, write_json


def test_up_down_up_leaves_the_schema_the_models_describe(fresh_database_url: str) -> None:
    migrate.downgrade(fresh_database_url, "base")
    engine = create_engine(fresh_database_url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    migrate.upgrade(fresh_database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"articles", "claims", "actors", "revisions", "users", "tags"} <= tables
    migrate.check(fresh_database_url)  # raises if the models and migrations have drifted


STORED_BEFORE = """UPDATE claims
SET search_text = array_to_string(array_remove(string_to_array(search_text, ' '), 'قوات'), ' ')"""


def test_an_archive_s_search_text_is_written_again_as_search_now_reads_it(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """A claim stored before search unwrapped للقوات (for the forces) into قوات is found by a
    search for قوات once the archive is migrated."""
    engine = make_engine(fresh_database_url)
    doc = article_doc(title="بيسكوف")
    doc["article"]["text"] = doc["article"]["text"].replace("القوات", "للقوات", 1)
    doc["claims"][0]["quote"] = doc["claims"][0]["quote"].replace("القوات", "للقوات", 1)
    path = write_json(tmp_path / "a.json", doc)
    assert load_paths(make_sessionmaker(engine), [path], max_bytes=10**7).refused == []
    found = text("SELECT count(*) FROM claims WHERE search_vector @@ to_tsquery('arabic', 'قوات')")
    with engine.begin() as conn:
        now = conn.scalar(found)
        conn.execute(text(STORED_BEFORE))
        assert conn.scalar(found) == now - 1  # as an archive stored before the change has it
    migrate.downgrade(fresh_database_url, "8d2f4b6a1c37")
    migrate.upgrade(fresh_database_url)
    with engine.connect() as conn:
        assert conn.scalar(found) == now
    engine.dispose()
