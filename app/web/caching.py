"""Validators for public pages: ETag and Last-Modified, answered with 304 when nothing changed."""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

REVALIDATE = "public, max-age=0, must-revalidate"
"""Every visit asks again, and an unchanged resource answers 304 with no body: cheap, never stale."""


def etag(*state: object) -> str:
    """A strong validator over everything the response shows that can change."""
    return '"' + hashlib.sha256(repr(state).encode()).hexdigest()[:24] + '"'


def not_modified(request: Request, tag: str, last_modified: datetime) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since counts only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or tag in tags
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def conditional(
    request: Request,
    tag: str,
    last_modified: datetime,
    build: Callable[[], Response],
    *,
    cache_control: str = REVALIDATE,
) -> Response:
    """The response `build` makes, with validators; 304 (not built) when the client's copy is current."""
    headers = {
        "ETag": tag,
        "Last-Modified": format_datetime(last_modified.astimezone(UTC), usegmt=True),
        "Cache-Control": cache_control,
    }
    if not_modified(request, tag, last_modified):
        return Response(status_code=304, headers=headers)
    response = build()
    response.headers.update(headers)
    return response
