"""Reads from a replica, except for a browser that has just written.

Public pages read through `ReadSession`, which may point at a streaming replica
(`DATABASE_READ_URL`); writes go to the primary. A replica is a little behind, so an editor who
saves and then opens the page would not see the change. After a successful unsafe request, the
browser gets a short-lived signed cookie; while it holds one, its reads go to the primary too.
"""

from itsdangerous import BadSignature, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "bw_primary"
SECONDS = 10
"""How long a browser reads from the primary after a write: far above a healthy replica's lag."""
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _signer(secret_key: str) -> TimestampSigner:
    return TimestampSigner(secret_key, salt="basewatch.read-primary")


def reads_primary(connection: HTTPConnection, secret_key: str) -> bool:
    """True while the request's browser carries a fresh cookie from its last write."""
    value = connection.cookies.get(COOKIE)
    if not value:
        return False
    try:
        _signer(secret_key).unsign(value, max_age=SECONDS)
    except BadSignature:  # also an expired one
        return False
    return True


class ReadYourWrites:
    """Sets the cookie on the response to every successful write (only used with a replica)."""

    def __init__(self, app: ASGIApp, secret_key: str) -> None:
        self.app = app
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                value = _signer(self.secret_key).sign(b"1").decode()
                secure = "; Secure" if scope["scheme"] == "https" else ""
                MutableHeaders(scope=message).append(
                    "Set-Cookie",
                    f"{COOKIE}={value}; Max-Age={SECONDS}; Path=/; HttpOnly; SameSite=Lax{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
