"""initial schema

Revision ID: 690e478e5076
Revises:
Create Date: 2026-11-23 09:38:06.753094
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "690e478e5076"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A claim's span must slice its article's text to exactly its quote. Checked at commit time
# (deferred), so the loader can change an article's text and its claims in one transaction.
SPAN_CHECK = """
CREATE FUNCTION claim_span_matches() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE body text;
BEGIN
    SELECT a.text INTO body FROM articles a WHERE a.id = NEW.article_id;
    IF NEW.span_end > char_length(body)
       OR substr(body, NEW.span_start + 1, NEW.span_end - NEW.span_start) <> NEW.quote THEN
        RAISE EXCEPTION 'claim %: span [%, %) does not slice article % to its quote',
            NEW.id, NEW.span_start, NEW.span_end, NEW.article_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER claims_span_matches AFTER INSERT OR UPDATE ON claims
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION claim_span_matches();

CREATE FUNCTION article_spans_match() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad integer;
BEGIN
    SELECT c.id INTO bad FROM claims c
     WHERE c.article_id = NEW.id
       AND (c.span_end > char_length(NEW.text)
            OR substr(NEW.text, c.span_start + 1, c.span_end - c.span_start) <> c.quote)
     LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'article %: new text no longer holds the quote of claim %', NEW.key, bad
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER articles_spans_match AFTER UPDATE OF text ON articles
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION article_spans_match();
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ru", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.String(length=8), nullable=True),
        sa.Column("needs_review", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('person', 'institution', 'media', 'anonymous')",
            name=op.f("ck_actors_kind_known"),
        ),
        sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_actors_slug_format")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
        sa.UniqueConstraint("slug", name=op.f("uq_actors_slug")),
    )
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outlets")),
        sa.UniqueConstraint("name", name=op.f("uq_outlets_name")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('editor', 'admin')", name=op.f("ck_users_role_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "actor_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("is_title", sa.Boolean(), server_default="false", nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_aliases_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_aliases")),
        sa.UniqueConstraint("actor_id", "key", name=op.f("uq_actor_aliases_actor_id")),
    )
    op.create_index(op.f("ix_actor_aliases_key"), "actor_aliases", ["key"], unique=False)
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "key ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'", name=op.f("ck_articles_key_is_slug")
        ),
        sa.CheckConstraint("language ~ '^[a-z]{2}$'", name=op.f("ck_articles_language_iso639_1")),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name=op.f("fk_articles_outlet_id_outlets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("key", name=op.f("uq_articles_key")),
    )
    op.create_index(op.f("ix_articles_outlet_id"), "articles", ["outlet_id"], unique=False)
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("speaker_name", sa.Text(), nullable=False),
        sa.Column("speaker_role", sa.Text(), nullable=True),
        sa.Column("speaker_affiliation", sa.String(length=8), nullable=True),
        sa.Column("via", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.Column("stated_on", sa.Date(), nullable=True),
        sa.Column("stated_on_precision", sa.String(length=10), nullable=False),
        sa.Column("bases", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("summary_en", sa.Text(), server_default="", nullable=False),
        sa.Column("summary_machine", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("extractor", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(stated_on IS NULL) = (stated_on_precision = 'unknown') AND (stated_on_precision NOT IN ('month', 'year') OR extract(day FROM stated_on) = 1) AND (stated_on_precision <> 'year' OR extract(month FROM stated_on) = 1)",
            name=op.f("ck_claims_stated_on_matches_precision"),
        ),
        sa.CheckConstraint(
            "bases <@ ARRAY['hmeimim', 'tartus']::text[] AND array_position(bases, NULL) IS NULL",
            name=op.f("ck_claims_bases_known"),
        ),
        sa.CheckConstraint(
            "origin IN ('loader', 'extractor', 'editor')", name=op.f("ck_claims_origin_known")
        ),
        sa.CheckConstraint(
            "stance IN ('stay', 'leave', 'conditional', 'negotiating', 'review', 'unclear')",
            name=op.f("ck_claims_stance_known"),
        ),
        sa.CheckConstraint(
            "stated_on_precision IN ('day', 'month', 'year', 'unknown')",
            name=op.f("ck_claims_stated_on_precision_known"),
        ),
        sa.CheckConstraint(
            "status IN ('extracted', 'verified', 'rejected')", name=op.f("ck_claims_status_known")
        ),
        sa.CheckConstraint(
            "span_start >= 0 AND span_end > span_start", name=op.f("ck_claims_span_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_claims_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["actors.id"], name=op.f("fk_claims_speaker_id_actors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    op.create_index(op.f("ix_claims_article_id"), "claims", ["article_id"], unique=False)
    op.create_index(op.f("ix_claims_speaker_id"), "claims", ["speaker_id"], unique=False)
    op.create_index("ix_claims_timeline", "claims", ["stated_on", "id"], unique=False)
    op.create_table(
        "claim_tags",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_tags_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_claim_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", "tag_id", name=op.f("pk_claim_tags")),
    )
    op.create_index(op.f("ix_claim_tags_tag_id"), "claim_tags", ["tag_id"], unique=False)
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("old_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("new_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "source IN ('loader', 'extractor', 'editor')", name=op.f("ck_revisions_source_known")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_revisions_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_revisions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
    )
    op.create_index("ix_revisions_claim", "revisions", ["claim_id", "id"], unique=False)
    op.execute(SPAN_CHECK)


def downgrade() -> None:
    op.execute("DROP TRIGGER articles_spans_match ON articles")
    op.execute("DROP FUNCTION article_spans_match()")
    op.execute("DROP TRIGGER claims_span_matches ON claims")
    op.execute("DROP FUNCTION claim_span_matches()")
    op.drop_index("ix_revisions_claim", table_name="revisions")
    op.drop_table("revisions")
    op.drop_index(op.f("ix_claim_tags_tag_id"), table_name="claim_tags")
    op.drop_table("claim_tags")
    op.drop_index("ix_claims_timeline", table_name="claims")
    op.drop_index(op.f("ix_claims_speaker_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_article_id"), table_name="claims")
    op.drop_table("claims")
    op.drop_index(op.f("ix_articles_outlet_id"), table_name="articles")
    op.drop_table("articles")
    op.drop_index(op.f("ix_actor_aliases_key"), table_name="actor_aliases")
    op.drop_table("actor_aliases")
    op.drop_table("users")
    op.drop_table("tags")
    op.drop_table("outlets")
    op.drop_table("actors")
