"""CPU time read from outside: what a server, PostgreSQL or a load's worker processes spent."""

from pathlib import Path

import psutil  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url


def embedded_postmaster(url: str) -> psutil.Process | None:
    """The PostgreSQL serving `url` when it is an embedded one on this machine (bench/server.py's
    or the tests'), whose socket directory is its data directory; None for any other server,
    whose processes may not be on this machine or not its alone."""
    host = make_url(url).query.get("host")
    pid_file = Path(str(host)) / "postmaster.pid" if isinstance(host, str) else None
    if pid_file is None or not pid_file.is_file():
        return None
    return psutil.Process(int(pid_file.read_text().split()[0]))


def tree_seconds(process: psutil.Process) -> float:
    """CPU seconds (user and system) spent so far by `process` and its children: those running,
    and those that ended, which count once their parent has reaped them (PostgreSQL's postmaster
    reaps each backend as its connection closes; a process pool, its workers when it shuts
    down). The difference of two readings is the CPU spent between them."""
    own = process.cpu_times()
    spent = own.user + own.system + own.children_user + own.children_system
    for child in process.children():
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:  # ended meanwhile: counted by its parent's next reading
            continue
        spent += times.user + times.system
    return float(spent)
