"""each claim carries its tags' ids, kept by triggers: the tag facet by column

The tag facet grouped a selection's claims by the set of their tags, each looked up in
pk_claim_tags: over a week of 2024 (about 3,000 claims), that many index descents took more
than half of the facet counts' time (28 ms with the tags, 11 ms without, on a 2-core machine).
With the ids on the claim, and in the timeline index, the facet is one more grouping set of an
index-only scan, as the language is. The triggers keep the copy true whatever writes the tags:
an editor's form, the loader, a restore, or SQL by hand.

Revision ID: 5d0c2e7b9f41
Revises: 88a3033aa364
Create Date: 2026-12-07 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d0c2e7b9f41"
down_revision: str | None = "88a3033aa364"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = [sa.text("coalesce(stated_on, '-infinity'::date) DESC"), sa.text("id DESC")]
COUNTED = [
    "stated_on", "status", "merged_into_id", "stance", "speaker_affiliation", "speaker_id",
    "article_id", "bases", "via", "language", "stated_on_precision",
]  # fmt: skip
# One function for every change, by statement: a claim's rows come and go together (a form's
# new tags, the loader's batch), and its copy is written once for them all.
TRIGGERS = """
CREATE FUNCTION claim_tags_to_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims SET tag_ids = ARRAY(
        SELECT tag_id FROM claim_tags WHERE claim_id = claims.id ORDER BY tag_id
    ) WHERE id IN (SELECT claim_id FROM changed);
    RETURN NULL;
END $$;
CREATE TRIGGER claim_tags_added AFTER INSERT ON claim_tags REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tags_to_claims();
CREATE TRIGGER claim_tags_removed AFTER DELETE ON claim_tags REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tags_to_claims();
CREATE TRIGGER claim_tags_moved_from AFTER UPDATE ON claim_tags REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tags_to_claims();
CREATE TRIGGER claim_tags_moved_to AFTER UPDATE ON claim_tags REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tags_to_claims();
"""
TRIGGER_NAMES = (
    "claim_tags_added",
    "claim_tags_removed",
    "claim_tags_moved_from",
    "claim_tags_moved_to",
)


def upgrade() -> None:
    # Checks deferred by an earlier migration of the same run are made now: a table with
    # events pending cannot be altered.
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    op.add_column(
        "claims",
        sa.Column("tag_ids", sa.ARRAY(sa.Integer()), server_default="{}", nullable=False),
    )
    # The backfill writes the ids alone: the vector and the span need not be worked out again
    # for every claim (on a million claims, minutes).
    op.execute("ALTER TABLE claims DISABLE TRIGGER claims_search_vector")
    op.execute("ALTER TABLE claims DISABLE TRIGGER claims_span_matches")
    op.execute(
        "UPDATE claims SET tag_ids = tagged.ids FROM"
        " (SELECT claim_id, array_agg(tag_id ORDER BY tag_id) AS ids FROM claim_tags"
        "  GROUP BY claim_id) AS tagged"
        " WHERE tagged.claim_id = claims.id"
    )
    op.execute("ALTER TABLE claims ENABLE TRIGGER claims_span_matches")
    op.execute("ALTER TABLE claims ENABLE TRIGGER claims_search_vector")
    op.execute(TRIGGERS)
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index("ix_claims_timeline", "claims", KEYS, postgresql_include=[*COUNTED, "tag_ids"])


def downgrade() -> None:
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index("ix_claims_timeline", "claims", KEYS, postgresql_include=COUNTED)
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER {name} ON claim_tags")
    op.execute("DROP FUNCTION claim_tags_to_claims()")
    op.drop_column("claims", "tag_ids")
