"""One engine per process; sessions keep their objects usable after commit."""

import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

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
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args=connect_args
    )
    _count_query_time(engine)
    return engine


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
