"""Transaction scopes (only these commit: services flush, the boundary commits or rolls back),
column reads that skip the ORM, and reads shared by concurrent requests."""

import asyncio
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar, TypeVarTuple

import anyio.to_thread
from sqlalchemy import CursorResult
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.selectable import TypedReturnsRows

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
