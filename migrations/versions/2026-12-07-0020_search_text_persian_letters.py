"""the stored search text reads letters a Persian keyboard types as the Arabic they look like

ی (U+06CC) and ک (U+06A9), which a Persian keyboard types for ي/ى and ك, were other letters to
search: روسیا looks like روسيا, and neither found the other. Each claim's search text is written
again where it differs, which renews its search vector (the trigger).

Revision ID: 4a8c2e6f0b19
Revises: 2f7b4d9e1a53
Create Date: 2026-12-07 00:20:00
"""

from collections.abc import Sequence

from alembic import op

from app.services.search_index import index_archive

revision: str = "4a8c2e6f0b19"
down_revision: str | None = "2f7b4d9e1a53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_archive(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the earlier search finds what it found in the longer text."""
