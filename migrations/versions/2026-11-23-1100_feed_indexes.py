"""feeds: claims by newest change, all and per speaker

Revision ID: 5c1e7a90f2b4
Revises: 7c1e5a9b3f20
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e7a90f2b4"
down_revision: str | None = "7c1e5a9b3f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_claims_updated", "claims", [sa.text("updated_at DESC"), sa.text("id DESC")])
    op.create_index(
        "ix_claims_speaker_updated",
        "claims",
        ["speaker_id", sa.text("updated_at DESC"), sa.text("id DESC")],
    )


def downgrade() -> None:
    op.drop_index("ix_claims_speaker_updated", table_name="claims")
    op.drop_index("ix_claims_updated", table_name="claims")
