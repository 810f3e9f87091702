"""Errors become a readable page for people, JSON for programs, and never a bare 500 trace."""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.errors import DomainError
from app.messages import N_
from app.web.htmx import htmx_target, is_htmx
from app.web.i18n import (
    choose_language,
    gettext,
    in_language,
    refused_value,
    translate,
    translate_error,
)
from app.web.security import HEADERS
from app.web.templating import render

log = logging.getLogger(__name__)

TITLES = {
    400: N_("This request is not right"),
    404: N_("Nothing here"),
    405: N_("Not allowed"),
    409: N_("Someone else changed this first"),
    413: N_("Too large"),
    422: N_("Some of this could not be used"),
    503: N_("The archive is unavailable for a moment"),
}
OTHER_TITLE = N_("Something went wrong")


class Problem(BaseModel):
    """What a program reads when a request fails for a reason of its own (not a field's)."""

    detail: str


NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such thing, or nothing can match the value."}
}
"""For a JSON route's `responses`: schema fuzzing found the 404 undocumented."""


def wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/")
        or path.endswith(".json")
        or "application/json" in request.headers.get("accept", "")
    )


def error_page(request: Request, status: int, message: str) -> Response:
    """The error as a page in the interface language (a message from `N_`, or text as it is)."""
    context = {
        "status": status,
        "title": gettext(TITLES.get(status, OTHER_TITLE)),
        "message": translate(message),
    }
    response = render(request, "errors/page.html", context, block="error", status_code=status)
    if is_htmx(request) and htmx_target(request) != "error":
        # Not the fragment asked for, and htmx swaps a 409 or 422 (a route's conflict notice or
        # notes beside the fields, base.html): a whole page would land inside the fragment.
        # requests.js shows the refusal as it shows any other.
        response.headers["HX-Reswap"] = "none"
    return response


NOTHING_MATCHES = N_("Nothing in the archive matches this address.")
# What the router itself refuses, with HTTP's English reason for its detail.
ROUTER_MESSAGES = {
    404: NOTHING_MATCHES,
    405: N_("This address does not take that kind of request: open it as a link."),
}


async def on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = error.detail  # an N_ message keeps what translating it needs; str() would drop it
    if detail == HTTPStatus(error.status_code).phrase:
        detail = ROUTER_MESSAGES.get(error.status_code, detail)
    if wants_json(request) and (not isinstance(detail, str) or error.status_code in (204, 304)):
        return await http_exception_handler(request, error)  # no words to say
    message = detail if isinstance(detail, str) else str(detail)
    return _refused(request, error.status_code, message, error.headers)


async def on_invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = _field_problems(error)
    if wants_json(request):
        return JSONResponse({"detail": jsonable_encoder(problems)}, status_code=422)
    return error_page(
        request, 422, "; ".join(f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}" for p in problems)
    )


def _field_problems(error: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's field errors, a refused value's message as its validator wrote it, in the
    interface language as the timeline's own checks say it: pydantic puts "Value error, " before
    it, and the exception, which JSON shows as {}, in `ctx`."""
    problems = []
    for problem in error.errors():
        raised = problem.get("ctx", {}).get("error")
        if problem["type"] == "value_error" and raised is not None:
            message = refused_value(problem)
            problem = {k: v for k, v in problem.items() if k != "ctx"} | {"msg": message}
        problems.append(problem)
    return problems


async def on_domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    if wants_json(request):
        return _json(error.status_code, error.message)
    return error_page(request, error.status_code, translate_error(error))


async def on_database_error(request: Request, error: Exception) -> Response:
    """The database is down, restarting or too slow: say so, and let the pool reconnect later."""
    assert isinstance(error, DBAPIError)
    if isinstance(error.orig, psycopg.DataError):
        return _unusable_value(request)
    if isinstance(error.orig, CROSSED):
        return _crossed(request, error)
    if not error.connection_invalidated and not _is_unavailable(error):
        raise error
    log.warning(
        "database unavailable: %s", str(error.orig).splitlines()[0] if error.orig else error
    )
    message = N_("The database did not answer. Try again in a few seconds.")
    if isinstance(error.orig, psycopg.errors.QueryCanceled):
        message = N_("This took longer than the archive allows. Narrow the filters and try again.")
    return _refused(request, 503, message)


CROSSED = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
"""Two transactions crossed and the database undid one: not the database being unavailable
(they are OperationalErrors all the same)."""


def _crossed(request: Request, error: DBAPIError) -> Response:
    """Someone else's change and this one met, and the database undid this one: nothing of it
    was kept, and doing it again will work or be refused for a reason the reader can see."""
    log.warning("transactions crossed, this one undone: %s", str(error.orig).splitlines()[0])
    message = N_("Someone changed this at the same moment, so nothing was done. Try again.")
    return _refused(request, 409, message)


def _unusable_value(request: Request) -> Response:
    """A value the database cannot hold or compare (a NUL character, a number out of range): on
    a read, nothing can match it (404); on a write, it cannot be stored (422)."""
    if request.method in ("GET", "HEAD"):
        status, message = 404, NOTHING_MATCHES
    else:
        status, message = (
            422,
            N_(
                "This holds a value the archive cannot store (a NUL character, or a number out of range)."
            ),
        )
    return _refused(request, status, message)


async def on_unexpected(request: Request, error: Exception) -> Response:
    """A bug. Starlette answers it outside every middleware (and uvicorn logs the trace after),
    so the answer takes the reader's language and the security headers itself; it says nothing
    of the cause."""
    message = N_("Something went wrong on our side. It has been logged; try again in a while.")
    headers = request.headers
    language, _ = choose_language(
        request.url.query, headers.get("cookie", ""), headers.get("accept-language", "")
    )
    with in_language(language):
        response = _json(500, message) if wants_json(request) else error_page(request, 500, message)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _is_unavailable(error: DBAPIError) -> bool:
    return isinstance(error.orig, psycopg.OperationalError)


def _refused(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A refusal: JSON for programs, the error page for people, with the same headers; a 503
    says when to try again."""
    if status == 503:
        headers = {"Retry-After": "5", **(headers or {})}
    if wants_json(request):
        return _json(status, message, headers)
    response = error_page(request, status, message)
    response.headers.update(headers or {})
    return response


def _json(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The error as JSON, its message in the interface language as on a page."""
    return JSONResponse({"detail": translate(message)}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)
