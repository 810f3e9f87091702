"""Headers every response carries, the session cookie, and refusing what a visitor may not do."""

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.messages import N_
from app.services.auth import SESSION_LIFETIME
from app.web.urls import split_address

SESSION_COOKIE = "bw_session"
PRE_SESSION_COOKIE = "bw_pre"
"""Binds the sign-in form's CSRF token to a browser that has no session yet."""
PENDING_COOKIES = "pending_cookies"
"""request.state key: cookies to set on whatever response the request ends with."""

# No inline script or style anywhere: htmx is configured not to inject its indicator styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
FRAMEABLE_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def allow_framing(response: Response) -> Response:
    """For a route other sites may embed (a claim's embed view): any site may frame it."""
    response.headers["Content-Security-Policy"] = FRAMEABLE_CSP
    return response


class SecurityHeaders:
    """Adds HEADERS to every response that has not set its own, and any pending cookies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                framed = "content-security-policy" in headers
                for name, value in HEADERS.items():
                    if name not in headers and not (framed and name == "X-Frame-Options"):
                        headers[name] = value
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                state = scope.get("state", {})
                if state.get("user") is not None and "cache-control" not in headers:
                    headers["Cache-Control"] = "private, no-store"  # pages carry a CSRF token
                for cookie in state.get(PENDING_COOKIES, []):
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    set_cookie(request, response, SESSION_COOKIE, token, int(SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")


def pend_cookie(request: Request, name: str, value: str, max_age: int | None) -> None:
    """Set a cookie on the response this request will end with, whichever it is."""
    carrier = Response()
    set_cookie(request, carrier, name, value, max_age)
    pending = getattr(request.state, PENDING_COOKIES, [])
    pending.append(carrier.headers["set-cookie"])
    setattr(request.state, PENDING_COOKIES, pending)


def safe_next(target: str | None) -> str:
    """A same-site path to return to after signing in; anything else goes to the review queue."""
    if not target or (parts := split_address(target)) is None:  # none, or no address at all
        return "/review"
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/review"
    if "\\" in target:
        return "/review"
    return target


class AccessRefused(HTTPException):
    """401 (`sign_in`: the visitor should sign in first), 403 or 429, shown as a page or fragment.
    `detail` is written with `N_`, so the page shows it in the interface language."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        sign_in: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, detail, headers)
        self.sign_in = sign_in


def sign_in_required() -> AccessRefused:
    return AccessRefused(401, N_("Sign in as an editor to do this."), sign_in=True)
