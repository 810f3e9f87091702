"""The runner's CPU accounting: what a server's process and PostgreSQL's spent during a run."""

import subprocess
import sys
import time

import psutil  # type: ignore[import-untyped]

from bench.runner import cpu_seconds, cpu_spent, embedded_postmaster


def busy(seconds: float) -> None:
    deadline = time.process_time() + seconds
    while time.process_time() < deadline:
        pass


def test_the_cpu_spent_between_two_readings_is_the_work_done_meanwhile() -> None:
    me = psutil.Process()
    before = cpu_seconds([me])
    busy(0.3)
    assert 0.28 <= cpu_spent(before, cpu_seconds([me])) < 1.0


def test_a_process_started_between_readings_counts_whole_and_one_gone_not_at_all() -> None:
    worker = subprocess.Popen(
        [sys.executable, "-c", "from tests.bench.test_runner_cpu import busy; busy(0.3)\n"
         "import sys; sys.stdin.read()"],
        stdin=subprocess.PIPE,
    )  # fmt: skip
    process = psutil.Process(worker.pid)
    try:
        while cpu_seconds([process])[worker.pid] < 0.3:
            time.sleep(0.05)
        assert cpu_spent({}, cpu_seconds([process])) >= 0.3
    finally:
        worker.communicate(b"")
    assert cpu_seconds([process]) == {}


def test_a_database_elsewhere_is_not_read() -> None:
    assert embedded_postmaster("postgresql+psycopg://postgres@127.0.0.1:5432/basewatch") is None
