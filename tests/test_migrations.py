from sqlalchemy import create_engine, inspect

from app.db import migrate


def test_up_down_up_leaves_the_schema_the_models_describe(fresh_database_url: str) -> None:
    migrate.downgrade(fresh_database_url, "base")
    engine = create_engine(fresh_database_url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    migrate.upgrade(fresh_database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"articles", "claims", "actors", "revisions", "users", "tags"} <= tables
    migrate.check(fresh_database_url)  # raises if the models and migrations have drifted
