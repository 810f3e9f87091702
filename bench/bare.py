"""The bare stack: the ceiling for Python on this machine. A minimal Starlette app that sends the
same SQL basewatch sent for a page (captured by the runner, statement by statement, with its
parameters) through the same driver (psycopg 3, here async with a pool), and renders the rows of
its main query with one Jinja2 template. No ORM, no dependency injection, no middleware.

    BENCH_DATABASE_URL=postgresql://… BENCH_QUERIES=var/bench/queries.pickle \\
        uvicorn bench.bare:app --port 8101
"""

import os
import pickle
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import psycopg
from jinja2 import Environment, FileSystemLoader, select_autoescape
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

Statements = list[tuple[str, Any]]
TEMPLATE = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape()
).get_template("bare.html")


def _pages() -> dict[str, Statements]:
    with open(os.environ["BENCH_QUERIES"], "rb") as captured:
        pages: dict[str, Statements] = pickle.load(captured)
    return pages


PAGES = _pages()
# Connections set as basewatch's are (app/db/engine.py): custom plans, since psycopg prepares a
# statement run 5 times and a generic plan for the speaker+base page walks 200,000 claims.
pool = AsyncConnectionPool(
    os.environ["BENCH_DATABASE_URL"],
    min_size=4,
    max_size=16,
    open=False,
    kwargs={"options": "-c plan_cache_mode=force_custom_plan"},
)


async def page(request: Request) -> Response:
    statements = PAGES[request.path_params["name"]]
    main: list[Any] = []
    columns: list[str] = []
    savepoint, skipping = "", False
    async with pool.connection() as conn:
        for sql, params in statements:
            if sql.startswith("SAVEPOINT "):
                savepoint, skipping = sql.split()[1], False
            elif skipping:  # what followed a statement cut off, up to its savepoint's end
                skipping = not sql.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
                continue
            try:
                cursor = await conn.execute(sql, params)
            except psycopg.errors.QueryCanceled:  # as basewatch does with a facet over budget
                await conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                skipping = True
                continue
            if cursor.description is None:
                continue
            rows = await cursor.fetchall()
            if len(rows) >= len(main):  # the page's list: its largest result
                main, columns = rows, [c.name for c in cursor.description]
    return HTMLResponse(TEMPLATE.render(columns=columns, rows=main))


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    await pool.open()
    yield
    await pool.close()


app = Starlette(routes=[Route("/p/{name}", page)], lifespan=lifespan)
