"""the stored search text writes numbers in ASCII digits, and U.S. as one word

- A Persian keyboard types ۲۲۵۴ (U+06F0…), an Arabic one ٢٢٥٤ (U+0660…): the Arabic stemmer
  reads the second as 2254, not the first, so a number typed or written in Persian digits found
  nothing written otherwise. Search now reads every digit as ASCII (`search_text.reading`).
- Latin letters joined by dots (U.S., e.g.) are one word, as PostgreSQL reads them (u.s), not
  a word of each letter (`search_text.words`).

Each claim's search text is written again where it differs, which renews its search vector
(the trigger): one pass over the archive for the two.

Revision ID: 88a3033aa364
Revises: 213f21a84e83
Create Date: 2026-12-07 03:10:00
"""

from collections.abc import Sequence

from alembic import op

from app.services.search_index import index_archive

revision: str = "88a3033aa364"
down_revision: str | None = "213f21a84e83"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_archive(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the earlier search finds in these texts what it found before, a number
    in Persian digits and a quote's U.S. aside."""
