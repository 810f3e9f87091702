"""What "nothing executes" means for a response, checked on its structure, not its text.

An HTML page may show a payload as text or hold it in an inert attribute (a title, a value);
it may never turn it into an element, an event handler, a script, a style, a frame, or a link or
form target with a scheme other than http(s). Feeds must stay well-formed XML, JSON must parse,
and no CSV cell may start like a spreadsheet formula.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc"}
SAFE_URL = re.compile(r"^(https?:|/|#|\?|mailto:|[\w.-]+(/|$)|$)", re.IGNORECASE)
NEVER = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "math"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_inert_html(html: str, where: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    for element in page.find_all(True):
        assert isinstance(element, Tag)
        name = element.name.lower()
        assert name not in NEVER, f"{where}: <{name}> in the page"
        if name == "script":
            _script(element, where)
        if name == "meta":
            _meta(element, where)
        if name == "style":
            raise AssertionError(f"{where}: a <style> element (the CSP forbids inline style)")
        for attribute, value in element.attrs.items():
            _attribute(name, attribute.lower(), value, where)


def _script(element: Tag, where: str) -> None:
    kind = element.get("type")
    if kind == "application/ld+json":
        json.loads(element.string or "")  # data, and it must stay data: parse it
        assert "</" not in (element.string or ""), f"{where}: '</' inside JSON-LD"
        return
    source = urlsplit(str(element.get("src", "")))
    ours = source.netloc in ("", "testserver") and source.path.startswith("/static/")
    assert ours and not element.string, (
        f"{where}: a script that is not one of ours: {str(element)[:200]}"
    )


def _meta(element: Tag, where: str) -> None:
    """No refresh; a URL in Open Graph or Twitter metadata must be a web address."""
    assert "http-equiv" not in element.attrs, f"{where}: <meta http-equiv=…>"
    kind = str(element.get("property") or element.get("name") or "")
    if kind.endswith((":url", ":image", ":player", ":src")):
        cleaned = re.sub(r"[\x00-\x20]", "", str(element.get("content", "")))
        assert cleaned.lower().startswith(("http://", "https://")), f"{where}: <meta {kind}>"


def _attribute(element: str, attribute: str, value: object, where: str) -> None:
    text = " ".join(value) if isinstance(value, list) else str(value)
    assert not attribute.startswith("on"), f"{where}: <{element} {attribute}=…> event handler"
    assert attribute != "style", f"{where}: <{element} style=…> (the CSP forbids inline style)"
    assert not attribute.startswith(("hx-on", "data-hx-on")), f"{where}: <{element} {attribute}>"
    if attribute in URL_ATTRIBUTES:
        cleaned = re.sub(r"[\x00-\x20]", "", text)
        assert SAFE_URL.match(cleaned), f"{where}: <{element} {attribute}={text[:120]!r}>"


def assert_well_formed_xml(body: bytes, where: str) -> None:
    try:
        ET.fromstring(body)
    except ET.ParseError as error:
        raise AssertionError(f"{where}: not well-formed XML: {error}") from None


def assert_json(body: bytes, where: str) -> None:
    try:
        json.loads(body)
    except ValueError as error:
        raise AssertionError(f"{where}: not JSON: {error}") from None


def assert_no_formulas(text: str, where: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"{where}: CSV cell {cell[:60]!r}"
