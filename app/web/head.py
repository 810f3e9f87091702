"""HEAD wherever GET is answered (RFC 9110 §9.3.2): FastAPI routes list only the methods they
declare, so link checkers and link-preview fetchers that ask HEAD got 405 from every page."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASKED_HEAD = "basewatch.head"
"""The scope's mark of a request that came as HEAD, for a route whose body costs work."""


def asked_head(request: Request) -> bool:
    """Whether the request came as HEAD: its route may skip the work of a body not sent."""
    return bool(request.scope.get(ASKED_HEAD, False))


class HeadAsGet:
    """Answer HEAD as GET would, headers and all, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET", ASKED_HEAD: True}, receive, headers_only)
