"""What every subcommand shares: the settings and a database to talk to."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_engine, make_sessionmaker, resolve_database_url
from app.settings import Settings, get_settings


def database_url(settings: Settings | None = None) -> str:
    """The configured server, or the embedded one (started now if it is not running)."""
    return resolve_database_url(settings or get_settings())


@contextmanager
def open_sessionmaker(url: str | None = None) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url or database_url())
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()
