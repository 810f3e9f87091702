"""The same claims in SQLite, for Datasette: one flat table (what an analyst would export to
explore), with indexes on the columns the timeline filters and sorts by."""

import sqlite3
from pathlib import Path

import psycopg

COLUMNS = (
    "id, stated_on, stated_on_precision, speaker_id, speaker, speaker_name, side, stance, bases,"
    " quote, summary_en, status, article, outlet, language"
)
SELECT = """
SELECT c.id, c.stated_on::text, c.stated_on_precision, c.speaker_id, s.name_en, c.speaker_name,
       c.speaker_affiliation, c.stance, array_to_string(c.bases, ','), c.quote, c.summary_en,
       c.status, a.title, o.name, a.language
  FROM claims c JOIN actors s ON s.id = c.speaker_id JOIN articles a ON a.id = c.article_id
  JOIN outlets o ON o.id = a.outlet_id ORDER BY c.id
"""
INDEXES = [
    "CREATE INDEX ix_claims_timeline ON claims (status, stated_on DESC)",
    "CREATE INDEX ix_claims_speaker ON claims (speaker_id, stated_on DESC)",
    "CREATE INDEX ix_claims_stance ON claims (stance, stated_on DESC)",
    "CREATE INDEX ix_claims_bases ON claims (bases, stated_on DESC)",
]


def sqlite_copy(pg_url: str, path: Path) -> int:
    """Write (or keep, when it holds as many claims) the SQLite copy; return its claim count."""
    with psycopg.connect(pg_url) as pg:
        count = pg.execute("SELECT count(*) FROM claims").fetchone()[0]  # type: ignore[index]
        if path.exists() and _count(path) == count:
            return int(count)
        fresh = path.with_suffix(".tmp")
        fresh.unlink(missing_ok=True)
        db = sqlite3.connect(fresh)
        db.execute(
            f"CREATE TABLE claims ({COLUMNS.replace(', ', ' , ').replace('id ,', 'id INTEGER PRIMARY KEY,', 1)})"
        )
        with pg.cursor(name="claims") as cursor:
            cursor.itersize = 20_000
            cursor.execute(SELECT)
            marks = ", ".join("?" * len(COLUMNS.split(",")))
            while rows := cursor.fetchmany(20_000):
                db.executemany(f"INSERT INTO claims VALUES ({marks})", rows)
        for index in INDEXES:
            db.execute(index)
        db.execute("ANALYZE")
        db.commit()
        db.close()
    fresh.replace(path)
    return int(count)


def _count(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM claims").fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        db.close()
