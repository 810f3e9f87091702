"""CSRF: a synchronizer token bound to the browser's session, checked on every unsafe request.

The token is an HMAC of the session cookie (or, before signing in, of a random pre-session
cookie) under SECRET_KEY, so it changes with every sign-in and needs no storage. htmx sends it
in the X-CSRF-Token header (from `<body hx-headers>`); plain forms send a `csrf_token` field.
"""

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import Request
from jinja2 import pass_context

from app.messages import N_
from app.web.security import PRE_SESSION_COOKIE, SESSION_COOKIE, AccessRefused, pend_cookie

HEADER = "X-CSRF-Token"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
PRE_SESSION_MAX_AGE = 2 * 60 * 60


def csrf_token(request: Request) -> str:
    """The token this browser must send back; starts a pre-session if it has no cookie yet."""
    request.state.personal = True  # a response carrying it is this browser's alone: never kept
    binding = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_SESSION_COOKIE)
    if not binding:
        binding = getattr(request.state, "pre_session", None)
    if not binding:
        binding = secrets.token_urlsafe(32)
        request.state.pre_session = binding
        pend_cookie(request, PRE_SESSION_COOKIE, binding, PRE_SESSION_MAX_AGE)
    return _sign(request, binding)


def _sign(request: Request, binding: str) -> str:
    key = request.app.state.settings.secret_key.encode()
    return hmac.new(key, b"csrf|" + binding.encode(), hashlib.sha256).hexdigest()


async def require_csrf(request: Request) -> None:
    """403 for an unsafe request without this browser's token, or sent from another site."""
    if request.method in SAFE_METHODS:
        return
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise AccessRefused(403, N_("This request came from another site and was refused."))
    sent = request.headers.get(HEADER)
    if sent is None and _is_form(request):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    binding = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_SESSION_COOKIE)
    if not sent or not binding or not hmac.compare_digest(sent, _sign(request, binding)):
        raise AccessRefused(
            403,
            N_("The form had expired or did not come from this site. Reload the page and retry."),
        )


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


@pass_context
def template_csrf_token(context: Any) -> str:
    """`{{ csrf_token() }}` in a template."""
    return csrf_token(context["request"])
