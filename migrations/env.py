"""Alembic environment: the URL comes from the caller (tests, CLI) or from basewatch's settings."""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.db.base import Base
from app.db.engine import resolve_database_url
from app.settings import get_settings

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = config.attributes.get("sqlalchemy.url") or resolve_database_url(get_settings())
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        run_on(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("basewatch migrations run online only")
run_migrations_online()
