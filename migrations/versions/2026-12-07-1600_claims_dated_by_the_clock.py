"""claims whose article's language is corrected are dated by the clock, not the transaction's start

The counts over a selection are kept until a claim or a speaker changes (`last_change`): the
latest `updated_at`, and the transactions pending. A transaction that began before another's
save and wrote after the counts were kept was dated at its start, before that save: once it
committed, the key was the one the counts had been kept under, and they were served without its
change. The app now dates its writes by the clock (TimestampMixin); so does this trigger.

Revision ID: 9e4c1f7a2b60
Revises: 5d0c2e7b9f41
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9e4c1f7a2b60"
down_revision: str | None = "5d0c2e7b9f41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPY_LANGUAGE = """
CREATE OR REPLACE FUNCTION article_language_to_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims SET language = NEW.language, updated_at = {at} WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.execute(COPY_LANGUAGE.format(at="clock_timestamp()"))


def downgrade() -> None:
    op.execute(COPY_LANGUAGE.format(at="now()"))
