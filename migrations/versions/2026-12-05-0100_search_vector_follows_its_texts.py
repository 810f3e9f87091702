"""the search vector is computed again only when a text it is made of is written

The trigger recomputed `to_tsvector` on every UPDATE of a claim, whatever it changed: an
editor's stance or status, a review decision, an article's corrected language copied to each of
its claims. It now fires on an UPDATE that writes `search_text` or `summary_en`, the texts the
vector is made of, or the vector itself (so that nothing can store one of its own). Inserts
still always get it.

Revision ID: 5b8e2d7c4a16
Revises: 9a4d2f6c8e13
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b8e2d7c4a16"
down_revision: str | None = "9a4d2f6c8e13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER = """
DROP TRIGGER claims_search_vector ON claims;
CREATE TRIGGER claims_search_vector BEFORE INSERT OR UPDATE {columns}ON claims
    FOR EACH ROW EXECUTE FUNCTION claim_search_vector();
"""


def upgrade() -> None:
    op.execute(TRIGGER.format(columns="OF search_text, summary_en, search_vector "))


def downgrade() -> None:
    op.execute(TRIGGER.format(columns=""))
