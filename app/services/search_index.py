"""Keeps each claim's search text (its quote and its article's title, as search sees them).

Called wherever claims or their article are written: the loader after each article, an editor's
new claim, and an edit of a quote. The database derives the search vector from this text and the
claim's summary (a trigger: an edit of the summary needs nothing from here).
"""

from sqlalchemy import Table, bindparam, select, update
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
