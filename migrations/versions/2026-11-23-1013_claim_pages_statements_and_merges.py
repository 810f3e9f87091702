"""claim pages: statements several articles report, and merged claims

Revision ID: d09311558cef
Revises: 690e478e5076
Create Date: 2026-11-23 10:13:31.653125
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d09311558cef"
down_revision: str | None = "690e478e5076"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
    )
    op.create_table(
        "statement_members",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_statement_members_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_statement_members_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_members_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_statement_members")),
    )
    op.create_index(
        op.f("ix_statement_members_statement_id"),
        "statement_members",
        ["statement_id"],
        unique=False,
    )
    op.add_column("claims", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_claims_merged_into_id_claims"), "claims", "claims", ["merged_into_id"], ["id"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_claims_merged_into_id_claims"), "claims", type_="foreignkey")
    op.drop_column("claims", "merged_into_id")
    op.drop_index(op.f("ix_statement_members_statement_id"), table_name="statement_members")
    op.drop_table("statement_members")
    op.drop_table("statements")
