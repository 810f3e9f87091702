"""Importing a saved web page or a text the editor cannot see: what is read as a page, and what is
refused as no article at all."""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Article, Outlet
from tests.editors import sign_in
from tests.factories import TEXT

PAGE = (
    "<html><head><title>بيسكوف: القوات باقية</title></head><body><article><h1>بيسكوف: القوات باقية</h1><p>"
    + TEXT
    + "</p></article></body></html>"
)

MENUS_ONLY = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>عنب بلدي</title></head><body>
<header><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/news">أخبار</a></li>
<li><a href="/about">من نحن</a></li></ul></nav></header>
<div class="sidebar"><h3>الأكثر قراءة</h3><ul>
<li><a href="/a">مقال أول عن الاقتصاد السوري</a></li>
<li><a href="/b">مقال ثان عن السياسة في دمشق</a></li>
<li><a href="/c">مقال ثالث عن الوضع في الساحل</a></li></ul></div>
<footer><p>جميع الحقوق محفوظة © 2025</p></footer></body></html>
"""
"""A section's front page saved by mistake: menus, a "most read" list and a footer."""


def _import(client: TestClient, session: Session, name: str, page: bytes) -> Response:
    _, csrf = sign_in(client, session)
    return client.post(
        "/import",
        data={"csrf_token": csrf, "outlet": "Test", "language": ""},
        files={"upload": (name, page)},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    "prefix",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        ' Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n',
        "<!-- saved from url=(0040)https://www.enabbaladi.net/archives/1 -->\n",
        "\ufeff\n<!-- page 1 -->\n<!-- page 1 of 1 -->\n",
    ],
    ids=["xhtml", "comment-first", "bom-and-comments"],
)
def test_a_saved_page_that_does_not_start_with_a_tag_is_read_as_a_page(
    client: TestClient, session: Session, prefix: str
) -> None:
    """An XHTML page starts with its XML declaration, a page a browser saved with a comment
    saying where from: read as plain text, the article was the page's source, tags and all, and
    its title the XML declaration."""
    response = _import(client, session, "page.html", (prefix + PAGE).encode())
    assert response.status_code == 303, response.text
    article = session.scalar(select(Article))
    assert article is not None and "<" not in article.text, article.text[:200]
    assert article.title == "بيسكوف: القوات باقية"


def test_an_upload_named_html_is_read_as_a_page_whatever_it_starts_with(
    client: TestClient, session: Session
) -> None:
    """As `basewatch extract` reads a file: a page whose first tag is its title (no <html>, no
    <head>) is still a page when its name says so."""
    page = ("<title>بيسكوف</title>" + PAGE).encode()
    assert _import(client, session, "PAGE.HTM", page).status_code == 303
    article = session.scalar(select(Article))
    assert article is not None and "<" not in article.text, article.text[:200]
    assert article.text.endswith(TEXT)


def test_a_page_of_menus_with_no_article_is_refused_beside_the_upload(
    client: TestClient, session: Session
) -> None:
    """trafilatura, finding no article, falls back to the menus and link lists: stored, they
    were the article's text, and its title the first menu item."""
    response = _import(client, session, "page.html", MENUS_ONLY.encode())
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    upload = page.select_one(".field:has(#import-upload) .field-error")
    assert upload is not None and upload.text == "no article text found in this web page"
    assert session.scalar(select(func.count()).select_from(Article)) == 0


@pytest.mark.parametrize(
    "invisible",
    ["\u200b\u200f\ufeff", " \u200e\u2060\u00ad \u200c\n"],
    ids=["zero-width-and-marks", "joiners-and-soft-hyphen"],
)
@pytest.mark.parametrize("given", ["pasted", "uploaded"])
def test_a_text_of_invisible_characters_only_is_no_text(
    client: TestClient, session: Session, invisible: str, given: str
) -> None:
    """Zero-width spaces, direction marks and joiners, left over from a copy, are no article:
    the editor sees an empty box, and an article and a title that show nothing were stored."""
    _, csrf = sign_in(client, session)
    data = {"csrf_token": csrf, "outlet": "Test", "language": "ar"}
    if given == "pasted":
        response = client.post("/import", data=data | {"text": invisible})
    else:
        upload = {"upload": ("article.txt", invisible.encode())}
        response = client.post("/import", data=data, files=upload)
    assert response.status_code == 422
    errors = BeautifulSoup(response.text, "html.parser").select(".field-error")
    assert "paste the article's text, or upload a file" in [e.text for e in errors]
    assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_an_outlet_of_invisible_characters_only_is_asked_for(
    client: TestClient, session: Session
) -> None:
    """A direction mark alone is no outlet: it was stored, and the article's key began with its
    date, naming no outlet at all."""
    _, csrf = sign_in(client, session)
    response = client.post(
        "/import",
        data={"csrf_token": csrf, "outlet": "\u200f\u200b", "language": "ar",
              "published_on": "2025-03-01", "text": TEXT},
    )  # fmt: skip
    assert response.status_code == 422
    outlet = BeautifulSoup(response.text, "html.parser").select_one(
        ".field:has(#import-outlet) .field-error"
    )
    assert outlet is not None and outlet.text == "name the outlet that published it"
    assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_title_of_invisible_characters_only_is_taken_from_the_text(
    client: TestClient, session: Session
) -> None:
    _, csrf = sign_in(client, session)
    response = client.post(
        "/import",
        data={"csrf_token": csrf, "outlet": "Test", "title": "\u200e \ufeff", "language": "ar",
              "published_on": "2025-03-01", "text": TEXT},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    article = session.scalar(select(Article))
    assert article is not None and article.title.startswith("قال الناطق باسم الكرملين")


def test_a_nul_in_the_outlet_or_title_is_taken_out_as_from_the_text(
    client: TestClient, session: Session
) -> None:
    """PostgreSQL cannot store a NUL: taken out of the text only, one in the title or outlet
    refused the import with the error page, and the pasted article was lost."""
    _, csrf = sign_in(client, session)
    response = client.post(
        "/import",
        data={"csrf_token": csrf, "outlet": "Test\x00", "title": "بيسكوف\x00: القوات باقية",
              "language": "ar", "published_on": "2025-03-01", "text": TEXT},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    article = session.scalar(select(Article))
    assert article is not None and article.title == "بيسكوف: القوات باقية"
    assert session.scalar(select(Outlet.name).where(Outlet.id == article.outlet_id)) == "Test"
