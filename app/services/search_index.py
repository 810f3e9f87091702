"""Keeps each claim's search text (its quote and its article's title, as search sees them).

Called wherever claims or their article are written: the loader after each article, an editor's
new claim, and an edit of a quote. The database derives the search vector from this text and the
claim's summary (a trigger: an edit of the summary needs nothing from here).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, text
from sqlalchemy.orm import Session

from app.extract.search_text import search_text

_ROWS = (
    "SELECT c.id, c.quote, c.search_text, a.title FROM claims c"
    " JOIN articles a ON a.id = c.article_id"
)
_OF_ARTICLE = text(f"{_ROWS} WHERE c.article_id = :article_id")
_ALL_ROWS = text(f"{_ROWS} WHERE c.id > :after ORDER BY c.id LIMIT :size")
# Plain SQL, not the ORM: the search text is no edit, so the claim's version stays as it is; and
# a migration reads any schema that has these columns.
_WRITE = text("UPDATE claims SET search_text = :text WHERE id = :id")


def index_article(session: Session, article_id: int) -> None:
    """Refresh the search text of every claim of one article (a handful of rows)."""
    session.flush()  # the claims just added or edited, as an ORM query would have seen them
    conn = session.connection()
    _rewrite_stale(conn, conn.execute(_OF_ARTICLE, {"article_id": article_id}).all())


def index_archive(conn: Connection, batch: int = 10_000) -> None:
    """Write again every claim's search text that differs from what `search_text` now makes:
    for a migration that changes how search reads a word. In batches by id, so that a large
    archive is never held in memory at once."""
    after = 0
    while rows := conn.execute(_ALL_ROWS, {"after": after, "size": batch}).all():
        _rewrite_stale(conn, rows)
        after = rows[-1].id


def _rewrite_stale(conn: Connection, rows: Sequence[Row[Any]]) -> None:
    """Write the search text of each of `rows` (id, quote, search_text, title) that differs
    from what its quote and title now make."""
    changed = [
        {"id": row.id, "text": new}
        for row in rows
        if (new := search_text(row.quote, row.title)) != row.search_text
    ]
    if changed:
        conn.execute(_WRITE, changed)
