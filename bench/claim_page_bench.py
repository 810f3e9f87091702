"""Server time of a claim page on a large archive: p50, p95 and p99 over random claims.

    python -m bench.archive --claims 1000000      # once: the archive (DATABASE_URL, or var/bench)
    python -m bench.claim_page_bench [--requests 2000]

Requests go in-process to the real app and database. Two server times are reported, neither
with an HTTP client or socket in it: `app`, from the request entering the outermost ASGI layer
to the last byte of the response leaving it, and `timing`, the app's own Server-Timing total
(to the start of the response). Each kind of request is measured on its own: the page, its
revalidation (304), the `.json` twin and the embed card.
"""

import argparse
import random
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.engine import make_engine
from app.main import create_app
from app.models import Claim
from app.settings import Settings
from bench.server import database_url

TOTAL = re.compile(r"total;dur=([0-9.]+)")


class ServerTimer:
    """Wraps the app and records how long each request took inside it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.times: list[float] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.times.append(time.perf_counter() - started)

        await self.app(scope, receive, timed_send)


def claim_ids(url: str, count: int, seed: int) -> list[int]:
    """`count` random claim ids, spread over the whole id range."""
    engine = make_engine(url)
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(Claim.id), func.max(Claim.id))).one()
        total = conn.scalar(select(func.count()).select_from(Claim))
    engine.dispose()
    print(f"archive: {total:,} claims")
    rng = random.Random(seed)
    return [rng.randint(low, high) for _ in range(count)]


def measure(
    client: TestClient,
    timer: ServerTimer,
    paths: list[str],
    headers: Callable[[str], dict[str, str]],
) -> tuple[list[float], list[float]]:
    """Milliseconds per request: around the whole app, and as its Server-Timing says."""
    timer.times.clear()
    timing = []
    for path in paths:
        response = client.get(path, headers=headers(path), follow_redirects=False)
        assert response.status_code in (200, 304, 404), (path, response.status_code)
        found = TOTAL.findall(response.headers.get("server-timing", ""))
        timing.append(float(found[0]) if found else float("nan"))
    return [t * 1000 for t in timer.times], timing


def report(label: str, times: tuple[list[float], list[float]]) -> None:
    for kind, ms in zip(("app", "timing"), times, strict=True):
        cuts = statistics.quantiles(ms, n=100)
        print(
            f"{label:<18} {kind:<6} n={len(ms):>5}  p50 {statistics.median(ms):6.2f} ms  "
            f"p95 {cuts[94]:6.2f} ms  p99 {cuts[98]:6.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url = database_url()
    ids = claim_ids(url, args.requests, args.seed)
    timer = ServerTimer(create_app(Settings(DATABASE_URL=url)))
    with TestClient(timer) as client:
        # The canonical address of each claim (a 301 from the bare id), fetched once to warm up.
        pages = [client.get(f"/claims/{i}", follow_redirects=False) for i in ids]
        paths = [r.headers["location"] for r in pages if r.status_code == 301]
        etags: dict[str, Any] = {p: client.get(p).headers["etag"] for p in paths}
        report("claim page", measure(client, timer, paths, lambda p: {}))
        report(
            "revalidated (304)",
            measure(client, timer, paths, lambda p: {"If-None-Match": etags[p]}),
        )
        report(
            "claim .json", measure(client, timer, [f"/claims/{i}.json" for i in ids], lambda p: {})
        )
        report(
            "embed card", measure(client, timer, [f"/claims/{i}/embed" for i in ids], lambda p: {})
        )


if __name__ == "__main__":
    main()
