"""An article's text cut into pieces that know their offsets, so that a selection in the browser
maps back to exact character offsets (editor.js reads `data-start`), with claims marked."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Article, Claim
from app.models.vocab import ClaimStatus


@dataclass(frozen=True)
class Piece:
    start: int
    text: str
    claims: tuple[int, ...]
    """The claims whose quote covers this piece."""


Paragraph = list[Piece]
Span = tuple[int, int, int]
"""(claim id, start, end)"""


def pieces(text: str, spans: list[Span], lo: int = 0, hi: int | None = None) -> list[Paragraph]:
    """text[lo:hi] as paragraphs (split at newlines, which are left out) of pieces."""
    hi = len(text) if hi is None else hi
    cuts = {lo, hi} | {i for i in range(lo, hi) if text[i] == "\n"}
    cuts |= {i + 1 for i in range(lo, hi) if text[i] == "\n"}
    cuts |= {edge for _, start, end in spans for edge in (start, end) if lo <= edge <= hi}
    edges = sorted(cuts)
    paragraphs: list[Paragraph] = [[]]
    for start, end in zip(edges, edges[1:], strict=False):
        chunk = text[start:end]
        if chunk == "\n":
            paragraphs.append([])
            continue
        covering = tuple(cid for cid, s, e in spans if s <= start and end <= e)
        paragraphs[-1].append(Piece(start, chunk, covering))
    return [p for p in paragraphs if p]


def paragraph_of(claim: Claim) -> list[Paragraph]:
    """The paragraph(s) holding the claim's quote, the quote marked; needs `article` loaded."""
    text = claim.article.text
    lo = text.rfind("\n", 0, claim.span_start) + 1
    hi = text.find("\n", claim.span_end)
    return pieces(
        text, [(claim.id, claim.span_start, claim.span_end)], lo, len(text) if hi < 0 else hi
    )


def whole_text_of(session: Session, article: Article) -> list[Paragraph]:
    """The whole article with every claim that is not rejected marked."""
    spans = session.execute(
        select(Claim.id, Claim.span_start, Claim.span_end).where(
            Claim.article_id == article.id, Claim.status != ClaimStatus.REJECTED
        )
    ).all()
    return pieces(article.text, [(cid, s, e) for cid, s, e in spans])
