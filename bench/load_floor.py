"""What loading the archive costs PostgreSQL alone, along the path `python -m bench.archive` takes.

    python -m bench.archive            # once: the archive
    python -m bench.load_floor [--format binary]

Copies the loaded archive's rows out (not timed), then times PostgreSQL taking the same rows in
the way the loader's fastest path has it do, with no Python work in between: one transaction
into tables truncated in it (COPY FREEZE, in COPY's binary format as the loader sends, or in
its text format), then the tables' indexes and foreign keys built by the loader's own code, then
ANALYZE. What is left of a load's time beyond this is the generator's, or its share of the
cores: the part a faster generator could win back.

The rows go into a schema of their own (`load_floor`), dropped afterwards. Those tables have no
triggers, as the loader's have none during its load, so COPY FREEZE marks their pages
all-visible.
"""

import argparse
import tempfile
from pathlib import Path
from typing import Any

import psycopg

from app.db import migrate
from bench.archive import (
    LOADED_TABLES,
    LoadReport,
    build_indexes,
    foreign_keys,
    secondary_indexes,
)
from bench.cpu import embedded_postmaster
from bench.server import database_url, libpq_url

SCHEMA = "load_floor"


def measure(url: str, copy_format: str = "text") -> LoadReport:
    with (
        psycopg.connect(libpq_url(url), autocommit=True) as conn,
        tempfile.TemporaryDirectory() as tmp,
    ):
        files = {table: Path(tmp) / table for table in LOADED_TABLES}
        try:
            _create_tables(conn)
            for table, path in files.items():
                _copy_out(conn, table, path, copy_format)
            report = LoadReport(embedded_postmaster(url))  # from here on, timed
            _copy_in(conn, files, copy_format)
            report.done("copy")
            _build_keys(url, conn)
            report.done("indexes, keys")
            conn.execute(f"ANALYZE {', '.join(f'{SCHEMA}.{t}' for t in LOADED_TABLES)}")
            report.done("analyze")
            _check_counts(conn)
        finally:
            conn.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    return report


def _create_tables(conn: psycopg.Connection[Any]) -> None:
    """The loaded tables as bulk mode leaves them: their checks, primary keys and unique
    constraints, no other index and no foreign key."""
    conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    conn.execute(f"CREATE SCHEMA {SCHEMA}")
    for table in LOADED_TABLES:
        conn.execute(
            f"CREATE TABLE {SCHEMA}.{table}"
            f" (LIKE public.{table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        for (key,) in conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
            [table],
        ).fetchall():
            conn.execute(f"ALTER TABLE {SCHEMA}.{table} ADD {key}")


def _copy_out(conn: psycopg.Connection[Any], table: str, path: Path, copy_format: str) -> None:
    with conn.cursor() as cur, path.open("wb") as out:
        with cur.copy(f"COPY public.{table} TO STDOUT (FORMAT {copy_format})") as copy:
            for data in copy:
                out.write(data)


def _copy_in(conn: psycopg.Connection[Any], files: dict[str, Path], copy_format: str) -> None:
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"TRUNCATE {', '.join(f'{SCHEMA}.{t}' for t in files)}")
        for table, path in files.items():
            with (
                cur.copy(
                    f"COPY {SCHEMA}.{table} FROM STDIN (FORMAT {copy_format}, FREEZE)"
                ) as copy,
                path.open("rb") as f,
            ):
                while data := f.read(1 << 20):
                    copy.write(data)


def _check_counts(conn: psycopg.Connection[Any]) -> None:
    for table in LOADED_TABLES:
        [(copied, stored)] = conn.execute(
            f"SELECT (SELECT count(*) FROM {SCHEMA}.{table}), (SELECT count(*) FROM public.{table})"
        )
        if copied != stored:
            raise RuntimeError(f"{SCHEMA}.{table} took {copied} rows of {stored}")


def _build_keys(url: str, conn: psycopg.Connection[Any]) -> None:
    """The tables' indexes, built as the loader builds them, then their foreign keys (each a
    validating join)."""
    indexes, keys = [], []  # read before the search path changes how they are written
    for table in LOADED_TABLES:
        for _, definition in secondary_indexes(conn, table):  # an index lives in its table's schema
            indexes.append(definition.replace(f" ON public.{table} ", f" ON {SCHEMA}.{table} ", 1))
        keys += [(table, key) for key in foreign_keys(conn, table).values()]
    build_indexes(url, indexes)
    conn.execute(f"SET search_path = {SCHEMA}, public")  # `REFERENCES claims`: the floor's own
    for table, key in keys:
        conn.execute(f"ALTER TABLE {SCHEMA}.{table} ADD {key}")
    conn.execute("RESET search_path")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=("text", "binary"), default="text")
    args = parser.parse_args()
    url = database_url()
    migrate.upgrade(url)
    report = measure(url, args.format)
    print(f"COPY format {args.format}: ", end="")
    print(
        f"PostgreSQL alone took the archive's rows in {report.seconds:.1f} s ({report.breakdown()})"
    )


if __name__ == "__main__":
    main()
