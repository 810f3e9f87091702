"""Counts too slow for a request, worked out off the request path by one thread of the app's own.

On a million claims the facets of a broad selection (the home page, a base, a common word) take
seconds to count; a request cannot wait for them, but the reader can, with the page already in
hand. The work is queued here and the page asks again until it is done.
"""

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

MAX_WAITING = 4
"""Keys queued or being counted at once: a crawler walking broad selections costs one core at
most, and the selections past this are left uncounted instead of waiting behind it."""


class BackgroundCounts:
    """Work by key, run one at a time by a single thread; a key already queued is not queued
    again. `version` grows as each piece of work ends: the responses that show its results put
    it in their validators, so one asked for after the counts arrived is built again."""

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self.max_waiting = max_waiting
        self.version = 0
        self._waiting: set[Hashable] = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="background-counts")

    def start(self, key: Hashable, work: Callable[[], None]) -> bool:
        """Queue `work` unless `key`'s is queued already. True while `key` is queued or being
        counted; False when the queue is full (the caller shows what it has)."""
        with self._lock:
            if key in self._waiting:
                return True
            if len(self._waiting) >= self.max_waiting:
                return False
            self._waiting.add(key)
        self._executor.submit(self._run, key, work)
        return True

    def _run(self, key: Hashable, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:
            log.exception("counting %r in the background failed", key)
        finally:
            with self._lock:
                self._waiting.discard(key)
                self.version += 1

    def close(self) -> None:
        """Drop what is queued; a count already running ends within its statement timeout."""
        self._executor.shutdown(wait=False, cancel_futures=True)
