"""A claim's revision history, oldest first, with who made each change."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Revision


def claim_revisions(session: Session, claim_id: int) -> list[Revision]:
    return list(
        session.scalars(
            select(Revision)
            .where(Revision.claim_id == claim_id)
            .options(selectinload(Revision.user))
            .order_by(Revision.id)
        )
    )
