"""A real PostgreSQL for every test: TEST_DATABASE_URL's server, or an embedded one in a temp dir.

Each pytest process gets its own migrated database; each test runs in a transaction that is
rolled back (SQLAlchemy's "join a session into an external transaction" recipe), so tests never
see each other's rows. Tests that must commit for real (CLI runs) take `fresh_database_url`.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db import migrate
from app.db.local_pg import start_server
from app.db.session import session_scope
from app.main import create_app
from app.queries.timeline import last_change
from app.settings import Settings
from app.web.deps import (
    get_read_session,
    get_streaming_session,
    get_user_sessionmaker,
    get_write_session,
    read_last_change,
)
from tests.live import chromium

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A URL with rights to create databases."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return Settings(DATABASE_URL=url).database_url or url
    return start_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")


def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_database_url(pg_admin_url: str) -> Iterator[str]:
    """A migrated database nobody connects to, that test databases are copied from."""
    name = f"basewatch_tpl_{os.getpid()}"
    _admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(pg_admin_url, f'CREATE DATABASE "{name}"')
    migrate.upgrade(_url(pg_admin_url, name))
    yield _url(pg_admin_url, name)
    _admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy_of_template(pg_admin_url: str, template_url: str) -> Iterator[str]:
    name = f"basewatch_test_{uuid.uuid4().hex[:12]}"
    template = make_url(template_url).database
    _admin(pg_admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _url(pg_admin_url, name)
    _admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(pg_admin_url: str, template_database_url: str) -> Iterator[str]:
    """The database the transactional tests share (each in its own rolled-back transaction)."""
    yield from _copy_of_template(pg_admin_url, template_database_url)


@pytest.fixture
def fresh_database_url(pg_admin_url: str, template_database_url: str) -> Iterator[str]:
    """An empty migrated database of the test's own, for code that commits."""
    yield from _copy_of_template(pg_admin_url, template_database_url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def maker(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits are savepoints inside the test's transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(maker: sessionmaker[Session]) -> Iterator[Session]:
    with maker() as session:
        yield session


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(DATABASE_URL=database_url)


@pytest.fixture
def client(
    settings: Settings, maker: sessionmaker[Session], session: Session
) -> Iterator[TestClient]:
    """The app, with every request's session joined into the test's transaction, and its last
    change read there too. The archive's state is read apart, and writes here, which commit
    only to savepoints, leave it as it was: a test of what a kept timeline page shows after a
    write needs a database of its own."""
    app = create_app(settings)

    def test_session() -> Iterator[Session]:
        session.expunge_all()  # each request starts from the database, as in production
        yield from session_scope(maker)

    app.dependency_overrides[get_write_session] = test_session
    app.dependency_overrides[get_read_session] = test_session
    app.dependency_overrides[get_streaming_session] = test_session
    app.dependency_overrides[get_user_sessionmaker] = lambda: maker
    app.dependency_overrides[read_last_change] = lambda: last_change(session)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run (tests/browser and tests/hostile both drive it)."""
    with chromium() as launched:
        yield launched
