"""a claim's search vector keeps its words, not where they stand

Search matches words (`@@` with & and |, and prefixes); nothing ranks by proximity or asks for
a phrase, so the positions stored with every lexeme were never read. They were 30% of the vector
and of its COPY text, the widest column of a claim (480 bytes of 1,250 on the benchmark's
archive, 337 stripped), and PostgreSQL parsed and sorted them on every write. The trigger now
stores `strip(...)` and the stored vectors are stripped once; what every search finds is
unchanged.

The rewrite writes each claim's vector alone: the span check and the vector trigger are off
during it, and the search index is built again after it rather than updated row by row.

Revision ID: 2d7f5a9c1e64
Revises: 6e1b9d3f7a52
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2d7f5a9c1e64"
down_revision: str | None = "6e1b9d3f7a52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VECTOR = (
    "to_tsvector('arabic'::regconfig, NEW.search_text)"
    " || to_tsvector('english'::regconfig, NEW.summary_en)"
)
FUNCTION = """
CREATE OR REPLACE FUNCTION claim_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {vector};
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.execute(FUNCTION.format(vector=f"strip({VECTOR})"))
    # Checks deferred by an earlier migration of the same run are made now: a table with
    # events pending cannot be altered.
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    op.drop_index("ix_claims_search", table_name="claims")
    op.execute("ALTER TABLE claims DISABLE TRIGGER claims_search_vector")
    op.execute("ALTER TABLE claims DISABLE TRIGGER claims_span_matches")
    op.execute("UPDATE claims SET search_vector = strip(search_vector)")
    op.execute("ALTER TABLE claims ENABLE TRIGGER claims_span_matches")
    op.execute("ALTER TABLE claims ENABLE TRIGGER claims_search_vector")
    op.create_index("ix_claims_search", "claims", ["search_vector"], postgresql_using="gin")


def downgrade() -> None:
    op.execute(FUNCTION.format(vector=VECTOR))
    # The vector trigger computes the positions again from the texts.
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    op.execute("ALTER TABLE claims DISABLE TRIGGER claims_span_matches")
    op.execute("UPDATE claims SET search_text = search_text")
    op.execute("ALTER TABLE claims ENABLE TRIGGER claims_span_matches")
