"""basewatch beside the bare stack and Datasette on a 1,000,000-claim archive: `bench/run`.

1. Generates and loads the archive (bench/archive.py) unless it is there, and its SQLite copy.
2. Asks basewatch, in-process, for each page once and records the SQL it sends: the bare stack
   replays exactly those statements (bench/bare.py).
3. Starts the three servers on loopback, one process each: basewatch under uvicorn (one worker,
   uvloop, httptools, no access log: on two cores, one for the app and one for PostgreSQL and the
   load tool), the bare stack the same way, Datasette as it ships.
4. Unloaded: sequential requests per basewatch page, reading its Server-Timing header, as served
   and built afresh (`Cache-Control: no-cache`: a response basewatch kept is not sent again).
   Loaded: wrk at 16 connections, in short runs that alternate the systems (A B C, then C B A, …)
   so that the drift of a shared machine falls on all three alike; the median of the runs. For
   the first timeline page and the claim page, basewatch built afresh is a fourth system.
   Each run also reads the CPU time the server's process and PostgreSQL's spent: where the
   time went, per request.
5. Writes docs/benchmarks.md: machine, commit, date, the table, the ratios and the targets.
"""

import argparse
import math
import os
import pickle
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

import httpx
import psutil  # type: ignore[import-untyped]
import psycopg
from fastapi.testclient import TestClient

from app.db import engine as engine_module
from app.db import migrate
from app.main import create_app
from app.queries.facets import FACET_BUDGET_MS
from app.queries.timeline import Cursor
from app.settings import Settings
from bench import load_floor
from bench.archive import load_archive
from bench.cpu import embedded_postmaster, tree_seconds
from bench.server import WORK, database_url, libpq_url
from bench.sqlite_copy import sqlite_copy

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
CONNECTIONS = 16
PORTS = {"basewatch": 8100, "bare": 8101, "datasette": 8102}
PINGS = {"basewatch": "/-/settled", "bare": "/-/settled", "datasette": "/-/versions.json"}
"""A page each server answers at once when idle: a missing one for basewatch and the bare stack
(404); Datasette's 404 page takes 0.7 s on a slow machine, which read as busy until the limit."""
LIST = {"HX-Request": "true", "HX-Target": "more"}  # the timeline's 50 rows, as htmx asks
AFRESH = {"Cache-Control": "no-cache"}  # built again, not sent again from what basewatch kept
FACETS = {"HX-Request": "true", "HX-Target": "facets"}  # the counts beside the filters
DS = "/claims/claims"
LEAN = "_nocount=1&_nofacet=1&_size=50&status=verified&_sort_desc=stated_on"


@dataclass
class Page:
    name: str
    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    datasette: str | None = None
    exists: bool = True
    bare: bool = True
    """Whether the bare stack replays the page (not for what basewatch keeps between requests)."""
    afresh: bool = False
    """Whether basewatch is also loaded with every response built afresh."""


@dataclass(frozen=True)
class Cpu:
    """CPU time per request during a run, in ms."""

    server: float
    """The server's process (basewatch, the bare stack or Datasette, with SQLite in it)."""
    database: float | None
    """PostgreSQL's processes; None for Datasette (SQLite) or a database not embedded here."""


@dataclass
class Load:
    rps: float
    p50: float
    p99: float
    requests: int = 0
    cpu: Cpu | None = None


