"""the stored search text reads four more spellings as the words they are

- ل before the article drops its alef (للقوات: for the forces), and the search text kept such a
  word only as written and as ل + a word (لقوات), so a search for قوات or القوات missed it; it
  now holds the word bare too (app.extract.search_text.after_article).
- Before an attached pronoun ة is written ت (اتفاقيتها: its agreement), and the search text gave
  such a word its singular only before the dual's and ي's endings.
- ی (U+06CC) and ک (U+06A9), which a Persian keyboard types for ي/ى and ك, were other letters:
  روسیا looks like روسيا, and neither found the other.
- A word's last hamza written after ى (الموانىء) and on its seat (الموانئ) were two words.

Each claim's search text is written again where it differs, which renews its search vector (the
trigger): one pass over the archive for the four.

Revision ID: 6c1e9a3f5d28
Revises: 8d2f4b6a1c37
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

from alembic import op

from app.services.search_index import index_archive

revision: str = "6c1e9a3f5d28"
down_revision: str | None = "8d2f4b6a1c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_archive(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the earlier search finds what it found in the longer text."""
