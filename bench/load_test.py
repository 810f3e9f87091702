"""Load on loopback: analysts browsing and searching while editors edit, then a check that
nothing was lost.

    python -m bench.load_test [--claims 20000] [--seconds 120] [--analysts 50] [--editors 5]
    make loadtest

Builds a generated archive (bench/archive.py) in DATABASE_URL's server or a throw-away embedded
PostgreSQL, adds the editors' accounts with `basewatch users add`, serves it with
`basewatch serve` (real uvicorn, its own processes) and runs locust headless against it with the
users of bench/load_users.py for the time given. Then it checks, and exits 1 unless all hold:

- no request failed (locust counts a 5xx, a refused sign-in or an unexpected edit answer as a
  failure; a 409 for a stale version is the expected answer and is counted apart);
- every accepted edit is in the database: each hot claim's version moved on by exactly the number
  of edits accepted on it, and its note is the last one accepted;
- the history accounts for each accepted edit and nothing else: the editors' revisions written
  during the run are exactly the accepted edits (claim, version, field, new value, account).

It prints throughput (requests a second) and latency percentiles, overall and per kind of request.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.db.engine import make_engine, make_sessionmaker
from app.models import Actor, Claim, Revision, User
from bench.roundtrip import new_database

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load test editor password"
HOT_CLAIMS = 20


@dataclass(frozen=True)
class Options:
    claims: int
    seconds: int
    analysts: int
    editors: int
    workers: int
    seed: int


def basewatch(url: str, *args: str, stdin: str = "") -> None:
    """The command as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "app.cli", *args]
    subprocess.run(command, input=stdin, text=True, env=env, check=True, capture_output=True)


def plan(url: str, options: Options) -> dict[str, Any]:
    """What the users pick from: claims, speakers, words of real quotes, the hot claims, the
    editors' accounts; with the hot claims' versions and the history's end before the run."""
    rng = random.Random(options.seed)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        ids = list(session.scalars(select(Claim.id).where(Claim.merged_into_id.is_(None))))
        sample = rng.sample(ids, min(500, len(ids)))
        quotes = session.scalars(select(Claim.quote).where(Claim.id.in_(sample[:100])))
        words = sorted({w for q in quotes for w in q.split() if len(w) >= 4})
        slugs = list(
            session.scalars(
                select(Actor.slug).join(Claim, Claim.speaker_id == Actor.id).distinct().limit(200)
            )
        )
        hot = sample[:HOT_CLAIMS]
        versions = dict(
            session.execute(select(Claim.id, Claim.version).where(Claim.id.in_(hot))).tuples().all()
        )
        last_revision = session.scalar(select(func.max(Revision.id))) or 0
    engine.dispose()
    return {
        "analysts": options.analysts,
        "editors": [f"load-editor-{n}" for n in range(1, options.editors + 1)],
        "password": PASSWORD,
        "claims": sample,
        "slugs": slugs,
        "words": rng.sample(words, min(200, len(words))),
        "hot": hot,
        "versions": {str(k): v for k, v in versions.items()},
        "last_revision": last_revision,
    }


def serve(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "BASEWATCH_ENV": "development"}
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)], env=env, stdout=log.open("wb"), stderr=-2
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"the server did not answer; see {log}")


def run_locust(base: str, work: Path, options: Options) -> Path:
    """Locust headless for the time given; returns the prefix of its CSV files."""
    prefix = work / "locust"
    users = options.analysts + options.editors
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_users.py")]
    command += ["--headless", "-u", str(users), "-r", "25", "-t", f"{options.seconds}s"]
    command += ["--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"]
    command += ["--loglevel", "WARNING"]
    env = {
        **os.environ,
        "BASEWATCH_LOAD_PLAN": str(work / "plan.json"),
        "BASEWATCH_LOAD_EDITS": str(work / "edits.jsonl"),
    }
    subprocess.run(command, env=env, check=False)  # exits 1 on failures; the CSV says which
    return prefix


@dataclass
class Outcome:
    stats: list[dict[str, str]]
    accepted: list[dict[str, Any]]
    conflicts: int
    problems: list[str]

    @property
    def total(self) -> dict[str, str]:
        return next(row for row in self.stats if row["Name"] == "Aggregated")


