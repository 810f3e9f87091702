"""Reading htmx's request headers."""

from starlette.requests import Request

from app.web.urls import keeping_query, split_address


def is_htmx(request: Request) -> bool:
    """An htmx swap, not a history restore (which needs the whole page)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def htmx_target(request: Request) -> str | None:
    return request.headers.get("HX-Target") if is_htmx(request) else None


def page_of(request: Request) -> str | None:
    """The address (path and query) of the page that made an htmx request."""
    current = request.headers.get("HX-Current-URL") if is_htmx(request) else None
    parts = split_address(current) if current else None
    if parts is None:
        return None
    return keeping_query(parts.path, parts.query)
