"""Requests larger than the app allows are cut off before they are read whole."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.messages import N_
from app.web.handlers import on_http_error


class BodyTooLarge(HTTPException):
    """413, answered as any HTTP error is: the error page in the reader's language, or JSON.
    An HTTPException also passes through FastAPI's reading of a form, which turns any other
    exception into a 400."""

    def __init__(self, max_bytes: int) -> None:
        message = N_(
            "The request is larger than the %(limit)s bytes allowed.", limit=f"{max_bytes:,}"
        )
        super().__init__(413, message)


class BodySizeLimit:
    """Answer 413 for a body over `max_bytes`, whether it says its length or streams it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            # Refused before the app runs, so outside its exception handlers: the one for HTTP
            # errors answers all the same (the language middleware has run already).
            response = await on_http_error(Request(scope, receive), BodyTooLarge(self.max_bytes))
            await response(scope, receive, send)
            return
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)  # the route reading it ends with the 413
            return message

        await self.app(scope, counted_receive, send)
