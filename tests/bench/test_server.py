"""The benchmarks' own PostgreSQL: tuned by a restart, and still stopped by its last user."""

import os
import subprocess
import sys
from pathlib import Path

import psutil  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
# As `bench/run` does, with the server's directory under `work` instead of var/bench, and some
# work after: the postmaster stopped by the restart must be gone (reaped) by the end, as in a run.
FIRST_USE = """
import sys
import time
from pathlib import Path

import bench.server

bench.server.WORK = Path(sys.argv[1])
print(bench.server.database_url())
time.sleep(2)
"""


def _servers_in(data: Path) -> list[psutil.Process]:
    """PostgreSQL processes serving `data` (their socket directory, on their command line)."""
    return [
        process
        for process in psutil.process_iter(["name", "cmdline"])
        if process.info["name"] == "postgres"
        and str(data) in " ".join(process.info["cmdline"] or [])
    ]


def test_the_tuned_server_stops_when_the_process_that_started_it_exits(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    first = subprocess.run(
        [sys.executable, "-c", FIRST_USE, str(tmp_path)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    data = (tmp_path / "pgdata").resolve()
    assert "shared_buffers = '2GB'" in (data / "postgresql.auto.conf").read_text()
    assert _servers_in(data) == []
