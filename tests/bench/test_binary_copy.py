"""The binary COPY encoders, read back by PostgreSQL."""

from datetime import date

import numpy as np
import psycopg

from bench import binary_copy
from bench.server import libpq_url

COLUMNS = (
    "a text, b text, c date, d date, e text[], f text[], g int[], h boolean, i int, j int,"
    " k int, l jsonb"
)


def test_every_kind_of_field_reads_back_as_written(database_url: str) -> None:
    fields = [
        binary_copy.text("قاعدة حميميم"),
        binary_copy.text(None),
        binary_copy.field(date(1999, 12, 31)),  # before PostgreSQL's epoch
        binary_copy.field(None),
        binary_copy.field(("hmeimim", "tartus")),
        binary_copy.field(()),
        binary_copy.int4_array([3, 70_000]),
        binary_copy.boolean(True),
        *binary_copy.int4_fields(np.array([-5]), np.array([2**31 - 1])).tolist(),
        binary_copy.field(7),
        binary_copy.jsonb('{"stance": "stay", "quote": "قاعدة"}'),
    ]
    with psycopg.connect(libpq_url(database_url)) as conn:
        conn.execute(f"CREATE TEMP TABLE written ({COLUMNS})")
        with conn.cursor().copy("COPY written FROM STDIN (FORMAT binary)") as copy:
            binary_copy.write(copy, b"".join([len(COLUMNS.split(",")).to_bytes(2), *fields]))
        row = conn.execute("SELECT * FROM written").fetchone()
    assert row == (
        "قاعدة حميميم", None, date(1999, 12, 31), None, ["hmeimim", "tartus"], [], [3, 70_000],
        True, -5, 2**31 - 1, 7, {"stance": "stay", "quote": "قاعدة"},
    )  # fmt: skip


def test_rows_are_laid_out_field_by_field_with_their_varying_pieces() -> None:
    rows = binary_copy.interleave(
        [b"<", np.array([b"a", b"b"], dtype=object)],
        np.array([b"1", b"2", b"3"], dtype=object),
        np.array([1, 2]),
        [np.array([b">", b"."], dtype=object)],
    )
    assert rows == [b"<", b"a", b"1", b">", b"<", b"b", b"2", b"3", b"."]
