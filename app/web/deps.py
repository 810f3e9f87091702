"""Request-scoped dependencies, as Annotated aliases routes declare."""

import threading
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from app.db.session import SharedRead, session_scope
from app.messages import N_
from app.models import User
from app.models.vocab import Role
from app.queries.timeline import Change
from app.services import auth
from app.web.csrf import require_csrf
from app.web.read_your_writes import reads_primary
from app.web.security import SESSION_COOKIE, AccessRefused, sign_in_required


def get_write_session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.sessionmaker)


def reading_sessionmaker(request: Request) -> sessionmaker[Session]:
    """The replica's sessions (when there is one), the primary's for a browser that just wrote."""
    state = request.app.state
    if state.read_sessionmaker is not state.primary_reads and reads_primary(
        request, state.settings.secret_key
    ):
        return state.primary_reads  # type: ignore[no-any-return]
    return state.read_sessionmaker  # type: ignore[no-any-return]


async def read_archive_state(request: Request) -> str:
    """The archive's state as this request's reads see it (`archive_state`), read after the
    request arrived, once for all the requests waiting for it at that moment."""
    shared: SharedRead[str] = request.app.state.archive_states[reading_sessionmaker(request)]
    return await shared.get()


async def read_last_change(request: Request) -> Change:
    """When a claim or a speaker last changed (`last_change`), read the same way."""
    shared: SharedRead[Change] = request.app.state.last_changes[reading_sessionmaker(request)]
    return await shared.get()


async def get_read_session(request: Request) -> AsyncIterator[Session]:
    """An autocommit session: nothing to commit, and opening or closing one does no I/O, so
    this runs on the event loop instead of costing the request two more thread hops."""
    with reading_sessionmaker(request)() as session:
        yield session


EXPORTS_AT_ONCE = 8
"""Streamed exports one app process serves at once. Each holds a pooled connection while it
streams (up to its 5 minutes, however slowly it is read): 30 slow downloads took the whole pool
(20 + 10), and every page waited for a connection. Eight leave the pages theirs."""


def export_slots() -> threading.BoundedSemaphore:
    """An app's slots for streamed exports (`app.state.export_slots`)."""
    return threading.BoundedSemaphore(EXPORTS_AT_ONCE)


def get_export_slot(request: Request) -> Iterator[None]:
    """One of the slots, held while the export streams; none free: 503 at once, to try later.
    A dependency of the exports' router, so taken before the export's session and connection."""
    slots: threading.BoundedSemaphore = request.app.state.export_slots
    if not slots.acquire(blocking=False):
        message = N_("Too many downloads are running at once. Try again in a minute.")
        raise HTTPException(503, message, headers={"Retry-After": "60"})
    try:
        yield
    finally:
        slots.release()


def get_streaming_session(request: Request) -> Iterator[Session]:
    """For a response streamed from a server-side cursor, which lives only in a transaction: one
    REPEATABLE READ snapshot for the whole export."""
    with reading_sessionmaker(request)() as session:
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session


# scope="function": commit or roll back before the response is sent, never after it.
WriteSession = Annotated[Session, Depends(get_write_session, scope="function")]
ReadSession = Annotated[Session, Depends(get_read_session, scope="function")]
# The default scope keeps it open while the response streams, and closes it after.
StreamingSession = Annotated[Session, Depends(get_streaming_session)]
# Read before the route's own queries: a response is never kept under a change older than it.
LastChange = Annotated[Change, Depends(read_last_change)]


async def get_user_sessionmaker(request: Request) -> sessionmaker[Session]:
    """Always the primary: a replica a few seconds behind would keep a disabled account, or a
    session signed out or ended by a new password, at work until it caught up. Only requests
    with a session cookie (editors') ask, so the public pages still read from the replica."""
    return request.app.state.primary_reads  # type: ignore[no-any-return]


async def get_current_user(
    request: Request, maker: Annotated[sessionmaker[Session], Depends(get_user_sessionmaker)]
) -> User | None:
    """The signed-in user or None, also kept as `request.state.user` for templates (the app makes
    every route depend on this). Its own short session: a request never holds two connections.
    Async, so that a visitor without a session cookie (every public page) costs no thread hop;
    only the lookup of a cookie's session goes to the threadpool."""
    token = request.cookies.get(SESSION_COOKIE)
    user = await run_in_threadpool(_user_for_token, maker, token) if token else None
    request.state.user = user
    return user


def _user_for_token(maker: sessionmaker[Session], token: str) -> User | None:
    with maker() as session:
        return auth.user_for_token(session, token)


def require_user(user: Annotated[User | None, Depends(get_current_user)]) -> User:
    if user is None:
        raise sign_in_required()
    return user


def require_editor(user: Annotated[User, Depends(require_user)]) -> User:
    if user.role not in (Role.EDITOR, Role.ADMIN):
        raise AccessRefused(403, N_("Only editors may do this."))
    return user


def require_admin(user: Annotated[User, Depends(require_user)]) -> User:
    if user.role != Role.ADMIN:
        raise AccessRefused(403, N_("Only administrators may do this."))
    return user


# Signed in (401, or a redirect to /login for a page), with the role (403), with the token (403).
CurrentUser = Annotated[User, Depends(require_user)]
CurrentEditor = Annotated[User, Depends(require_editor)]
CurrentAdmin = Annotated[User, Depends(require_admin)]
CsrfChecked = Annotated[None, Depends(require_csrf)]
