"""`Server-Timing: db;dur=…, render;dur=…, total;dur=…` on every response, so that a page
reports its own cost (browsers show it in their network panel; the benchmark reads it)."""

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import costs

# Kinds as the header names them, with the description shown beside them.
KINDS = {"db": "database", "render": "templates"}


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        spent = costs.start()
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                total = time.perf_counter() - started
                MutableHeaders(scope=message).append("Server-Timing", header(spent, total))
            await send(message)

        await self.app(scope, receive, send_with_timing)


def header(spent: costs.Costs, total: float) -> str:
    """`db;dur=1.20;desc="database", render;dur=3.40;desc="templates", total;dur=6.10`: up to the
    moment the response starts (a streamed body's later work is not in it)."""
    parts = [
        f'{kind};dur={spent.seconds.get(kind, 0.0) * 1000:.2f};desc="{desc}"'
        for kind, desc in KINDS.items()
    ]
    return ", ".join([*parts, f"total;dur={total * 1000:.2f}"])
