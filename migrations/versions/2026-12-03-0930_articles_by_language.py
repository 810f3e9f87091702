"""a language's articles by index: the language filter of a language with few articles

Revision ID: 2c6f8a0d4e17
Revises: 7b3d9e1f5a24
Create Date: 2026-12-03 09:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2c6f8a0d4e17"
down_revision: str | None = "7b3d9e1f5a24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_articles_by_language", "articles", ["language", "id"])


def downgrade() -> None:
    op.drop_index("ix_articles_by_language", table_name="articles")
