"""the stored search text reads a feminine noun before a pronoun as the noun

Before an attached pronoun ة is written ت (اتفاقيتها: its agreement), and the search text gave
such a word its singular only before the dual's and ي's endings, so a search for اتفاقية missed
"its" or "our" agreement (the stemmer cuts the two to different stems). Each claim's search text
is written again where it differs, which renews its search vector (the trigger).

Revision ID: 2f7b4d9e1a53
Revises: 6c1e9a3f5d28
Create Date: 2026-12-07 00:10:00
"""

from collections.abc import Sequence

from alembic import op

from app.services.search_index import index_archive

revision: str = "2f7b4d9e1a53"
down_revision: str | None = "6c1e9a3f5d28"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_archive(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the earlier search finds what it found in the longer text."""
