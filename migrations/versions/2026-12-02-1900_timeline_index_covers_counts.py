"""indexes that cover the counts: a week's facets and chart from the indexes alone

Revision ID: 9d2f4b6a8c10
Revises: 5c1e7a90f2b4
Create Date: 2026-12-02 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d2f4b6a8c10"
down_revision: str | None = "5c1e7a90f2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = [sa.text("coalesce(stated_on, '-infinity'::date) DESC"), sa.text("id DESC")]
COUNTED = [
    "stated_on", "status", "merged_into_id", "stance", "speaker_affiliation", "speaker_id",
    "article_id", "bases", "via",
]  # fmt: skip


def upgrade() -> None:
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index("ix_claims_timeline", "claims", KEYS, postgresql_include=COUNTED)
    op.create_index("ix_articles_language", "articles", ["id"], postgresql_include=["language"])


def downgrade() -> None:
    op.drop_index("ix_articles_language", table_name="articles")
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index("ix_claims_timeline", "claims", KEYS)
