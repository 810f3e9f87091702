"""the timeline's index carries the date's precision: the chart leaves out claims known only by
their year, and still counts from the index alone

The chart drew a claim of "2024" (stored as 1 January) as one of January's; it now reads each
claim's precision to set those apart, in the same scan. A column the index does not carry
makes PostgreSQL read the table for every claim counted, where an index-only scan reads the
index alone.

Revision ID: 3f7a1c9e5b20
Revises: 5b8e2d7c4a16
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f7a1c9e5b20"
down_revision: str | None = "5b8e2d7c4a16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = [sa.text("coalesce(stated_on, '-infinity'::date) DESC"), sa.text("id DESC")]
COUNTED = [
    "stated_on", "status", "merged_into_id", "stance", "speaker_affiliation", "speaker_id",
    "article_id", "bases", "via", "language",
]  # fmt: skip


def _timeline(include: list[str]) -> None:
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index("ix_claims_timeline", "claims", KEYS, postgresql_include=include)


def upgrade() -> None:
    _timeline([*COUNTED, "stated_on_precision"])


def downgrade() -> None:
    _timeline(COUNTED)
