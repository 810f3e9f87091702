"""The background counter: one piece of work per key, a bounded queue, and a version that moves
when work ends, failed work included (a page waiting for it must stop waiting)."""

import threading
import time

import pytest

from app.web.counting import BackgroundCounts


def wait_for_version(counts: BackgroundCounts, version: int) -> None:
    deadline = time.monotonic() + 10
    while counts.version < version:
        assert time.monotonic() < deadline, "the work did not end"
        time.sleep(0.01)


def test_a_key_is_queued_once_and_the_queue_is_bounded() -> None:
    counts = BackgroundCounts(max_waiting=2)
    release, runs = threading.Event(), []

    def work() -> None:
        release.wait(10)
        runs.append(1)

    assert counts.start("home", work) and counts.start("home", work)
    assert counts.start("tartus", work)
    assert not counts.start("hmeimim", work)  # two are waiting already
    release.set()
    wait_for_version(counts, 2)
    assert len(runs) == 2
    assert counts.start("hmeimim", work)  # room again
    wait_for_version(counts, 3)
    counts.close()


def test_failed_work_is_logged_and_ends_the_wait(caplog: pytest.LogCaptureFixture) -> None:
    counts = BackgroundCounts()

    def fail() -> None:
        raise RuntimeError("the server went away")

    assert counts.start("home", fail)
    wait_for_version(counts, 1)
    assert "counting 'home' in the background failed" in caplog.text
    assert "the server went away" in caplog.text
    counts.close()
