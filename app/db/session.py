"""Transaction scopes (only these commit: services flush, the boundary commits or rolls back),
column reads that skip the ORM (and the hottest, SQLAlchemy's execution too), and reads shared
by concurrent requests."""

import asyncio
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar, TypeVarTuple

import anyio.to_thread
import psycopg
from sqlalchemy import Connection, CursorResult, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.selectable import TypedReturnsRows

from app import costs

Columns = TypeVarTuple("Columns")


def session_scope(maker: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session inside one transaction: committed if the caller finishes, else rolled back."""
    with maker.begin() as session:
        yield session


def read_rows(
    session: Session,
    statement: TypedReturnsRows[*Columns],
    params: Mapping[str, Any] | None = None,
) -> CursorResult[*Columns]:
    """Run a statement that reads columns, not ORM objects, on the session's connection: the
    ORM's bookkeeping around each statement was 7% of a timeline page's instructions."""
    return session.connection().execute(statement, params)


class DriverRead(Generic[*Columns]):
    """A read statement built once, compiled once, and run on the driver's own cursor: for the
    hottest reads, a claim page's. SQLAlchemy's execution around a statement (its context,
    result and rows) cost 0.1 to 0.2 ms of CPU more than psycopg's alone; without it, a claim
    page built afresh took a seventh less CPU. Rows are psycopg's tuples: for plain columns, the
    values SQLAlchemy gives. Not for a statement with expanding parameters (`IN` over a list),
    whose SQL changes with the list."""

    def __init__(self, statement: Select[*Columns]) -> None:
        self.statement = statement
        self._compiled: tuple[str, dict[str, Any]] | None = None

    def rows(self, session: Session, params: Mapping[str, Any]) -> list[tuple[*Columns]]:
        connection = session.connection()
        sql, constants = self._compiled or self._compile(connection)
        values = constants | dict(params)
        driver = connection.connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
        cursor: psycopg.Cursor[Any] = driver.cursor()
        started = time.perf_counter()
        try:
            return cursor.execute(sql, values).fetchall()
        except psycopg.Error as error:
            raise _as_sqlalchemy_error(connection, sql, values, error) from error
        finally:
            costs.add("db", time.perf_counter() - started)
            cursor.close()

    def row(self, session: Session, params: Mapping[str, Any]) -> tuple[*Columns] | None:
        """The first row, or None when there is none."""
        rows = self.rows(session, params)
        return rows[0] if rows else None

    def _compile(self, connection: Connection) -> tuple[str, dict[str, Any]]:
        compiled = self.statement.compile(dialect=connection.dialect)
        self._compiled = (str(compiled), dict(compiled.params))
        return self._compiled


def _as_sqlalchemy_error(
    connection: Connection, sql: str, values: dict[str, Any], error: psycopg.Error
) -> DBAPIError:
    """The error as SQLAlchemy raises it (the web's handlers answer those), with what it does
    when the connection is gone: this connection invalidated, and the pool's others with it,
    since a server that cut one has cut them all."""
    dbapi_error: Any = error  # SQLAlchemy types it as the DBAPI module's base error
    gone = connection.dialect.is_disconnect(
        dbapi_error, connection.connection.dbapi_connection, None
    )
    if gone:
        connection.invalidate(error)
        connection.engine.dispose(close=False)
    wrapped = DBAPIError.instance(
        sql, values, error, psycopg.Error, connection_invalidated=gone, dialect=connection.dialect
    )
    assert isinstance(wrapped, DBAPIError)
    return wrapped


T = TypeVar("T")


class SharedRead(Generic[T]):
    """A value read through `maker` by one request for every request waiting for it.

    Each request still gets a value read after it arrived: one that arrives while a read is
    running waits for the next, which all those arriving meanwhile share. At 16 concurrent
    requests a kept page's validator then costs one query per few requests instead of one
    each, and a waiting request needs no thread and no connection: the query and its thread
    had been half of what a kept page cost.
    """

    def __init__(self, maker: sessionmaker[Session], read: Callable[[Session], T]) -> None:
        self.maker, self.read = maker, read
        self.running: asyncio.Task[T] | None = None
        self.next: asyncio.Task[T] | None = None

    async def get(self) -> T:
        loop = asyncio.get_running_loop()
        if self.next is None or self.next.get_loop() is not loop:
            after = self.running if self.running and self.running.get_loop() is loop else None
            self.next = loop.create_task(self._read_after(after))
        return await asyncio.shield(self.next)

    async def _read_after(self, previous: "asyncio.Task[T] | None") -> T:
        if previous is not None:
            await asyncio.wait([previous])  # whatever it came to
        self.running, self.next = self.next, None  # from now on, arrivals wait for the next
        return await anyio.to_thread.run_sync(self._read_now)

    def _read_now(self) -> T:
        with self.maker() as session:
            return self.read(session)
