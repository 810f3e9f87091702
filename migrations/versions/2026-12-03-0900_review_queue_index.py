"""the review queue's own index: the claims waiting, oldest first, counted without the table

Revision ID: 7b3d9e1f5a24
Revises: 3e8a1c5d7f92
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b3d9e1f5a24"
down_revision: str | None = "3e8a1c5d7f92"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ["speaker_id", "stance", "extractor", "article_id", "bases"]


def upgrade() -> None:
    op.create_index(
        "ix_claims_review_queue",
        "claims",
        ["created_at", "id"],
        postgresql_include=FILTERED,
        postgresql_where=sa.text("status = 'extracted'"),
    )


def downgrade() -> None:
    op.drop_index("ix_claims_review_queue", table_name="claims")
