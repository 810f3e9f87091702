"""the language filter reads the claims' own language, with an index for a rare language

The filter looked a language's articles up (ix_articles_by_language) and each claim's article
in that set: for Arabic, a hash of 160,000 article ids built for every count under the filter
(a week's first facet counts: p50 13 ms, and 20–23 ms under Arabic), and for English a probe of the articles' index per
claim walked. The claims carry their article's language now (kept by triggers). A language
with few claims is found by ix_claims_language, where a walk of the timeline would read every
claim to find none (Russian on a million claims: 120 ms); and the review queue's index carries
the language, so that counting the claims left under it reads no table.

Revision ID: 9a4d2f6c8e13
Revises: 7c3e9b1a5d28
Create Date: 2026-12-04 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a4d2f6c8e13"
down_revision: str | None = "7c3e9b1a5d28"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW_FILTERED = ["speaker_id", "stance", "extractor", "article_id", "bases"]


def _review_queue(include: list[str]) -> None:
    op.drop_index("ix_claims_review_queue", table_name="claims")
    op.create_index(
        "ix_claims_review_queue",
        "claims",
        ["created_at", "id"],
        postgresql_include=include,
        postgresql_where=sa.text("status = 'extracted'"),
    )


def upgrade() -> None:
    op.create_index("ix_claims_language", "claims", ["language"])
    op.drop_index("ix_articles_by_language", table_name="articles")
    _review_queue([*REVIEW_FILTERED, "language"])


def downgrade() -> None:
    _review_queue(REVIEW_FILTERED)
    op.create_index("ix_articles_by_language", "articles", ["language", "id"])
    op.drop_index("ix_claims_language", table_name="claims")
