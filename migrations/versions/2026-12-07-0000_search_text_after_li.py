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

from alembic import op

from app.services.search_index import index_archive

revision: str = "6c1e9a3f5d28"
down_revision: str | None = "8d2f4b6a1c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_archive(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the earlier search finds what it found in the longer text."""
