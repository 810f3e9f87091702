"""An article's page: the article with its outlet, and the claims to mark in its text."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Article, Claim
from app.models.vocab import ClaimStatus


@dataclass(frozen=True)
class ArticleView:
    article: Article
    claims: list[Claim]
    """In the order they appear in the text; `speaker` loaded (for links)."""


def article_view(session: Session, key: str, *, editor: bool) -> ArticleView | None:
    """Visitors see the verified claims marked; editors every claim that is not rejected."""
    article = session.scalars(
        select(Article).where(Article.key == key).options(selectinload(Article.outlet))
    ).one_or_none()
    if article is None:
        return None
    shown = Claim.status != ClaimStatus.REJECTED if editor else Claim.status == ClaimStatus.VERIFIED
    claims = session.scalars(
        select(Claim)
        .where(Claim.article_id == article.id, shown)
        .options(selectinload(Claim.speaker))
        .order_by(Claim.span_start, Claim.span_end, Claim.id)
    ).all()
    return ArticleView(article, list(claims))
