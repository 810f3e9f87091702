"""search vector kept by a trigger, so that a bulk load can supply it

The vector was a generated column: PostgreSQL computed it for every row written, and a COPY
could not supply it. A million-claim load spent most of its database time there (87 s against
15 s without it, on a slow hour), though its claims repeat a few thousand quotes, titles and
summaries. Kept by a trigger instead, every write still gets the same vector, and the bulk
loader, which switches the trigger off as it does the span check, computes each distinct text's
vector once and writes the rows' own (bench/archive.py; its test compares them).

Revision ID: 3e8a1c5d7f92
Revises: 9d2f4b6a8c10
Create Date: 2026-12-02 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3e8a1c5d7f92"
down_revision: str | None = "9d2f4b6a8c10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VECTOR = (
    "to_tsvector('arabic'::regconfig, {row}search_text)"
    " || to_tsvector('english'::regconfig, {row}summary_en)"
)
TRIGGER = f"""
CREATE FUNCTION claim_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {VECTOR.format(row="NEW.")};
    RETURN NEW;
END $$;
CREATE TRIGGER claims_search_vector BEFORE INSERT OR UPDATE ON claims
    FOR EACH ROW EXECUTE FUNCTION claim_search_vector();
"""


def upgrade() -> None:
    op.execute("ALTER TABLE claims ALTER COLUMN search_vector DROP EXPRESSION")
    op.execute(TRIGGER)
    op.alter_column("claims", "search_vector", nullable=False)


def downgrade() -> None:
    op.execute("DROP TRIGGER claims_search_vector ON claims")
    op.execute("DROP FUNCTION claim_search_vector()")
    op.drop_index("ix_claims_search", table_name="claims")
    op.drop_column("claims", "search_vector")
    op.add_column(
        "claims",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(VECTOR.format(row=""), persisted=True),
            nullable=True,
        ),
    )
    op.create_index("ix_claims_search", "claims", ["search_vector"], postgresql_using="gin")
