"""What every subcommand shares: the settings and a database to talk to.

A setting or a database that cannot be used is one line on standard error and exit code 1
(click.ClickException), said once before any work: not a traceback, nor one refusal per file.
"""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import click
import psycopg
from pydantic import ValidationError
from sqlalchemy import URL, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from app.db.engine import make_engine, make_sessionmaker, resolve_database_url
from app.settings import Settings, get_settings

CONNECT_TIMEOUT_S = 10
"""A server behind a firewall that drops packets would otherwise keep the command waiting."""


def settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        # The name and the rule only: a value may be a secret (SECRET_KEY, a URL's password).
        problems = (
            f"{'.'.join(map(str, e['loc']))}: {_lower_first(e['msg'])}" for e in error.errors()
        )
        raise click.ClickException("; ".join(problems)) from None


def database_url(*, needs_schema: bool = False) -> str:
    """The configured server, or the embedded one (started now if it is not running), checked
    to answer, and with `needs_schema` to hold basewatch's tables."""
    url = _resolve(settings())
    _check_database(url, needs_schema=needs_schema)
    return url


def check_read_database(url: str) -> None:
    """DATABASE_READ_URL answers: a typo there would otherwise start a server whose every public
    page is a 503."""
    try:
        _check_database(url, needs_schema=False)
    except click.ClickException as error:
        raise click.ClickException(f"DATABASE_READ_URL: {error.message}") from None


@contextmanager
def open_sessionmaker(url: str | None = None) -> Iterator[sessionmaker[Session]]:
    """Sessions on `url` as it is, or on the configured database once it has been checked."""
    engine = make_engine(url or database_url(needs_schema=True))
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


def database_failure(error: OperationalError | psycopg.OperationalError) -> click.ClickException:
    """A database that stopped answering during a command, in one line."""
    return click.ClickException(f"the database failed: {_reason(error)}")


def _resolve(configured: Settings) -> str:
    try:
        return resolve_database_url(configured)
    except (OSError, RuntimeError, subprocess.SubprocessError, OperationalError) as error:
        # Only the embedded server's start can fail here: a DATABASE_URL is returned as it is.
        raise click.ClickException(
            f"cannot start basewatch's own PostgreSQL in {configured.data_dir}: "
            f"{_start_failure(error, configured)}; set BASEWATCH_DATA_DIR to a folder basewatch "
            "may write, or DATABASE_URL to a server"
        ) from None


def _start_failure(error: Exception, configured: Settings) -> str:
    if isinstance(error, subprocess.SubprocessError):  # its message is pg_ctl's command line
        return f"the server did not start (its log: {configured.data_dir / 'log'})"
    if isinstance(error, FileExistsError):  # a file stands where a folder must be made
        return f"{error.filename} is not a folder"
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return _reason(error)


def _check_database(url: str, *, needs_schema: bool) -> None:
    where = _where(_parsed(url))
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
    )
    try:
        with engine.connect() as connection:
            has_tables = connection.scalar(text("SELECT to_regclass('articles') IS NOT NULL"))
    except OperationalError as error:
        raise click.ClickException(
            f"cannot reach the database at {where}: {_reason(error)}"
        ) from None
    finally:
        engine.dispose()
    if needs_schema and not has_tables:
        raise click.ClickException(
            f"the database at {where} has no basewatch tables: run basewatch db upgrade"
        )


def _parsed(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # neither message repeats the URL, nor its password
        parsed = None
    if parsed is None or not parsed.drivername.startswith("postgresql"):
        raise click.ClickException(
            "DATABASE_URL is not a PostgreSQL address: "
            "write postgresql://user:password@host:port/name"
        )
    return parsed


def _where(url: URL) -> str:
    """`127.0.0.1:5432/basewatch`, or the socket folder's path: never the password."""
    place = url.host or url.query.get("host") or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"{place}{port}/{url.database or ''}"


def _reason(error: Exception) -> str:
    """`connection refused` from psycopg's `connection failed: connection to server at
    "127.0.0.1", port 59999 failed: Connection refused` and its hint on the next line."""
    cause = getattr(error, "orig", None) or error
    first_line = (str(cause).strip() or type(cause).__name__).splitlines()[0]
    reason = first_line.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
    return _lower_first(reason)


def _lower_first(message: str) -> str:
    """`Connection refused` reads `connection refused` after a colon; `SSL …` stays as it is."""
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        return message[0].lower() + message[1:]
    return message
