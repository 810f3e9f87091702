"""a speaker's claims are found by the two indexes that begin with the speaker, not by a third

ix_claims_speaker_id held the speaker alone, and ix_claims_speaker_timeline and
ix_claims_speaker_updated both begin with it: any lookup by speaker (a page, a merge, the
foreign key's checks) reads either of them. The third only cost every write of a claim, and a
bulk load of a million claims a second of building.

Revision ID: 6e1b9d3f7a52
Revises: 6c1e9a3f5d28
Create Date: 2026-12-07 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6e1b9d3f7a52"
down_revision: str | None = "6c1e9a3f5d28"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_claims_speaker_id", table_name="claims")


def downgrade() -> None:
    op.create_index("ix_claims_speaker_id", "claims", ["speaker_id"])
