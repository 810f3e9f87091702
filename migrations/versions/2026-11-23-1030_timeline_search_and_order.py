"""timeline: search text and vector on claims, the timeline's order, trigram names

Revision ID: 7c1e5a9b3f20
Revises: e4b01d64ac69
Create Date: 2026-11-23 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.extract.search_text import search_text

revision: str = "7c1e5a9b3f20"
down_revision: str | None = "e4b01d64ac69"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VECTOR = (
    "to_tsvector('arabic'::regconfig, search_text) || to_tsvector('english'::regconfig, summary_en)"
)


def upgrade() -> None:
    op.add_column("claims", sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "claims",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(VECTOR, persisted=True),
            nullable=True,
        ),
    )
    _fill_search_text()
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index(
        "ix_claims_timeline",
        "claims",
        [sa.text("coalesce(stated_on, '-infinity'::date) DESC"), sa.text("id DESC")],
    )
    op.create_index(
        "ix_claims_speaker_timeline",
        "claims",
        ["speaker_id", sa.text("coalesce(stated_on, '-infinity'::date) DESC"), sa.text("id DESC")],
    )
    op.create_index("ix_claims_bases", "claims", ["bases"], postgresql_using="gin")
    op.create_index("ix_claims_search", "claims", ["search_vector"], postgresql_using="gin")
    op.create_index(
        "ix_actor_aliases_key_trgm",
        "actor_aliases",
        ["key"],
        postgresql_using="gin",
        postgresql_ops={"key": "gin_trgm_ops"},
    )


def _fill_search_text() -> None:
    """Existing claims get the search text the loader now writes (the same Python function)."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT c.id, c.quote, a.title FROM claims c JOIN articles a ON a.id = c.article_id"
        )
    ).all()
    if rows:
        conn.execute(
            sa.text("UPDATE claims SET search_text = :text WHERE id = :id"),
            [{"id": row.id, "text": search_text(row.quote, row.title)} for row in rows],
        )


def downgrade() -> None:
    op.drop_index("ix_actor_aliases_key_trgm", table_name="actor_aliases")
    op.drop_index("ix_claims_search", table_name="claims")
    op.drop_index("ix_claims_bases", table_name="claims")
    op.drop_index("ix_claims_speaker_timeline", table_name="claims")
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.create_index("ix_claims_timeline", "claims", ["stated_on", "id"])
    op.drop_column("claims", "search_vector")
    op.drop_column("claims", "search_text")
