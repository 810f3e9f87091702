"""Reading htmx's request headers."""

from starlette.requests import Request


def is_htmx(request: Request) -> bool:
    """An htmx swap, not a history restore (which needs the whole page)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def htmx_target(request: Request) -> str | None:
    return request.headers.get("HX-Target") if is_htmx(request) else None
