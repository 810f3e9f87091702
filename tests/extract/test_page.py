"""The headline, the site's name and the address of a saved page or a plain text, told apart from
page furniture (navigation, date lines, breadcrumbs, template names)."""

import pytest

from app.extract.headline import text_headline
from app.extract.htmltext import HTML_PREFIX, is_saved_page, looks_like_html, page_from_html
from app.extract.pipeline import RuleExtractor
from tests.extract.registry import LEXICON

BODY = (
    "<p>قال المتحدث باسم الكرملين دميتري بيسكوف، أمس، إن القوات الروسية باقية في قاعدة حميميم"
    " ولن تنسحب منها، وأضاف أن الحوار مع دمشق مستمر.</p>"
) * 2


def _page(head: str, body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><nav>الرئيسية | أخبار</nav><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("title", "headline", "site"),
    [
        ("الرئيسية | بيسكوف: القوات باقية في حميميم", "بيسكوف: القوات باقية في حميميم", None),
        ("أخبار الساحل - بيسكوف: القوات باقية في حميميم", "بيسكوف: القوات باقية في حميميم", "أخبار الساحل"),
        ("بيسكوف: القوات باقية في حميميم | أخبار الساحل", "بيسكوف: القوات باقية في حميميم", "أخبار الساحل"),
        ("Home | Peskov says troops will stay", "Peskov says troops will stay", None),
        ("World News Daily — Peskov says troops will stay", "Peskov says troops will stay", "World News Daily"),
    ],
)  # fmt: skip
def test_the_headline_is_not_navigation_or_the_site_name(
    title: str, headline: str, site: str | None
) -> None:
    page = page_from_html(_page(f"<title>{title}</title>"))
    assert (page.title, page.outlet) == (headline, site)


def test_the_site_named_by_og_site_name_or_json_ld_is_the_outlet() -> None:
    og = '<title>Home</title><meta property="og:site_name" content="أخبار الساحل">'
    assert page_from_html(_page(og)).outlet == "أخبار الساحل"
    json_ld = (
        '<title>الرئيسية</title><script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "بيسكوف: القوات باقية", "publisher": {"@type": "Organization",'
        ' "name": "شبكة الشام"}}</script>'
    )
    page = page_from_html(_page(json_ld))
    assert (page.title, page.outlet) == ("بيسكوف: القوات باقية", "شبكة الشام")


def test_the_site_name_in_the_title_beats_a_bare_host_name() -> None:
    head = (
        "<title>Home | World News Daily</title>"
        '<meta property="og:url" content="https://wnd.example/world/1">'
        '<meta property="og:title" content="Peskov says troops will stay">'
    )
    page = page_from_html(_page(head))
    assert (page.title, page.outlet) == ("Peskov says troops will stay", "World News Daily")


def test_a_logo_in_h1_is_not_the_headline_when_the_site_is_known() -> None:
    head = '<title>World News Daily - Home</title><meta property="og:site_name" content="World News Daily">'
    body = "<h1>World News Daily</h1><h2>Peskov says troops will stay</h2>" + BODY
    assert page_from_html(_page(head, body)).title != "World News Daily"


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        (
            "السبت, أبريل 19, 2025\nالرئيسيةاخبار عربية و دوليةروسيا تؤكد عزمها\n\n"
            "روسيا تؤكد عزمها تطوير العلاقات مع دمشق\n\nجددت موسكو تأكيد عزمها.",
            "روسيا تؤكد عزمها تطوير العلاقات مع دمشق",
        ),
        ("news-details\nHome > World > Syria\nRussia will stay in Syria, Kremlin says\nText.", "Russia will stay in Syria, Kremlin says"),
        ("Home Office says Russian bases in Syria are a concern\nText.", "Home Office says Russian bases in Syria are a concern"),
        ("تاريخ النشر: ١١ فبراير ٢٠٢٥\nقال بيسكوف إن القوات باقية في سوريا.", None),
        ("الثلاثاء 11 شباط\nنشر في: الأربعاء 2 نيسان\nلافروف: القاعدتان باقيتان في سوريا\nنص.", "لافروف: القاعدتان باقيتان في سوريا"),
    ],
)  # fmt: skip
def test_a_plain_text_headline_skips_date_lines_breadcrumbs_and_sentences(
    text: str, headline: str | None
) -> None:
    assert text_headline(text) == headline


@pytest.mark.parametrize(
    ("start", "html"),
    [
        ("<!DOCTYPE html><html><head>", True),
        ("\n  <HTML lang='ar'>", True),
        ("<head><title>بيسكوف</title>", True),
        ("<body><p>", True),
        ("<meta charset='windows-1256'>", True),
        ("<p>A fragment of a page</p>", False),
        ("قال بيسكوف إن <html> ليست هنا", False),
    ],
)
def test_a_saved_page_is_told_from_plain_text_by_its_start(start: str, html: bool) -> None:
    """One answer for `basewatch extract` (the file's text) and the import form (its bytes)."""
    assert looks_like_html(start) == looks_like_html(start.encode("utf-8")) == html


def test_only_the_start_of_an_upload_is_read_whatever_its_encoding() -> None:
    assert looks_like_html("<html><title>بيسكوف</title>".encode("cp1256"))
    assert not looks_like_html(b" " * HTML_PREFIX + b"<html>")


