"""Keeps each claim's search text (its quote and its article's title, as search sees them).

Called wherever claims or their article are written: the loader after each article, an editor's
new claim, and an edit of a quote. The database derives the search vector from this text and the
claim's summary (a trigger: an edit of the summary needs nothing from here).
"""

from sqlalchemy import Connection, Table, bindparam, select, text, update
from sqlalchemy.orm import Session

from app.extract.search_text import search_text
from app.models import Article, Claim


def index_article(session: Session, article_id: int) -> None:
    """Refresh the search text of every claim of one article (a handful of rows)."""
    rows = session.execute(
        select(Claim.id, Claim.quote, Claim.search_text, Article.title)
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.article_id == article_id)
    ).all()
    changed = [
        {"claim_id": row.id, "text": text}
        for row in rows
        if (text := search_text(row.quote, row.title)) != row.search_text
    ]
    if changed:
        # Core, not the ORM: the search text is no edit, so the claim's version stays as it is.
        claims: Table = Claim.__table__  # type: ignore[assignment]
        session.connection().execute(
            update(claims)
            .where(claims.c.id == bindparam("claim_id"))
            .values(search_text=bindparam("text")),
            changed,
        )


_ALL_ROWS = text(
    "SELECT c.id, c.quote, c.search_text, a.title FROM claims c"
    " JOIN articles a ON a.id = c.article_id WHERE c.id > :after ORDER BY c.id LIMIT :size"
)
_WRITE = text("UPDATE claims SET search_text = :text WHERE id = :id")


def index_archive(conn: Connection, batch: int = 10_000) -> None:
    """Write again every claim's search text that differs from what `search_text` now makes:
    for a migration that changes how search reads a word. In batches by id, so that a large
    archive is never held in memory at once; plain SQL, so that it reads any schema that has
    these columns, as a migration must."""
    after = 0
    while rows := conn.execute(_ALL_ROWS, {"after": after, "size": batch}).all():
        changed = [
            {"id": row.id, "text": new}
            for row in rows
            if (new := search_text(row.quote, row.title)) != row.search_text
        ]
        if changed:
            conn.execute(_WRITE, changed)
        after = rows[-1].id
