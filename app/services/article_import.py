"""An article an editor pastes or uploads: its text (the main text of a saved HTML page, found by
trafilatura), the extractor's proposals, loaded like any annotated file so that the proposals
wait in the review queue with status `extracted`."""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from textwrap import shorten
from typing import Any

import trafilatura
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid
from app.extract.lexicon import Lexicon
from app.extract.pipeline import extract_document
from app.ingest.export import export_registry
from app.ingest.load import ArticleLoader
from app.ingest.names import slugify
from app.ingest.schema import (
    ARTICLE_FORMAT,
    LANGUAGE_PATTERN,
    WEB_URL_PATTERN,
    ArticleDocument,
    date_problem,
)
from app.messages import N_
from app.models import Article
from app.models.vocab import ChangeSource, ClaimStatus
from app.services.corroboration import match_articles

Proposer = Callable[[dict[str, Any]], list[dict[str, Any]]]
"""The `article` part of an annotated file → the claims the extractor proposes for it."""

HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta)", re.IGNORECASE)


def extractor_for(session: Session) -> Proposer:
    """The extractor, knowing every actor in the archive by name, alias and title."""
    lexicon = Lexicon.from_registries(export_registry(session).model_dump(mode="json"))

    def propose(article: dict[str, Any]) -> list[dict[str, Any]]:
        return list(extract_document(article, lexicon=lexicon)["claims"])

    return propose


@dataclass(frozen=True)
class ImportForm:
    outlet: str
    language: str
    title: str = ""
    url: str = ""
    published_on: str = ""
    text: str = ""
    upload: bytes | None = None
    """A plain-text file or a saved web page."""

    @classmethod
    def from_form(cls, values: dict[str, str], upload: bytes | None = None) -> "ImportForm":
        fields = ("outlet", "language", "title", "url", "published_on", "text")
        return cls(**{f: values.get(f, "").strip() for f in fields}, upload=upload)


@dataclass(frozen=True)
class Imported:
    key: str
    outlet: str
    proposed: int


TITLE_CHARS = 150
"""An untitled article is titled by its first line, cut at a word: citations quote the title."""


def import_article(
    session: Session, form: ImportForm, *, propose: Proposer | None = None
) -> Imported:
    problems, body = _form_problems(form), None
    try:
        body = _body(form)
    except FieldsInvalid as invalid:  # reported with the form's other problems, all at once
        problems |= invalid.errors
    if problems or body is None:
        raise FieldsInvalid(problems)
    article = _article(form, *body)
    if session.scalar(select(Article.id).where(Article.key == article["key"])) is not None:
        raise FieldsInvalid(
            {"text": N_("this article is in the archive already (%(key)s)", key=article["key"])}
        )
    propose = propose or extractor_for(session)
    claims = [claim | {"status": ClaimStatus.EXTRACTED.value} for claim in propose(dict(article))]
    try:
        doc = ArticleDocument.model_validate(
            {"format": ARTICLE_FORMAT, "article": article, "claims": claims}
        )
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise FieldsInvalid(
            {"text": N_("could not be stored: %(problem)s", problem=problem)}
        ) from None
    ArticleLoader(source=ChangeSource.EXTRACTOR).load(session, doc)
    match_articles(session, [article["key"]])  # other outlets' reports, as the loader groups them
    return Imported(article["key"], article["outlet"], len(claims))


def _body(form: ImportForm) -> tuple[str, str]:
    """The article's plain text, and the title a web page gives (or "")."""
    if form.upload:
        if HTML_START.match(form.upload[:1000]):
            html = form.upload.decode("utf-8", errors="replace")
            text = trafilatura.extract(html, include_comments=False, include_tables=False)
            if not text:
                raise FieldsInvalid({"upload": N_("no article text found in this web page")})
            metadata = trafilatura.extract_metadata(html)
            return text, (metadata.title or "") if metadata else ""
        try:
            return form.upload.decode("utf-8"), ""
        except UnicodeDecodeError:
            raise FieldsInvalid({"upload": N_("not a UTF-8 text file or a web page")}) from None
    if not form.text:
        raise FieldsInvalid({"text": N_("paste the article's text, or upload a file")})
    return form.text, ""


def _form_problems(form: ImportForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.outlet:
        errors["outlet"] = N_("name the outlet that published it")
    if not re.match(LANGUAGE_PATTERN, form.language):
        errors["language"] = N_("a two-letter code: ar, en, ru…")
    if form.url and not re.match(WEB_URL_PATTERN, form.url):
        errors["url"] = N_("a web address starting with http:// or https://")
    if form.published_on:
        try:
            problem = date_problem(date.fromisoformat(form.published_on))
        except ValueError:
            problem = N_("write the date as 2025-02-12")
        if problem:
            errors["published_on"] = problem
    return errors


def _article(form: ImportForm, text: str, found_title: str) -> dict[str, Any]:
    """The article as the loader reads it, from a form `_form_problems` found nothing wrong in."""
    published = date.fromisoformat(form.published_on) if form.published_on else None
    text = text.replace("\r\n", "\n").strip()
    title = (
        form.title or found_title or shorten(text.split("\n", 1)[0], TITLE_CHARS, placeholder=" …")
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    key = "-".join(
        part for part in (slugify(form.outlet), published and published.isoformat(), digest) if part
    )
    return {
        "key": key,
        "url": form.url or None,
        "outlet": form.outlet,
        "title": title,
        "language": form.language,
        "published_on": published.isoformat() if published else None,
        "text": text,
    }