@dataclass
class Result:
    page: Page
    server: dict[str, tuple[float, float]] = field(default_factory=dict)  # kind → (p50, p99) ms
    afresh: dict[str, tuple[float, float]] = field(default_factory=dict)  # the same, built afresh
    runs: dict[str, list[Load]] = field(default_factory=dict)
    """Each system's wrk runs, one a round; in a round the systems ran back to back."""

    @property
    def loaded(self) -> dict[str, Load]:
        """Each system's medians."""
        return {
            name: Load(
                statistics.median(r.rps for r in loads),
                statistics.median(r.p50 for r in loads),
                statistics.median(r.p99 for r in loads),
            )
            for name, loads in self.runs.items()
        }

    def ratio(self, other: str, system: str = "basewatch") -> float | None:
        """`system`'s throughput ÷ `other`'s: the median of the rounds' own ratios, each of
        two runs a few seconds apart, so that the machine's drift between rounds cancels."""
        if system not in self.runs or other not in self.runs:
            return None
        pairs = zip(self.runs[system], self.runs[other], strict=True)
        ratios = [a.rps / b.rps for a, b in pairs if b.rps]
        return statistics.median(ratios) if ratios else None

    def cpu(self, system: str) -> Cpu | None:
        """`system`'s CPU per request, the median of its runs."""
        spent = [load.cpu for load in self.runs.get(system, []) if load.cpu is not None]
        if not spent:
            return None
        database = [c.database for c in spent if c.database is not None]
        return Cpu(
            statistics.median(c.server for c in spent),
            statistics.median(database) if database else None,
        )


# --- the archive and what to ask for ---------------------------------------------------------


def prepare(url: str, claims: int) -> tuple[str, float | None]:
    """Loads what is missing; says how long loading took (and the seconds), or that the archive
    was there already."""
    migrate.upgrade(url)
    report = load_archive(url, claims=claims)
    print(f"archive: {report.summary()}", flush=True)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        # Statistics on every table, empty ones too: a never-analysed empty table is assumed to
        # hold rows, which can tip a small join into a parallel plan that costs 15 ms to start.
        # (load_archive has left what it loaded all-visible.)
        conn.execute("ANALYZE")
    count = sqlite_copy(libpq_url(url), WORK / "claims.db")
    print(f"sqlite copy for Datasette: {count} claims", flush=True)
    if not report.claims_added:
        return "already loaded before this run", None
    seconds = report.seconds
    loading = (
        f"{report.claims_added:,} claims loaded by COPY in {seconds:.1f} s ({report.breakdown()})"
    )
    # What the database alone takes to take the same rows in along the loader's path: the rest
    # of the load's time is the generator's, or its share of the cores.
    floors = {
        copy_format: load_floor.measure(url, copy_format) for copy_format in ("text", "binary")
    }
    loading += "; PostgreSQL alone, the same rows with no generator (bench/load_floor.py): " + (
        ", ".join(
            f"COPY {name} {floor.seconds:.1f} s ({floor.breakdown()})"
            for name, floor in floors.items()
        )
    )
    return loading, seconds


