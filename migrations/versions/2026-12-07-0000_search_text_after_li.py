"""the stored search text unwraps the article after the preposition ل

ل before the article drops its alef (للقوات: for the forces), and the search text kept such a
word only as written and as ل + a word (لقوات), so a search for قوات or القوات missed it. The
search text now holds the word bare too (app.extract.search_text.after_article); each claim's
is written again where it differs, which renews its search vector (the trigger).

Revision ID: 6c1e9a3f5d28
Revises: 8d2f4b6a1c37
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.extract.search_text import search_text

revision: str = "6c1e9a3f5d28"
down_revision: str | None = "8d2f4b6a1c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000
_ROWS = sa.text(
    "SELECT c.id, c.quote, c.search_text, a.title FROM claims c"
    " JOIN articles a ON a.id = c.article_id WHERE c.id > :after ORDER BY c.id LIMIT :size"
)
_WRITE = sa.text("UPDATE claims SET search_text = :text WHERE id = :id")


def upgrade() -> None:
    """In batches by id, so that a large archive is never held in memory at once."""
    conn = op.get_bind()
    after = 0
    while rows := conn.execute(_ROWS, {"after": after, "size": BATCH}).all():
        changed = [
            {"id": row.id, "text": text}
            for row in rows
            if (text := search_text(row.quote, row.title)) != row.search_text
        ]
        if changed:
            conn.execute(_WRITE, changed)
        after = rows[-1].id


def downgrade() -> None:
    """Nothing to undo: the earlier search finds what it found in the longer text."""
