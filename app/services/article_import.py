"""An article an editor pastes or uploads: its text (the main text of a saved HTML page, found by
trafilatura), its outlet, title, date and language (as the editor gives them, else as the page or
the text says, as `basewatch extract` finds them), and the extractor's proposals, loaded like any
annotated file so that the proposals wait in the review queue with status `extracted`."""

import codecs
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from textwrap import shorten
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from trafilatura.utils import decode_file

from app.errors import FieldsInvalid
from app.extract.dates import find_publication_date
from app.extract.headline import first_line, text_headline
from app.extract.htmltext import is_saved_page, page_from_html
from app.extract.language import detect_language
from app.extract.lexicon import Lexicon
from app.extract.pipeline import extract_document
from app.extract.rawtext import has_words, storable, unix_lines
from app.ingest.export import export_registry
from app.ingest.load import ArticleLoader
from app.ingest.names import slugify
from app.ingest.schema import (
    ARTICLE_FORMAT,
    LANGUAGE_PATTERN,
    PATTERN_WORDS,
    WEB_URL_PATTERN,
    ArticleDocument,
    date_problem,
    takes_web_url,
)
from app.messages import N_
from app.models import Article
from app.models.vocab import ChangeSource, ClaimStatus, Precision
from app.services.claim_edits import typed_date
from app.services.corroboration import match_articles

Proposer = Callable[[dict[str, Any]], list[dict[str, Any]]]
"""The `article` part of an annotated file → the claims the extractor proposes for it."""


def extractor_for(session: Session) -> Proposer:
    """The extractor, knowing every actor in the archive by name, alias and title."""
    lexicon = Lexicon.from_registries(export_registry(session).model_dump(mode="json"))

    def propose(article: dict[str, Any]) -> list[dict[str, Any]]:
        return list(extract_document(article, lexicon=lexicon)["claims"])

    return propose


NAMES = ("outlet", "title")
"""The form's fields that name the article: one of invisible characters only (a direction mark
left over from a copy) names nothing, and is taken from the page or the text, or asked for, as
if left empty."""


@dataclass(frozen=True)
class ImportForm:
    """What the editor typed. Outlet, language, title, date and link may be left empty: they are
    then taken from the page or the text, and asked for only when it does not say."""

    outlet: str = ""
    language: str = ""
    title: str = ""
    url: str = ""
    published_on: str = ""
    text: str = ""
    upload: bytes | None = None
    """A plain-text file or a saved web page."""
    upload_name: str = ""
    """The uploaded file's name: one ending .html or .htm is a saved web page (`is_saved_page`)."""

    @classmethod
    def from_form(
        cls, values: dict[str, str], upload: bytes | None = None, upload_name: str = ""
    ) -> "ImportForm":
        fields = ("outlet", "language", "title", "url", "published_on", "text")
        values = {f: values.get(f, "").strip() for f in fields}
        values |= {f: "" for f in NAMES if not has_words(values[f])}
        return cls(**values, upload=upload, upload_name=upload_name)


@dataclass(frozen=True)
class Found:
    """The article's text, and what the page or the text says of itself (None: it does not)."""

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Imported:
    key: str
    proposed: int


TITLE_CHARS = 150
"""An untitled article is titled by its first line, cut at a word: citations quote the title."""


def _first_line(text: str) -> str:
    """The first line that is words of the article, not a page's furniture (`news-details`)."""
    return shorten(first_line(text) or text, TITLE_CHARS, placeholder=" …")


def import_article(
    session: Session, form: ImportForm, *, propose: Proposer | None = None
) -> Imported:
    found: Found | None = None
    problems: dict[str, str] = {}
    try:
        found = _found(form)
    except FieldsInvalid as invalid:  # reported with the form's other problems, all at once
        problems = invalid.errors
    problems = _form_problems(form, found) | problems
    if problems or found is None:
        raise FieldsInvalid(problems)
    article = _article(form, found)
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
    return Imported(article["key"], len(claims))


def _found(form: ImportForm) -> Found:
    """The article's text with what it says of itself, as `basewatch extract` reads a file. A
    byte-order mark is no part of either (a page saved by a Windows editor starts with one)."""
    upload = form.upload.removeprefix(codecs.BOM_UTF8) if form.upload else None
    if upload and is_saved_page(form.upload_name, upload):
        # A saved page declares its own encoding (Arabic sites still save windows-1256).
        page = page_from_html(decode_file(upload))
        if not has_words(page.text):
            raise FieldsInvalid({"upload": N_("no article text found in this web page")})
        url = page.url if page.url and takes_web_url(page.url) else None
        return Found(page.text, page.title, page.outlet, url, _usable(page.published))
    if upload:
        try:
            text = upload.decode("utf-8")
        except UnicodeDecodeError:
            raise FieldsInvalid({"upload": N_("not a UTF-8 text file or a web page")}) from None
    else:
        text = form.text
    text = storable(text)
    if not has_words(text):
        raise FieldsInvalid({"text": N_("paste the article's text, or upload a file")})
    return Found(text, text_headline(text), published=_usable(find_publication_date(text)))


def _usable(published: date | None) -> date | None:
    """A date the page gives for itself, unless the archive could not take it (in the future)."""
    return published if published and not date_problem(published) else None


def _form_problems(form: ImportForm, found: Found | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.outlet and not (found and found.outlet):
        errors["outlet"] = N_("name the outlet that published it")
    if form.language and not re.match(LANGUAGE_PATTERN, form.language):
        errors["language"] = PATTERN_WORDS[LANGUAGE_PATTERN]
    if form.url and not takes_web_url(form.url):
        errors["url"] = PATTERN_WORDS[WEB_URL_PATTERN]
    if form.published_on:
        try:
            typed_date(form.published_on, Precision.DAY)
        except ValueError as error:
            errors["published_on"] = error.args[0]  # the Message itself, to be translated
    return errors


def _article(form: ImportForm, found: Found) -> dict[str, Any]:
    """The article as the loader reads it: what the form says, else what the page or text says.
    From a form `_form_problems` found nothing wrong in."""
    published = date.fromisoformat(form.published_on) if form.published_on else found.published
    text = unix_lines(found.text).strip()
    outlet = form.outlet or found.outlet or ""
    title = form.title or found.title or _first_line(text)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    key = "-".join(
        part for part in (slugify(outlet), published and published.isoformat(), digest) if part
    )
    return {
        "key": key,
        "url": form.url or found.url,
        "outlet": outlet,
        "title": title,
        "language": form.language or detect_language(text),
        "published_on": published.isoformat() if published else None,
        "text": text,
    }
