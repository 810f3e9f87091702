"""an article's corrected language counts as a change to its claims (their updated_at)

The trigger that copies an article's new language to its claims left their `updated_at` as it
was. The counts over a selection are kept, and validated, until a claim or a speaker changes
(`last_change`), so after a corrected language they went on counting the old one.

Revision ID: 7c3e9b1a5d28
Revises: 4f1b7d2e9a63
Create Date: 2026-12-04 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c3e9b1a5d28"
down_revision: str | None = "4f1b7d2e9a63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPY_LANGUAGE = """
CREATE OR REPLACE FUNCTION article_language_to_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims SET language = NEW.language{also} WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.execute(COPY_LANGUAGE.format(also=", updated_at = now()"))


def downgrade() -> None:
    op.execute(COPY_LANGUAGE.format(also=""))