def pages(url: str) -> list[Page]:
    """The pages the issue lists, with values taken from the archive."""
    with psycopg.connect(libpq_url(url)) as conn:

        def one(sql: str) -> Any:
            return conn.execute(sql).fetchone()[0]  # type: ignore[index]

        ranked = conn.execute(
            "SELECT a.slug, a.id, count(*) FROM claims c JOIN actors a ON a.id = c.speaker_id"
            " GROUP BY a.id ORDER BY count(*) DESC LIMIT 10"
        ).fetchall()
        top, tenth = ranked[0], ranked[-1]
        rare = conn.execute(
            "SELECT a.slug, a.id FROM claims c JOIN actors a ON a.id = c.speaker_id"
            " GROUP BY a.id ORDER BY count(*) LIMIT 1"
        ).fetchone()
        deep = conn.execute(
            "SELECT stated_on, id FROM claims WHERE status = 'verified'"
            " ORDER BY coalesce(stated_on, '-infinity') DESC, id DESC OFFSET 19999 LIMIT 1"
        ).fetchone()
        claim = one("SELECT max(id) FROM claims WHERE status = 'verified'")
        export_from = one(
            "SELECT stated_on FROM claims WHERE status = 'verified' AND stated_on IS NOT NULL"
            " ORDER BY stated_on DESC OFFSET 100000 LIMIT 1"
        )
    assert top and rare and deep
    after = str(Cursor(deep[0], deep[1]))
    ar, en = "قاعدة حميميم", "withdraw Tartus"
    return [
        Page("list", "timeline, 50 rows", "/", LIST, f"{DS}?{LEAN}", afresh=True),
        Page(
            "speaker_base", "timeline: speaker + base", f"/?speaker={top[0]}&base=hmeimim", LIST,
            f"{DS}?{LEAN}&speaker_id={top[1]}&bases__contains=hmeimim",
        ),
        Page(
            "rare", "timeline: a rare combination",
            f"/?speaker={rare[0]}&base=tartus&stance=leave", LIST,
            f"{DS}?{LEAN}&speaker_id={rare[1]}&bases__contains=tartus&stance=leave",
        ),
        Page(
            "dates", "timeline: a date range", "/?from=2025-03-01&to=2025-03-31", LIST,
            f"{DS}?{LEAN}&stated_on__gte=2025-03-01&stated_on__lte=2025-03-31",
        ),
        Page("deep", "timeline, 20,000 entries deep", f"/?after={after}", LIST),
        Page("search_ar", f"search: {ar}", f"/?q={quote(ar)}", LIST),
        Page("search_en", f"search: {en}", f"/?q={quote(en)}", LIST),
        Page(
            "page", "timeline, whole page (facets, chart)", "/", {},
            f"{DS}?_size=50&status=verified&_sort_desc=stated_on",
        ),
        Page("facets", "facet counts (as served: kept per selection)", "/timeline/overview",
             FACETS, bare=False),
        Page("claim", "claim page", f"/claims/{claim}", {}, f"{DS}/{claim}", afresh=True),
        Page("actor", f"actor page (10th speaker, {tenth[2]:,} claims)", f"/actors/{tenth[0]}"),
        Page("top_actor", f"actor page (top speaker, {top[2]:,} claims)", f"/actors/{top[0]}"),
        Page(
            "api", "JSON API: speaker's claims", f"/api/claims?speaker={top[0]}", {},
            f"{DS}.json?{LEAN}&speaker_id={top[1]}",
        ),
        Page("export", "CSV export, ~100,000 claims", f"/export.csv?from={export_from}"),
    ]  # fmt: skip


def capture(url: str, wanted: list[Page]) -> dict[str, list[tuple[str, Any]]]:
    """Each page's SQL as basewatch sends it to build the page afresh (not its validator alone,
    which is all a kept page asks); marks the pages that do not exist yet. Read off the driver's
    cursor, where SQLAlchemy's statements and the claim page's own (`DriverRead`) both pass, as
    would the ping of a connection that sat idle: none is sent meanwhile, since it is no page's."""
    app = create_app(Settings(DATABASE_URL=url))
    captured: dict[str, list[tuple[str, Any]]] = {}
    current: list[tuple[str, Any]] = []
    execute = psycopg.Cursor.execute

    def recorded(cursor: psycopg.Cursor[Any], sql: Any, params: Any = None, **options: Any) -> Any:
        current.append((sql, params))
        return execute(cursor, sql, params, **options)

    with (
        TestClient(app) as client,
        patch.object(psycopg.Cursor, "execute", recorded),
        patch.object(engine_module, "IDLE_BEFORE_PING", math.inf),
    ):
        for page in wanted:
            current.clear()
            if page.name == "export":
                page.exists = client.head(page.path).status_code != 404
                continue
            response = client.get(page.path, headers=page.headers)
            page.exists = response.status_code == 200
            page.path = response.url.raw_path.decode()  # after a redirect (a claim's slug)
            if page.exists:  # again, now that the address is final
                current.clear()
                client.get(page.path, headers=page.headers | AFRESH)
            captured[page.name] = list(current)
    return captured


# --- servers ----------------------------------------------------------------------------------


