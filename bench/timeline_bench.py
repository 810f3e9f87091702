"""Timeline page timings over a large archive, and the plans of its queries.

    python -m bench.archive --claims 1000000        # once: the archive, loaded by COPY
    python -m bench.timeline_bench [--runs 30]

Renders the real page in-process (routing, queries, templates; no network) for a range of
filter combinations and searches, and reports the server time's p50 and p99 for each and over
all. Then prints each scenario's list query plan and fails if it reads the claims table by a
sequential scan instead of an index.
"""

import argparse
import re
import statistics
import sys
from secrets import token_hex
from urllib.parse import parse_qsl

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db.engine import make_engine
from app.main import create_app
from app.queries.filters import Selection, resolve
from app.queries.timeline import PAGE_SIZE, timeline_query
from app.settings import Settings
from bench.server import database_url

SCENARIOS = [
    "/",
    "/?speaker=vladimir-putin",
    "/?speaker=vladimir-putin&base=tartus",
    "/?base=hmeimim",
    "/?stance=leave",
    "/?side=SY&base=tartus",
    "/?from=2025-01-01&to=2025-03-31",
    "/?q=قاعدة",
    "/?q=Khmeimim",
    "/?q=انسحاب&side=RU",
    "/?q=withdrawal",
    "/?shift=1",
    "/?firsthand=1&stance=conditional",
    "/?language=en",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def server_time(header: str) -> float:
    """The `total` of the page's Server-Timing header, in ms (what the server spent on it)."""
    return float(re.search(r"total;dur=([0-9.]+)", header)[1])  # type: ignore[index]


def time_pages(client: TestClient, runs: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for url in SCENARIOS:
        for _ in range(3):  # warm the caches
            assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(runs):
            response = client.get(url)
            assert response.status_code == 200
            samples.append(server_time(response.headers["server-timing"]))
        timings[url] = samples
        print(
            f"{url:45} p50 {percentile(samples, 50):7.1f} ms   p99 {percentile(samples, 99):7.1f} ms"
        )
    return timings


def time_overviews(client: TestClient, runs: int) -> None:
    """The facet counts and the chart, which follow the page: the first request for a selection
    computes them (each facet and the chart under its time budget), later ones reuse them."""
    for url in SCENARIOS:
        overview = "/timeline/overview" + url.removeprefix("/")
        line = f"{overview:45}"
        for part in ("facets", "chart"):
            headers = {"HX-Request": "true", "HX-Target": part}
            first = server_time(client.get(overview, headers=headers).headers["server-timing"])
            again = [
                server_time(client.get(overview, headers=headers).headers["server-timing"])
                for _ in range(runs)
            ]
            line += f" {part} first {first:6.0f} ms, then p50 {percentile(again, 50):5.1f} ms;"
        print(line)


def list_plan(session: Session, url: str) -> str:
    """EXPLAIN ANALYZE of the page's list query (its 50 rows, as the page sends it)."""
    raw = dict(parse_qsl(url.partition("?")[2]))
    scope = resolve(session, Selection.model_validate(raw), editor=False)
    compiled = timeline_query(scope, paged=False, size=PAGE_SIZE).compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    rows = session.connection().exec_driver_sql(
        f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}", compiled.params
    )
    return "\n".join(row[0] for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = database_url()
    # As in production: templates are not statted for changes on each render.
    settings = Settings(DATABASE_URL=url, BASEWATCH_ENV="production", SECRET_KEY=token_hex(32))
    app = create_app(settings)
    with TestClient(app) as client:
        timings = time_pages(client, args.runs)
        print("\nafter the page, by htmx:")
        time_overviews(client, min(args.runs, 10))
    every = [t for samples in timings.values() for t in samples]
    print(
        f"\nall {len(every)} pages: p50 {percentile(every, 50):.1f} ms, p99 {percentile(every, 99):.1f} ms,"
        f" mean {statistics.mean(every):.1f} ms"
    )
    engine = make_engine(url)
    bad = []
    with Session(engine) as session:
        print(f"\nclaims: {session.scalar(text('SELECT count(*) FROM claims')):,}")
        for scenario in SCENARIOS:
            plan = list_plan(session, scenario)
            print(f"\n--- {scenario}\n{plan}")
            if "Seq Scan on claims" in plan:
                bad.append(scenario)
    engine.dispose()
    if bad:
        print(f"\nsequential scans of claims: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
