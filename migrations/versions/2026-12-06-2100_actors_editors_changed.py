"""actors remember that an editor changed them, so that a registry file loaded later leaves them
as they are

`make run` and docker compose load seeds/actors.json at every start. The registry upserted every
actor it lists, so an editor's correction of a name, role, side or alias was undone at the next
start.

Revision ID: 8d2f4b6a1c37
Revises: 3f7a1c9e5b20
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d2f4b6a1c37"
down_revision: str | None = "3f7a1c9e5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "actors", sa.Column("edited", sa.Boolean(), server_default="false", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("actors", "edited")