@contextmanager
def servers(url: str) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    python, quiet = sys.executable, ["--no-access-log", "--log-level", "warning"]
    fast = ["--loop", "uvloop", "--http", "httptools", *quiet]
    env = {**os.environ, "DATABASE_URL": url, "BENCH_DATABASE_URL": libpq_url(url)}
    env |= {"BASEWATCH_ENV": "production", "SECRET_KEY": secrets.token_hex(32)}
    env["BENCH_QUERIES"] = str(WORK / "queries.pickle")
    commands = {
        "basewatch": [python, "-m", "uvicorn", "app.main:create_app", "--factory", *fast],
        "bare": [python, "-m", "uvicorn", "bench.bare:app", *fast],
        "datasette": [str(Path(python).parent / "datasette"), "serve", str(WORK / "claims.db")],
    }
    started = {}
    try:
        for name, command in commands.items():
            log = (WORK / f"{name}.log").open("wb")  # Datasette logs every request
            started[name] = subprocess.Popen(
                [*command, "--port", str(PORTS[name])], env=env, cwd=ROOT, stdout=log, stderr=log
            )
        for name in commands:
            _wait_for_port(PORTS[name], started[name])
        yield started
    finally:
        for process in started.values():
            process.terminate()
            process.wait(10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within 60 s")


# --- measuring --------------------------------------------------------------------------------

TIMING = re.compile(r"(\w+);dur=([\d.]+)")


def first_visit(page: Page) -> None:
    """Ask for the page once before measuring it, so that the work it starts off the request
    path (a broad selection's counts, in the background) is over, as it is for every reader after
    the first, and is waited for by `settle` rather than measured with the page."""
    base = f"http://127.0.0.1:{PORTS['basewatch']}"
    httpx.get(base + page.path, headers=page.headers, timeout=120)


def unloaded(
    page: Page, requests: int = 100, seconds: float = 15, headers: dict[str, str] | None = None
) -> dict[str, tuple[float, float]]:
    """Server time (total, db, render) of sequential requests: p50 and p99, in ms (at most
    `requests`, and no more than `seconds` once three are in: a slow page gets few)."""
    headers = page.headers | (headers or {})
    samples: dict[str, list[float]] = {}
    base = f"http://127.0.0.1:{PORTS['basewatch']}"
    with httpx.Client(base_url=base, timeout=120) as client:
        started = time.monotonic()
        for _ in range(5):  # warm the pool, the plan cache and the template cache
            client.get(page.path, headers=headers)
            if time.monotonic() - started > seconds / 3:
                break
        started = time.monotonic()
        for n in range(requests):
            if n >= 3 and time.monotonic() - started > seconds:
                break
            response = client.get(page.path, headers=headers)
            for kind, ms in TIMING.findall(response.headers.get("Server-Timing", "")):
                samples.setdefault(kind, []).append(float(ms))
    return {kind: (_percentile(v, 50), _percentile(v, 99)) for kind, v in samples.items()}


def deep_against_first(first: Page, deep: Page, rounds: int = 7) -> float:
    """The deep page's unloaded server time over the first page's, both built afresh: the
    median of rounds that ask for each in turn, so that the machine's drift between two pages
    measured minutes apart (their ratio seen at 1.54 in a run, 0.99–1.10 by hand) cancels."""
    ratios = []
    for _ in range(rounds):
        first_ms = unloaded(first, requests=30, headers=AFRESH)["total"][0]
        deep_ms = unloaded(deep, requests=30, headers=AFRESH)["total"][0]
        ratios.append(deep_ms / first_ms)
    return statistics.median(ratios)


def first_facets(selections: int = 12) -> tuple[float, float, int]:
    """The facet counts of selections never asked for before, so nothing is cached: server time
    p50 and p95 (ms), and how many counts a request showed on average. Each selection is a
    different week of 2024 (about 4,000 claims): few enough that every facet is counted on the
    request, where a broad selection would have every facet left out at once, over its budget
    (and counted in the background), and measure only that decision."""
    samples, shown = [], 0
    base = f"http://127.0.0.1:{PORTS['basewatch']}"
    with httpx.Client(base_url=base, timeout=120) as client:
        for n in range(selections):
            first = date(2024, n + 1, 1)
            monday = first + timedelta(days=-first.weekday() % 7)  # the month's first Monday
            week = f"from={monday}&to={monday + timedelta(days=6)}"
            response = client.get(f"/timeline/overview?{week}", headers=FACETS)
            samples.append(float(dict(TIMING.findall(response.headers["Server-Timing"]))["total"]))
            shown += response.text.count('class="count"')
    return _percentile(samples, 50), _percentile(samples, 95), shown // selections


def settle(url: str, limit: float = 60) -> None:
    """Wait for the work the last page's load left running (wrk stops waiting for a slow page,
    the servers do not), so that it does not slow the next page's measurements: until no query
    is active and every server answers its idle page (`PINGS`) at once."""
    deadline = time.monotonic() + limit
    for name, port in PORTS.items():
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}{PINGS[name]}", timeout=0.5)
                break
            except httpx.TimeoutException:
                time.sleep(0.5)
    quiet = 0  # twice in a row: work that runs several queries is idle between two of them
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state = 'active' AND pid <> pg_backend_pid()"
            ).fetchone()
            quiet = quiet + 1 if not busy or busy[0] == 0 else 0
            if quiet == 2:
                return
            time.sleep(0.25)
    print(f"  ! still busy after {limit:.0f} s: measuring anyway", flush=True)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wrk(url: str, headers: dict[str, str], seconds: int) -> Load:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    if errors:
        print(f"  ! {url}: {errors.group(1)} error responses", flush=True)
    requests = int(re.search(r"(\d+) requests in", out.stdout).group(1))  # type: ignore[union-attr]
    return Load(rps, _latency(out.stdout, "50"), _latency(out.stdout, "99"), requests)


