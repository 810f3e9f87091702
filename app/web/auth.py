"""Editors' accounts: sign in, sign out, and (administrators) who may sign in."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.errors import NotFound
from app.messages import N_
from app.models import User
from app.services import auth
from app.web.deps import CsrfChecked, CurrentAdmin, ReadSession, WriteSession
from app.web.htmx import is_htmx, page_of
from app.web.i18n import ngettext, translate
from app.web.security import (
    SESSION_COOKIE,
    AccessRefused,
    SecurityHeaders,
    safe_next,
    set_session_cookie,
    sign_in_required,
)
from app.web.templating import render
from app.web.urls import keeping_query, split_address

router = APIRouter()

WRONG = N_("That name and password do not match an account that may sign in.")


@router.get("/login", name="login")
def login_page(request: Request, next: str | None = None) -> Response:
    return _login_form(request, safe_next(next))


@router.post("/login")
def sign_in(
    request: Request,
    session: WriteSession,
    _: CsrfChecked,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    target = safe_next(next)
    address = request.client.host if request.client else "unknown"
    try:
        signed_in = auth.sign_in(session, username, password, address=address)
    except auth.TooManyAttempts as refused:
        minutes = max(1, round(refused.retry_after.total_seconds() / 60))
        message = ngettext(
            "Too many attempts to sign in. Try again in %(num)d minute.",
            "Too many attempts to sign in. Try again in %(num)d minutes.",
            minutes,
        ) % {"num": minutes}
        response = _login_form(request, target, error=message, username=username, status=429)
        response.headers["Retry-After"] = str(int(refused.retry_after.total_seconds()) + 1)
        return response
    except auth.SignInRefused:
        return _login_form(request, target, error=translate(WRONG), username=username, status=401)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        auth.end_session(session, old)  # a new token at every sign-in: no session fixation
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, signed_in.token)
    return response


def _login_form(
    request: Request,
    target: str,
    *,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    context = {"next": target, "error": error, "username": username}
    return render(request, "auth/login.html", context, status_code=status)


@router.post("/logout", name="logout")
def sign_out(request: Request, session: WriteSession, _: CsrfChecked) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.end_session(session, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/users", name="users")
def users_page(request: Request, session: ReadSession, admin: CurrentAdmin) -> Response:
    users = list(session.scalars(select(User).order_by(User.username)))
    return render(request, "auth/users.html", {"users": users}, block="users")


@router.post("/users/{user_id}/disabled")
def set_disabled(
    request: Request,
    session: WriteSession,
    admin: CurrentAdmin,
    _: CsrfChecked,
    user_id: int,
    disabled: Annotated[bool, Form()],
) -> Response:
    accounts = _locked_accounts(session, user_id, admin.id)
    user = accounts.get(user_id)
    if user is None:
        raise NotFound(N_("no account with id %(id)d", id=user_id))
    if user.id == admin.id:
        raise AccessRefused(403, N_("You cannot disable your own account."))
    if accounts[admin.id].disabled:  # by another administrator since this request was let in
        raise sign_in_required()
    auth.set_disabled(session, user, disabled)
    if not is_htmx(request):  # a plain form: back to the list, so that a reload posts nothing
        return RedirectResponse("/users", status_code=303)
    return users_page(request, session, admin)


def _locked_accounts(session: Session, *ids: int) -> dict[int, User]:
    """The accounts, locked in id order until the transaction ends, as they stand now: two
    administrators disabling each other at once would each pass the check that lets only an
    enabled administrator in, and leave no one who may manage the accounts. Locked, the second
    waits for the first and finds its own account disabled."""
    query = select(User).where(User.id.in_(ids)).order_by(User.id).with_for_update()
    return {user.id: user for user in session.scalars(query)}


async def on_refused(request: Request, error: Exception) -> Response:
    """401 → the sign-in page (a redirect for a page, HX-Redirect for htmx); 403/429 → a message."""
    assert isinstance(error, AccessRefused)
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return JSONResponse({"detail": error.detail}, error.status_code, error.headers)
    login = f"/login?next={quote(_here(request), safe='/')}"
    if error.sign_in and not is_htmx(request) and request.method in ("GET", "HEAD"):
        return RedirectResponse(login, status_code=303)
    context = {"status": error.status_code, "message": translate(error.detail), "login": login}
    response = render(
        request, "auth/refused.html", context, block="refused", status_code=error.status_code
    )
    response.headers.update(error.headers or {})
    if error.sign_in and is_htmx(request):
        response.headers["HX-Redirect"] = login
    return response


def _here(request: Request) -> str:
    """The page the visitor was on: for htmx, the page that made the request; for a form posted
    without htmx, the page that held it (the address it posts to answers no GET, so signing in
    would end on a 405), or none (the review queue) when the browser does not say."""
    if request.method not in ("GET", "HEAD") and not is_htmx(request):
        return _referring_page(request) or ""
    return page_of(request) or keeping_query(request.url.path, request.url.query)


def _referring_page(request: Request) -> str | None:
    """The Referer's path and query when it is a page of this site."""
    referer = split_address(request.headers.get("referer", ""))
    if referer is None or referer.netloc != request.url.netloc:
        return None
    return keeping_query(referer.path, referer.query)


def install(app: FastAPI) -> None:
    """Security headers on every response; refusals rendered as pages; the sign-in routes."""
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(AccessRefused, on_refused)
    app.include_router(router)
