"""Validators for public pages: ETag and Last-Modified, answered with 304 when nothing changed;
and what the process keeps of what it computed, most recently used first."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Generic, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.web.deps import read_archive_state
from app.web.htmx import htmx_target
from app.web.i18n import current_language

V = TypeVar("V")


class Kept(Generic[V]):
    """The most recently used values, as many as fit in `budget` (each weighs `weigh(value)`)."""

    def __init__(self, budget: int, weigh: Callable[[V], int] = lambda _: 1) -> None:
        self.budget, self.weigh, self.weight = budget, weigh, 0
        self.values: OrderedDict[Hashable, V] = OrderedDict()
        self.computing: dict[Hashable, Future[V]] = {}
        self.lock = threading.Lock()  # routes run in a thread pool

    def get(self, key: Hashable) -> V | None:
        with self.lock:
            return self._find(key)[1]

    def put(self, key: Hashable, value: V) -> None:
        weight = self.weigh(value)  # first: a value that cannot be weighed is not kept
        with self.lock:
            if key in self.values:
                self.weight -= self.weigh(self.values.pop(key))
            self.values[key] = value
            self.weight += weight
            while self.weight > self.budget and self.values:
                self.weight -= self.weigh(self.values.popitem(last=False)[1])

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The kept value (None included), or `compute()`'s, kept. One thread computes a key;
        those asking for it meanwhile wait for its value (or its error) instead of computing it
        too: else, after a change, 16 readers of the home page would each count its chart, and
        all run out of time together on a busy database. `compute` must not ask for its own key."""
        with self.lock:
            found, value = self._find(key)
            if found:
                return value  # type: ignore[return-value]  # V itself may be Optional
            waiting = self.computing.get(key)
            if waiting is None:
                running = self.computing[key] = Future[V]()
        if waiting is not None:
            return waiting.result()
        try:
            value = compute()
            self.put(key, value)
        except BaseException as error:
            running.set_exception(error)
            raise
        else:
            running.set_result(value)
        finally:
            with self.lock:
                del self.computing[key]
        return value

    def _find(self, key: Hashable) -> tuple[bool, V | None]:
        """Whether `key` is kept, and its value, now the most recently used (under the lock)."""
        if key not in self.values:
            return False, None
        self.values.move_to_end(key)
        return True, self.values[key]


REVALIDATE = "public, max-age=0, must-revalidate"
"""Every visit asks again, and an unchanged resource answers 304 with no body: cheap, never stale."""


def etag(*state: object) -> str:
    """A strong validator over everything the response shows that can change."""
    return '"' + hashlib.sha256(repr(state).encode()).hexdigest()[:24] + '"'


def not_modified(request: Request, tag: str, last_modified: datetime | None) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since counts only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or tag in tags
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Built:
    """A response as it left `build`, to send again."""

    status: int
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...]

    def response(self) -> Response:
        response = Response(self.body, self.status)
        response.raw_headers = list(self.headers)  # middleware appends to the list it is sent
        return response


BUILT_BYTES = 32 * 2**20


def kept_responses() -> Kept[Built]:
    """An app's public responses by strong validator and address (`app.state.kept_responses`):
    equal tags promise the same bytes, so a claim page read again is sent again instead of
    rendered again (its rich template was 70% of its cost). Its queries still run: they make the
    validator. One per app, not per process: an app made for a test against another database
    must not be sent another app's pages."""
    return Kept[Built](BUILT_BYTES, weigh=lambda built: len(built.body))


def conditional(
    request: Request,
    tag: str,
    last_modified: datetime | None,
    build: Callable[[], Response],
    *,
    cache_control: str = REVALIDATE,
) -> Response:
    """The response `build` makes, with validators; 304 (not built) when the client's copy is
    current; a public one built before for the same tag and address is sent again, unless the
    request asks for it afresh (`Cache-Control: no-cache`, as a browser's hard reload does)."""
    answer = _answered(request, tag, last_modified, cache_control)
    return answer or _keep(request, tag, last_modified, build(), cache_control)


async def served(
    request: Request,
    tag: str,
    last_modified: datetime | None,
    build: Callable[[], Response],
    *,
    cache_control: str = REVALIDATE,
) -> Response:
    """`conditional` for a route on the event loop: a 304 or a kept copy costs no thread, and
    only `build` goes to the threadpool."""
    answer = _answered(request, tag, last_modified, cache_control)
    if answer is not None:
        return answer
    return _keep(request, tag, last_modified, await run_in_threadpool(build), cache_control)


async def served_by_archive_state(
    request: Request, build: Callable[[], Response], *uncommitted: object, editor: bool
) -> Response:
    """A reader's page, validated by the archive's state (`archive_state`) and sent again until
    a write commits, or until anything in `uncommitted` (what else the page shows, such as counts
    made in the background) changes; an editor's page is personal, and built every time. For
    routes on the event loop: only building goes to the threadpool."""
    if editor:
        return await run_in_threadpool(build)
    state = await read_archive_state(request)
    where = (request.url.path, request.url.query, current_language(), htmx_target(request))
    return await served(request, etag(state, *where, *uncommitted), None, build)


def _answered(
    request: Request, tag: str, last_modified: datetime | None, cache_control: str
) -> Response | None:
    """`conditional`'s answer without building: 304, or the copy kept; None when neither."""
    if not_modified(request, tag, last_modified):
        return Response(status_code=304, headers=_validators(tag, last_modified, cache_control))
    afresh = "no-cache" in request.headers.get("cache-control", "")
    if not cache_control.startswith("public") or afresh:
        return None
    kept = request.app.state.kept_responses.get(_key(request, tag, last_modified))
    return kept.response() if kept else None


def _keep(
    request: Request,
    tag: str,
    last_modified: datetime | None,
    response: Response,
    cache_control: str,
) -> Response:
    """`response` with its validators, kept when it is public and no browser's own."""
    response.headers.update(_validators(tag, last_modified, cache_control))
    body = getattr(response, "body", None)  # a streamed response has none to keep
    public = cache_control.startswith("public")
    if public and isinstance(body, bytes) and not getattr(request.state, "personal", False):
        built = Built(response.status_code, body, tuple(response.raw_headers))
        request.app.state.kept_responses.put(_key(request, tag, last_modified), built)
    return response


def _validators(tag: str, last_modified: datetime | None, cache_control: str) -> dict[str, str]:
    headers = {"ETag": tag, "Cache-Control": cache_control}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    return headers


def _key(request: Request, tag: str, last_modified: datetime | None) -> Hashable:
    return (tag, last_modified, str(request.url), htmx_target(request))