@pytest.mark.parametrize(
    ("start", "html"),
    [
        ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">', True),
        ("<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", True),
        ("<!-- saved from url=(0040)https://www.enabbaladi.net/archives/1 -->\n<html>", True),
        ("\ufeff<!-- a -->\n\n<!--\n b -->  <!DOCTYPE html>", True),
        ("<!-- a comment, then a fragment --><p>بيسكوف</p>", False),
        ("<!-- a comment that never ends <html>", False),
        ('<?xml version="1.0"?><rss version="2.0">', False),
    ],
)  # fmt: skip
def test_a_page_may_start_with_an_xml_declaration_or_comments(start: str, html: bool) -> None:
    """An XHTML page starts with its XML declaration, a page a browser saved often with a
    comment saying where it came from; a feed or a fragment is still no page."""
    assert looks_like_html(start) == looks_like_html(start.encode("utf-8")) == html


@pytest.mark.parametrize(
    ("name", "page"),
    [("page.html", True), ("PAGE.HTM", True), ("page.txt", False), ("html", False)],
)
def test_a_file_named_html_is_a_page_whatever_it_starts_with(name: str, page: bool) -> None:
    """One rule for `basewatch extract` and the import form: the name, else the start."""
    assert is_saved_page(name, "<title>بيسكوف</title><p>قال بيسكوف</p>") == page
    assert is_saved_page(name, b"<!DOCTYPE html><html>")


_MENU = (
    "<header><nav><ul><li><a href='/'>الرئيسية</a></li><li><a href='/news'>أخبار</a></li>"
    "<li><a href='/about'>من نحن</a></li><li><a href='/contact'>اتصل بنا</a></li></ul></nav></header>"
)
_MOST_READ = (
    "<div class='sidebar'><h3>الأكثر قراءة</h3><ul>"
    "<li><a href='/a'>مقال أول عن الاقتصاد السوري</a></li>"
    "<li><a href='/b'>مقال ثان عن السياسة في دمشق</a></li>"
    "<li><a href='/c'>مقال ثالث عن الوضع في الساحل</a></li></ul></div>"
)
_FOOTER = "<footer><p>جميع الحقوق محفوظة © 2025</p></footer>"
_LINKED = (
    "<p>وكان <a href='/x'>بيسكوف</a> قد قال في <a href='/y'>تصريح سابق</a> إن روسيا ستبقى في"
    " <a href='/z'>حميميم</a> ولن تغادر الساحل السوري.</p>"
)


@pytest.mark.parametrize(
    "body",
    [_MENU + _MOST_READ + _FOOTER, _MENU + _FOOTER, _MENU + _MOST_READ.replace(" class='sidebar'", "")],
    ids=["menus-and-most-read", "menu-only", "unnamed-most-read"],
)  # fmt: skip
def test_a_page_of_menus_has_no_article_text(body: str) -> None:
    """trafilatura, finding no article, falls back to the menus and link lists."""
    page = page_from_html(
        f"<!DOCTYPE html><html><head><title>عنب بلدي</title></head><body>{body}</body></html>"
    )
    assert page.text == ""


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        (_MENU + f"<article><h1>بيسكوف</h1>{BODY}{_LINKED}</article>" + _MOST_READ + _FOOTER, "تصريح سابق إن روسيا"),
        (_MENU + f"<article>{_LINKED}</article>" + _FOOTER, "وكان بيسكوف قد قال في تصريح سابق إن روسيا ستبقى"),
        (_MENU + f"<table><tr><td>{BODY}</td><td>{_MOST_READ}</td></tr></table>" + _FOOTER, "قاعدة حميميم"),
        (_MENU + f"<article>{BODY}<ul><li><a href='/a'>اقرأ أيضاً: بيسكوف في دمشق</a></li></ul></article>", "قاعدة حميميم"),
    ],
    ids=["links-in-paragraphs", "one-paragraph-of-links", "table-layout", "read-also-link"],
)  # fmt: skip
def test_an_article_with_links_in_and_around_it_keeps_its_text(body: str, kept: str) -> None:
    """Links in the article's paragraphs, or a few "read also" links under it, do not make it a
    page of menus; an article of one paragraph full of links is read without the menu."""
    page = page_from_html(f"<html><head><title>بيسكوف</title></head><body>{body}</body></html>")
    assert kept in page.text and "اتصل بنا" not in page.text


def test_a_line_break_inside_a_sentence_does_not_cut_it() -> None:
    """Wire copy pasted into a CMS keeps its hard wraps as `<br>`: one inside a sentence joins its
    lines; one after a sentence's end, or two in a row (a paragraph break), still separate them."""
    body = (
        "<p>قال المتحدث باسم الكرملين دميتري بيسكوف، أمس، إن القوات الروسية<br>باقية في قاعدة"
        " <b>حميميم</b><br/>ولن تنسحب منها.<br>وأضاف أن الحوار مع دمشق مستمر.<br><br>"
        "وأشار إلى أن الاتصالات مع الجانب السوري تجري بانتظام وعلى مستويات مختلفة.</p>"
    )
    text = page_from_html(_page("<title>بيسكوف</title>", body)).text
    assert text.splitlines() == [
        "قال المتحدث باسم الكرملين دميتري بيسكوف، أمس، إن القوات الروسية باقية في قاعدة حميميم ولن تنسحب منها.",
        "وأضاف أن الحوار مع دمشق مستمر.",
        "وأشار إلى أن الاتصالات مع الجانب السوري تجري بانتظام وعلى مستويات مختلفة.",
    ]
    claims = RuleExtractor().extract(text, published=None, language="ar", lexicon=LEXICON)
    assert claims[0].span.of(text) == "القوات الروسية باقية في قاعدة حميميم ولن تنسحب منها"
