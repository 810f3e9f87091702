"""Public responses are kept by strong validator and address, and never what is one browser's."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from itertools import count
from uuid import uuid4

import pytest
from starlette.requests import Request
from starlette.responses import Response

from app.main import create_app
from app.settings import Settings
from app.web.caching import REVALIDATE, Kept, conditional, etag
from app.web.csrf import csrf_token
from app.web.security import PRE_SESSION_COOKIE

CHANGED = datetime(2025, 2, 6, tzinfo=UTC)
APP = create_app(Settings(SECRET_KEY="k" * 32))


def request(cookie: str = "") -> Request:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": "http", "method": "GET", "path": "/page", "query_string": b"",
             "headers": headers, "server": ("testserver", 80), "scheme": "http", "app": APP}  # fmt: skip
    return Request(scope)


def test_a_public_response_is_sent_again_not_built_again() -> None:
    builds = count(1)
    tag = etag("a public page", uuid4())  # no copy kept by an earlier run in this process

    def build() -> Response:
        return Response(f"built {next(builds)}")

    first = conditional(request(), tag, CHANGED, build, cache_control=REVALIDATE)
    again = conditional(request(), tag, CHANGED, build, cache_control=REVALIDATE)
    private = conditional(request(), tag, CHANGED, build, cache_control="private, no-store")
    assert first.body == again.body == b"built 1" and private.body == b"built 2"
    assert again.raw_headers == first.raw_headers and again.raw_headers is not first.raw_headers


def test_a_response_carrying_a_browsers_csrf_token_is_never_kept() -> None:
    tag = etag("a public page with a form")
    bodies = []
    for browser in ("mine", "theirs"):
        req = request(f"{PRE_SESSION_COOKIE}={browser}")
        bodies.append(conditional(req, tag, CHANGED, lambda r=req: Response(csrf_token(r))).body)
    assert bodies[0] != bodies[1]


def asked_at_once(
    askers: int, outcome: Callable[[int], int]
) -> tuple[list[Future[int]], Kept[int]]:
    """`askers` threads ask a Kept for one key, all but the first while the first is still
    computing it; each computation returns `outcome` of its number (1, 2, …)."""
    kept = Kept[int](10)
    started, release = threading.Event(), threading.Event()
    calls = count(1)

    def compute() -> int:
        started.set()
        release.wait(5)
        return outcome(next(calls))

    with ThreadPoolExecutor(askers) as pool:
        first = pool.submit(kept.get_or_compute, "key", compute)
        started.wait(5)
        others = [pool.submit(kept.get_or_compute, "key", compute) for _ in range(askers - 1)]
        time.sleep(0.2)  # for the others to ask while the first is still computing
        release.set()
        wait([first, *others])
    return [first, *others], kept


def test_one_thread_computes_a_value_the_others_asking_meanwhile_wait_for_it() -> None:
    asked, kept = asked_at_once(8, lambda n: 100 + n)
    assert {future.result() for future in asked} == {101}
    assert kept.get_or_compute("key", lambda: 0) == 101 and kept.computing == {}


def test_those_waiting_share_the_computers_error_and_the_next_ask_computes_again() -> None:
    def failing(n: int) -> int:
        raise RuntimeError(f"the database went away ({n})")

    asked, kept = asked_at_once(2, failing)
    for future in asked:
        with pytest.raises(RuntimeError, match=r"went away \(1\)"):
            future.result()
    assert kept.get_or_compute("key", lambda: 7) == 7 and kept.computing == {}


def test_a_value_that_cannot_be_kept_leaves_no_ask_waiting_for_it() -> None:
    kept = Kept[int](10, weigh=lambda value: 1 // value)  # weighing 0 fails
    with pytest.raises(ZeroDivisionError):
        kept.get_or_compute("key", lambda: 0)
    assert kept.computing == {}
    assert kept.get_or_compute("key", lambda: 1) == 1