def _latency(output: str, percent: str) -> float:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    assert found, output
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
    return float(found.group(1)) * scale


def costed(
    target: tuple[str, dict[str, str]],
    seconds: int,
    server: psutil.Process,
    postmaster: psutil.Process | None,
) -> Load:
    """One wrk run on `target`, with the CPU its server and PostgreSQL spent per request."""
    server_before = tree_seconds(server)
    database_before = tree_seconds(postmaster) if postmaster else 0.0
    load = wrk(*target, seconds)
    if load.requests:
        per_request = 1000 / load.requests
        database = None
        if postmaster:
            database = (tree_seconds(postmaster) - database_before) * per_request
        load.cpu = Cpu((tree_seconds(server) - server_before) * per_request, database)
    return load


def loaded(
    page: Page,
    rounds: int,
    seconds: int,
    processes: dict[str, psutil.Process],
    postmaster: psutil.Process | None,
) -> dict[str, list[Load]]:
    """wrk on each system in turn, the order reversed every round: each system's runs, with
    the CPU spent by its server process (`processes`, by system) and by PostgreSQL."""
    address = f"http://127.0.0.1:{PORTS['basewatch']}{page.path}"
    targets = {"basewatch": (address, page.headers)}
    if page.afresh:
        targets["afresh"] = (address, page.headers | AFRESH)
    if page.bare:
        targets["bare"] = (f"http://127.0.0.1:{PORTS['bare']}/p/{page.name}", {})
    if page.datasette:
        targets["datasette"] = (f"http://127.0.0.1:{PORTS['datasette']}{page.datasette}", {})
    runs: dict[str, list[Load]] = {name: [] for name in targets}
    order = list(targets)
    for n in range(rounds):
        for name in order if n % 2 == 0 else reversed(order):
            database = None if name == "datasette" else postmaster  # SQLite, in its process
            runs[name].append(costed(targets[name], seconds, processes[name], database))
    return runs