def verify(url: str, the_plan: dict[str, Any], prefix: Path, edits: Path) -> Outcome:
    stats = list(csv.DictReader(Path(f"{prefix}_stats.csv").open()))
    lines = [json.loads(line) for line in edits.read_text().splitlines()] if edits.exists() else []
    accepted = [line for line in lines if not line.get("conflict")]
    outcome = Outcome(stats, accepted, len(lines) - len(accepted), [])
    if int(outcome.total["Failure Count"]) != 0:
        failures = Path(f"{prefix}_failures.csv").read_text()
        outcome.problems.append(f"{outcome.total['Failure Count']} failed requests:\n{failures}")
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        history = session.execute(
            select(Revision.claim_id, Revision.version, Revision.field, Revision.new_value)
            .add_columns(User.username)
            .join(User, User.id == Revision.user_id, isouter=True)
            .where(Revision.id > the_plan["last_revision"])
        ).all()
        claims = {
            c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(the_plan["hot"])))
        }
        outcome.problems += _compare(the_plan, accepted, history, claims)
    engine.dispose()
    return outcome


def _compare(
    the_plan: dict[str, Any], accepted: list[dict[str, Any]], history: Any, claims: dict[int, Claim]
) -> list[str]:
    problems = []
    written = sorted((c, v, f, str(new), u) for c, v, f, new, u in history)
    expected = sorted((e["claim"], e["version"], "note", e["note"], e["user"]) for e in accepted)
    if written != expected:
        extra = set(written) - set(expected)
        missing = set(expected) - set(written)
        problems.append(f"history ≠ accepted edits: {len(missing)} missing, {len(extra)} extra")
    for claim_id, claim in claims.items():
        mine = [e for e in accepted if e["claim"] == claim_id]
        start = the_plan["versions"][str(claim_id)]
        if claim.version != start + len(mine):
            problems.append(f"claim {claim_id}: version {claim.version}, {start} + {len(mine)}")
        last = max(mine, key=lambda e: e["version"], default=None)
        if last and claim.note != last["note"]:
            problems.append(f"claim {claim_id}: note {claim.note!r}, last saved {last['note']!r}")
    return problems


def report(outcome: Outcome, options: Options) -> str:
    lines = [f"{'request':<32} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p99':>6} ms"]
    for row in outcome.stats:
        name = f"{row['Type']} {row['Name']}".strip()
        lines.append(
            f"{name[:32]:<32} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['99%']:>6}"
        )
    lines.append(
        f"{options.analysts} analysts, {options.editors} editors, {options.seconds} s, "
        f"{options.claims} claims: {len(outcome.accepted)} edits accepted, "
        f"{outcome.conflicts} refused as stale (409)"
    )
    lines += outcome.problems or ["no errors; every accepted edit is stored and in the history"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--analysts", type=int, default=50)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="the server's processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    options = Options(
        args.claims, args.seconds, args.analysts, args.editors, args.workers, args.seed
    )
    from app.db.local_pg import start_server
    from bench.archive import load_archive

    work = Path(tempfile.mkdtemp(prefix="basewatch-load-"))
    admin = os.environ.get("DATABASE_URL") or start_server(work / "pg", cleanup_mode="delete")
    url = new_database(admin)
    print(load_archive(url, claims=options.claims, seed=options.seed).summary())
    the_plan = plan(url, options)
    for name in the_plan["editors"]:
        basewatch(url, "users", "add", name, "--role", "editor", stdin=PASSWORD + "\n")
    (work / "plan.json").write_text(json.dumps(the_plan))
    server = serve(url, args.port, options.workers, work / "server.log")
    try:
        prefix = run_locust(f"http://127.0.0.1:{args.port}", work, options)
    finally:
        server.terminate()
        server.wait(30)
    outcome = verify(url, the_plan, prefix, work / "edits.jsonl")
    print(report(outcome, options))
    print(f"locust's CSV and the server's log: {work}")
    sys.exit(1 if outcome.problems else 0)


if __name__ == "__main__":
    main()
