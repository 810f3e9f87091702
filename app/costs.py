"""What one request costs, by kind (database, render), for the `Server-Timing` header.

The middleware starts a fresh `Costs` for each request; the database hooks and `render()` add to
it. A contextvar holds it, and since sync routes run in threads with a *copy* of the context, the
object itself is shared and mutated, never replaced, so what threads add reaches the middleware.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Costs:
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        self.seconds[kind] = self.seconds.get(kind, 0.0) + seconds


_current: ContextVar[Costs | None] = ContextVar("costs", default=None)


def start() -> Costs:
    """Begin counting for the request running in this context."""
    costs = Costs()
    _current.set(costs)
    return costs


def add(kind: str, seconds: float) -> None:
    costs = _current.get()
    if costs is not None:
        costs.add(kind, seconds)


@contextmanager
def measure(kind: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        add(kind, time.perf_counter() - started)