def export(page: Page, app: subprocess.Popen[bytes]) -> tuple[float, float, int]:
    """Seconds to stream the export, the app's memory growth (MB) meanwhile, rows received."""
    process = psutil.Process(app.pid)
    before = process.memory_info().rss
    peak = before
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.perf_counter()
    rows = 0
    base = f"http://127.0.0.1:{PORTS['basewatch']}"
    with httpx.stream("GET", base + page.path, timeout=120) as response:
        for chunk in response.iter_bytes():
            rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    return seconds, (peak - before) / 2**20, rows - 1


# --- the report -------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    # The report itself does not count: the last run left it changed, as every run does.
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                            f":!{REPORT.relative_to(ROOT)}"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def _cell(load: Load | None) -> str:
    if load is None:
        return "—"
    if not load.rps:  # wrk reports no latencies when no request came back within a run
        return "none answered"
    return f"{load.rps:,.0f} · {load.p50:.1f} · {load.p99:.1f}"


def _ratio(ratio: float | None) -> str:
    return f"{ratio:.2f}×" if ratio else "—"


TIMELINE = ("list", "speaker_base", "rare", "dates")
SEARCHES = ("search_ar", "search_en")


def verdicts(results: list[Result], facts: dict[str, float]) -> list[str]:
    """Each of the issue's targets against this run's figures: met or missed, with the figure."""
    by = {r.page.name: r for r in results if r.page.exists}
    out: list[str] = []

    def check(target: str, figure: float | None, limit: float, unit: str, at_most: bool) -> None:
        if figure is None:
            out.append(f"| {target} | not measured | — |")
            return
        met = figure <= limit if at_most else figure >= limit
        digits = 3 if unit == "×" else 2  # 0.695× is not 0.70×, which two digits would print
        out.append(f"| {target} | {figure:,.{digits}f}{unit} | {'met' if met else '**missed**'} |")

    def ratio(name: str, other: str) -> float | None:
        return by[name].ratio(other) if name in by else None

    def server(name: str, kind: int) -> float | None:
        """Unloaded server time built afresh: what the page costs, not what sending it again does."""
        r = by.get(name)
        return r.afresh["total"][kind] if r and "total" in r.afresh else None

    for name in TIMELINE:
        label = by[name].page.label if name in by else name
        check(f"{label}: unloaded p50 ≤ 10 ms (built afresh)", server(name, 0), 10, " ms", True)
        check(f"{label}: unloaded p99 ≤ 30 ms (built afresh)", server(name, 1), 30, " ms", True)
        check(
            f"{label}: ≥ 0.70× bare stack at 16 connections", ratio(name, "bare"), 0.7, "×", False
        )
        bw = by[name].loaded.get("basewatch") if name in by else None
        check(f"{label}: p99 ≤ 150 ms at 16 connections", bw.p99 if bw else None, 150, " ms", True)
        if name in by and by[name].page.datasette:
            check(f"{label}: ≥ 8× Datasette", ratio(name, "datasette"), 8, "×", False)
    for name in ("claim", "api"):
        label = by[name].page.label if name in by else name
        check(f"{label}: ≥ 0.70× bare stack", ratio(name, "bare"), 0.7, "×", False)
    for name in ("list", "claim"):
        label = by[name].page.label if name in by else name
        afresh = by[name].ratio("bare", system="afresh") if name in by else None
        check(f"{label}, built afresh: ≥ 0.70× bare stack", afresh, 0.7, "×", False)
    for name in SEARCHES:
        label = by[name].page.label if name in by else name
        check(f"{label}: unloaded p50 ≤ 15 ms (built afresh)", server(name, 0), 15, " ms", True)
        check(f"{label}: unloaded p99 ≤ 100 ms (built afresh)", server(name, 1), 100, " ms", True)
    check("page 20,000 deep ≤ 1.5× the first page (unloaded p50, built afresh, the two asked in turn)",
          facts.get("deep ratio"), 1.5, "×", True)  # fmt: skip
    check("1,000,000 claims loaded in ≤ 30 s (only when this run loaded them)",
          facts.get("load s"), 30, " s", True)  # fmt: skip
    counted = facts.get("facets p95") if facts.get("facets shown") else None  # else none counted
    check("facet counts, first request: p95 ≤ 40 ms", counted, 40, " ms", True)
    check("CSV export of ~100,000 claims ≤ 5 s", facts.get("export s"), 5, " s", True)
    check("CSV export: app memory growth < 100 MB", facts.get("export MB"), 100, " MB", True)
    check("one app worker < 300 MB resident", facts.get("rss MB"), 300, " MB", True)
    return ["| target | this run | |", "| --- | --- | --- |", *out]


