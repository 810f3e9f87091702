"""the stored search text reads a final hamza after ى as on its seat

A word's last hamza written after ى (الموانىء, older and Egyptian usage) and on its seat
(الموانئ) were two words to search. Each claim's search text is written again where it
differs, which renews its search vector (the trigger).

Revision ID: 7e3b5a1d9c42
Revises: 4a8c2e6f0b19
Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

from alembic import op

from app.services.search_index import index_archive

revision: str = "7e3b5a1d9c42"
down_revision: str | None = "4a8c2e6f0b19"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_archive(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the earlier search finds what it found in the longer text."""
