"""One engine per process; sessions keep their objects usable after commit."""

import time
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from app import costs
from app.db.local_pg import start_local_server
from app.settings import Settings


def resolve_database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return start_local_server(settings.data_dir)


def make_engine(url: str, *, statement_timeout_ms: int | None = None) -> Engine:
    """`statement_timeout_ms` cuts off any one query that runs longer (web requests set it)."""
    # Custom plans always: psycopg prepares a statement run 5 times, and PostgreSQL's generic plan
    # for it (blind to the values) can walk a speaker's 200,000 claims where 50 index rows do.
    options = "-c plan_cache_mode=force_custom_plan"
    if statement_timeout_ms:
        options += f" -c statement_timeout={statement_timeout_ms}"
    connect_args = {"options": options}
    # 20 kept open: with 10, a page served to 16 analysts at once opened and closed a connection
    # on most requests (a process forked on the database's side each time).
    engine = create_engine(url, pool_size=20, max_overflow=10, connect_args=connect_args)
    _ping_after_idle(engine)
    _count_query_time(engine)
    return engine


IDLE_BEFORE_PING = 2.0
"""Seconds a pooled connection may sit unused before it is pinged at checkout."""


def _ping_after_idle(engine: Engine) -> None:
    """Ping a connection at checkout only if it sat idle: a database restart may have cut it.

    `pool_pre_ping` pings on every checkout, a round trip that cost a timeline page 6%; a
    connection in steady use has just proved itself. One cut while in use fails its request (503),
    and SQLAlchemy then discards every older connection in the pool, so the next request connects
    afresh (tests/test_faults.py)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        idle_since = record.info.get("idle_since", time.monotonic())
        if time.monotonic() - idle_since > IDLE_BEFORE_PING:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except psycopg.Error as error:
                raise DisconnectionError("the connection did not answer a ping") from error


def _count_query_time(engine: Engine) -> None:
    """Add each query's time to the request's costs (the `db` of its Server-Timing header)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn: Connection, *_: Any) -> None:
        conn.info["query_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn: Connection, *_: Any) -> None:
        costs.add("db", time.perf_counter() - conn.info.pop("query_started"))


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_read_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions for pages that only read, in autocommit: no BEGIN and COMMIT round trips, and
    closing one returns its connection without a word to the server. Shares `engine`'s pool."""
    return make_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))
