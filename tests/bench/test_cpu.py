"""CPU read from outside (bench/cpu.py): what a process, its children and PostgreSQL spent."""

import subprocess
import sys

import psutil  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from bench.cpu import embedded_postmaster, tree_seconds


def busy(seconds: float) -> str:
    """Python that burns `seconds` of CPU, for `python -c`."""
    return (
        f"import time\ndeadline = time.process_time() + {seconds}\n"
        "while time.process_time() < deadline: pass\n"
    )


ENDS = busy(0.5)
GOES_ON = busy(0.5) + "print('burnt', flush=True)\nimport sys\nsys.stdin.read()\n"
# Waits for "go", then: a child that burns 0.5 s and ends (reaped), a child that burns 0.5 s and
# goes on running, 0.1 s of its own; says "done", and waits for its stdin to close.
PARENT = f"""
import subprocess, sys
print("started", flush=True)
sys.stdin.readline()
subprocess.run([sys.executable, "-S", "-c", {ENDS!r}], check=True)
running = subprocess.Popen(
    [sys.executable, "-S", "-c", {GOES_ON!r}],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
)
running.stdout.readline()
{busy(0.1)}
print("done", flush=True)
sys.stdin.read()
running.communicate("")
"""


def test_a_process_counts_its_own_cpu_its_running_children_and_those_it_reaped() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-S", "-c", PARENT],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert parent.stdin and parent.stdout
    try:
        assert parent.stdout.readline() == "started\n"
        before = tree_seconds(psutil.Process(parent.pid))
        parent.stdin.write("go\n")
        parent.stdin.flush()
        assert parent.stdout.readline() == "done\n"
        spent = tree_seconds(psutil.Process(parent.pid)) - before
    finally:
        parent.communicate("")
    # 1.1 s of work and two interpreters' start, read in clock ticks (10 ms, truncated, for
    # each of three processes at each of two readings). Leaving out either child would read
    # under 0.7; counting either twice, over 1.5.
    assert 1.0 <= spent < 1.45


def test_a_database_elsewhere_is_not_read() -> None:
    assert embedded_postmaster("postgresql+psycopg://postgres@127.0.0.1:5432/basewatch") is None


def test_an_embedded_server_is_found_from_its_socket_directory(pg_admin_url: str) -> None:
    if not str(make_url(pg_admin_url).query.get("host", "")).startswith("/"):
        pytest.skip("TEST_DATABASE_URL names a server over TCP, not an embedded one")
    postmaster = embedded_postmaster(pg_admin_url)
    assert postmaster is not None and postmaster.name() == "postgres"
    assert any(child.name() == "postgres" for child in postmaster.children())
