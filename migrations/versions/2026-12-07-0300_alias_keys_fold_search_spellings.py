"""a speaker's names are keyed by every spelling search takes as one

The speaker type-ahead and the speaker filter match what is typed against the aliases' keys,
which folded fewer spellings than search does: a hamza on its other seat (مسئول for مسؤول),
letters a Persian keyboard types (ی, ک), a final hamza written after ى (شيء). `name_key` now
folds what search folds, and each alias's key is written again; two names of one actor that
are now one key keep one row (a name before a title, then the older).

Revision ID: 213f21a84e83
Revises: 2d7f5a9c1e64
Create Date: 2026-12-07 03:00:00
"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from app.extract.normalize import normalize
from app.ingest.names import name_key

revision: str = "213f21a84e83"
down_revision: str | None = "2d7f5a9c1e64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ALIASES = sa.text("SELECT id, actor_id, name, key FROM actor_aliases ORDER BY is_title, id")
_SPACES = re.compile(r"\s+")


def _rekey(key_of: Callable[[str], str]) -> None:
    conn = op.get_bind()
    seen: set[tuple[int, str]] = set()
    stale: list[int] = []
    changed: list[dict[str, object]] = []
    for alias in conn.execute(_ALIASES):
        key = key_of(alias.name)
        if (alias.actor_id, key) in seen:
            stale.append(alias.id)
            continue
        seen.add((alias.actor_id, key))
        if key != alias.key:
            changed.append({"id": alias.id, "key": key})
    if stale:
        conn.execute(sa.text("DELETE FROM actor_aliases WHERE id = ANY(:ids)"), {"ids": stale})
    if changed:
        conn.execute(sa.text("UPDATE actor_aliases SET key = :key WHERE id = :id"), changed)


def upgrade() -> None:
    _rekey(name_key)


def downgrade() -> None:
    """The keys as the earlier `name_key` made them (a name folded into another stays gone)."""
    _rekey(lambda name: _SPACES.sub(" ", normalize(name)).strip().casefold())
