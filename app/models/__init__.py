"""Every model, imported here so that Alembic sees the whole schema."""

from app.models.actor import Actor, ActorAlias
from app.models.article import Article, Outlet
from app.models.claim import Claim, Tag, claim_tags
from app.models.editor import ActorRedirect, LoginAttempt, LoginSession, ReviewDecision
from app.models.revision import Revision
from app.models.statement import Statement, StatementMember
from app.models.user import User

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorRedirect",
    "Article",
    "Claim",
    "LoginAttempt",
    "LoginSession",
    "Outlet",
    "ReviewDecision",
    "Revision",
    "Statement",
    "StatementMember",
    "Tag",
    "User",
    "claim_tags",
]
