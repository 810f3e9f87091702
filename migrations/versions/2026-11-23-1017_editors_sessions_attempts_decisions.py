"""editors: sign-in sessions and attempts, review decisions, actor redirects

Revision ID: e4b01d64ac69
Revises: d09311558cef
Create Date: 2026-11-23 10:17:51.899206
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4b01d64ac69"
down_revision: str | None = "d09311558cef"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(
        "ix_login_attempts_address_at", "login_attempts", ["address", "at"], unique=False
    )
    op.create_index(
        "ix_login_attempts_username_at", "login_attempts", ["username", "at"], unique=False
    )
    op.create_table(
        "actor_redirects",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_redirects_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_actor_redirects")),
    )
    op.create_index(
        op.f("ix_actor_redirects_actor_id"), "actor_redirects", ["actor_id"], unique=False
    )
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
    )
    op.create_index(
        op.f("ix_login_sessions_expires_at"), "login_sessions", ["expires_at"], unique=False
    )
    op.create_index(op.f("ix_login_sessions_user_id"), "login_sessions", ["user_id"], unique=False)
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("fields", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("extractor", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(decision = 'rejected') = (reason IS NOT NULL) AND (reason IS NULL OR reason IN ('not_about_bases', 'not_a_statement', 'wrong_speaker', 'duplicate', 'other'))",
            name=op.f("ck_review_decisions_reason_for_rejections"),
        ),
        sa.CheckConstraint(
            "decision IN ('approved', 'corrected', 'rejected')",
            name=op.f("ck_review_decisions_decision_known"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_review_decisions_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_decisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
    )
    op.create_index(
        "ix_review_decisions_claim", "review_decisions", ["claim_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_review_decisions_claim", table_name="review_decisions")
    op.drop_table("review_decisions")
    op.drop_index(op.f("ix_login_sessions_user_id"), table_name="login_sessions")
    op.drop_index(op.f("ix_login_sessions_expires_at"), table_name="login_sessions")
    op.drop_table("login_sessions")
    op.drop_index(op.f("ix_actor_redirects_actor_id"), table_name="actor_redirects")
    op.drop_table("actor_redirects")
    op.drop_index("ix_login_attempts_username_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_address_at", table_name="login_attempts")
    op.drop_table("login_attempts")
