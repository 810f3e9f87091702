"""Analysts: an article's page, its text with each claim's quote marked in its stance's colour and
linked to the claim (editors can also select text to start a new claim there)."""

from functools import partial

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.messages import N_
from app.queries.articles import article_view
from app.web.article_text import pieces
from app.web.caching import served_by_archive_state
from app.web.deps import ReadSession
from app.web.templating import render
from app.web.timeline import is_editor

router = APIRouter()


@router.get("/articles/{key}", name="article")
async def article_page(request: Request, session: ReadSession, key: str) -> Response:
    editor = is_editor(request)
    build = partial(_article_page, request, session, key, editor)
    return await served_by_archive_state(request, build, editor=editor)


def _article_page(request: Request, session: Session, key: str, editor: bool) -> Response:
    view = article_view(session, key, editor=editor)
    if view is None:
        raise HTTPException(404, N_("No article has the key %(key)r.", key=key))
    spans = [(claim.id, claim.span_start, claim.span_end) for claim in view.claims]
    context = {
        "article": view.article,
        "claims": {claim.id: claim for claim in view.claims},
        "paragraphs": pieces(view.article.text, spans),
        "editor": editor,
    }
    return render(request, "articles/page.html", context)