def write_report(
    results: list[Result], extras: dict[str, str], notes: list[str], targets: list[str]
) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run`; never edited by hand.",
        "",
        f"- machine: {machine()}",
        f"- commit: {commit()}",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        *[f"- {note}" for note in notes],
        "",
        f"Loaded: requests/s · p50 ms · p99 ms at {CONNECTIONS} connections (wrk, loopback, "
        "median of the alternating runs). basewatch ÷ another: the median of the rounds' own "
        "ratios (in a round the systems run back to back). Unloaded: basewatch's own `Server-Timing`, "
        "sequential requests, p50 / p99 ms (of which database · templates at p50).",
        "",
        "basewatch as served sends a public page it built before again, unchanged, while the "
        "archive's state is the one it was built in (any commit changes that state). Built afresh: "
        "every request asks `Cache-Control: no-cache`, so basewatch does all of the page's work; "
        "the bare stack always does all of it (the SQL basewatch sends to build the page, one "
        "template). The targets on unloaded time are judged built afresh; those under load, as served.",
        "",
        "| page | basewatch | bare stack | Datasette | basewatch ÷ bare | basewatch ÷ Datasette "
        "| unloaded server time | db · render | built afresh: unloaded (db · render) "
        "| built afresh, loaded · ÷ bare |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if not r.page.exists:
            lines.append(f"| {r.page.label} | not built yet | | | | | | | | |")
            continue
        if not r.server and not r.runs:  # measured otherwise: its line is below the table
            continue
        bw, bare, ds = (r.loaded.get(k) for k in ("basewatch", "bare", "datasette"))
        total, db, render = (r.server.get(k, (0.0, 0.0)) for k in ("total", "db", "render"))
        a_total, a_db, a_render = (r.afresh.get(k, (0.0, 0.0)) for k in ("total", "db", "render"))
        afresh = r.loaded.get("afresh")
        loaded_afresh = f"{_cell(afresh)} · {_ratio(r.ratio('bare', 'afresh'))}" if afresh else "—"
        lines.append(
            f"| {r.page.label} | {_cell(bw)} | {_cell(bare)} | {_cell(ds)} | {_ratio(r.ratio('bare'))} "
            f"| {_ratio(r.ratio('datasette'))} | {total[0]:.1f} / {total[1]:.1f} | {db[0]:.1f} · {render[0]:.1f} "
            f"| {a_total[0]:.1f} / {a_total[1]:.1f} ({a_db[0]:.1f} · {a_render[0]:.1f}) | {loaded_afresh} |"
        )
    lines += [
        "",
        *cpu_table(results),
        *[f"- {name}: {value}" for name, value in extras.items()],
        "",
    ]
    lines += ["## Targets (issue 7)", "", *targets, ""]
    REPORT.write_text("\n".join(lines))


def cpu_table(results: list[Result]) -> list[str]:
    """Where each system's time went under load: CPU per request, the server's and PostgreSQL's."""
    systems = ("basewatch", "afresh", "bare", "datasette")
    lines = [
        f"CPU per request at {CONNECTIONS} connections, ms: the server's process · PostgreSQL's "
        "processes (the median of the runs; Datasette reads SQLite in its own process). Built afresh, "
        "basewatch sends the SQL the bare stack replays; the rest is each server's own work.",
        "",
        "| page | basewatch | built afresh | bare stack | Datasette |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if not r.page.exists or not r.runs:
            continue
        cells = [_cpu_cell(r.cpu(system)) for system in systems]
        lines.append(f"| {r.page.label} | {' | '.join(cells)} |")
    return [*lines, ""]


def _cpu_cell(cpu: Cpu | None) -> str:
    if cpu is None:
        return "—"
    if cpu.database is None:
        return f"{cpu.server:.2f}"
    return f"{cpu.server:.2f} · {cpu.database:.2f}"


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5, help="alternating wrk runs per system")
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: bench/run installs it (apt-get install wrk)")
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    url = database_url()
    loading, load_seconds = prepare(url, args.claims)
    wanted = pages(url)
    queries = capture(url, wanted)
    (WORK / "queries.pickle").write_bytes(pickle.dumps(queries))
    results = [Result(page) for page in wanted]
    extras: dict[str, str] = {}
    postmaster = embedded_postmaster(url)
    with servers(url) as running:
        processes = {name: psutil.Process(each.pid) for name, each in running.items()}
        processes["afresh"] = processes["basewatch"]  # the same server, asked to build afresh
        for result in results:
            page = result.page
            if not page.exists or page.name in ("export", "top_actor"):
                continue
            print(f"{page.label} …", flush=True)
            first_visit(page)
            settle(url)
            result.server = unloaded(page)
            result.afresh = unloaded(page, headers=AFRESH)
            result.runs = loaded(page, args.rounds, args.seconds, processes, postmaster)
        facts: dict[str, float] = {"load s": load_seconds} if load_seconds else {}
        settle(url)
        shown_pages = {page.name: page for page in wanted if page.exists}
        first, deep = shown_pages.get("list"), shown_pages.get("deep")
        if first and deep:
            facts["deep ratio"] = deep_against_first(first, deep)
        settle(url)
        facts["facets p50"], facts["facets p95"], shown = first_facets()
        facts["facets shown"] = shown
        extras["facet counts, first request for a selection (a week of 2024, nothing cached)"] = (
            f"p50 {facts['facets p50']:.0f} ms, p95 {facts['facets p95']:.0f} ms; "
            f"{shown} counts shown per request (every facet has a {FACET_BUDGET_MS} ms budget)"
        )
        export_page = next(p for p in wanted if p.name == "export")
        if export_page.exists:
            settle(url)
            seconds, grown, rows = export(export_page, running["basewatch"])
            facts["export s"], facts["export MB"] = seconds, grown
            extras["CSV export"] = (
                f"{rows:,} claims streamed in {seconds:.1f} s; the app grew by {grown:.0f} MB meanwhile"
            )
        top_actor = next(p for p in wanted if p.name == "top_actor")
        if top_actor.exists:  # one unloaded request: under load it would only time out
            spent = unloaded(top_actor, requests=1, seconds=0, headers=AFRESH)
            extras[top_actor.label] = (
                f"{spent['total'][0]:,.0f} ms unloaded, one request built afresh"
            )
        rss = psutil.Process(running["basewatch"].pid).memory_info().rss / 2**20
        extras["basewatch worker resident memory after the run"] = f"{rss:.0f} MB"
        facts["rss MB"] = rss
    notes = [
        f"archive: {args.claims:,} claims (bench/archive.py, seed 7), PostgreSQL {_server_version(url)}",
        f"loading: {loading}",
        f"servers: one process each on loopback; wrk {args.rounds} × {args.seconds} s per system and page",
        f"whole run: {(time.monotonic() - started) / 60:.1f} min",
    ]
    write_report(results, extras, notes, verdicts(results, facts))
    print(REPORT.read_text())


def _server_version(url: str) -> str:
    with psycopg.connect(libpq_url(url)) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]


if __name__ == "__main__":
    main()
