"""The hostile corpus through every way into the web app, over a database full of it.

Routes are enumerated from the app itself (its OpenAPI description, and the forms its pages
serve), so a new route or field is probed without this file changing. No response may be a 5xx;
every HTML response must be inert (tests/hostile/checks.py), every feed well-formed XML, every
JSON response JSON, and no CSV cell a spreadsheet formula. Problems are collected and reported
together, so one run shows them all.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from app.db.engine import make_engine, make_sessionmaker
from app.main import create_app
from app.models import User
from app.services import auth
from app.settings import Settings
from app.web.security import SESSION_COOKIE
from tests.hostile.archive import ADMIN, EDITOR, hostile_rows
from tests.hostile.checks import (
    assert_inert_html,
    assert_json,
    assert_no_formulas,
    assert_well_formed_xml,
)
from tests.hostile.corpus import (
    HOSTILE_DATES,
    HOSTILE_NUMBERS,
    INVALID_UTF8,
    PAYLOADS,
    REFUSED,
)

EVERYTHING = PAYLOADS + REFUSED
IN_URLS = [
    *(quote(p.text[:500].encode("utf-8", "surrogatepass"), safe="") for p in EVERYTHING),
    *(quote(raw, safe="") for _, raw in INVALID_UTF8),
]
"""Every payload percent-encoded for a URL (long ones cut to 500 characters), invalid UTF-8 too."""
SKIPPED_FORMS = {"/logout"}
"""Signing out ends the session the other forms need; it is probed last, on its own."""


@dataclass
class Probe:
    """Sends requests and keeps every problem a response shows."""

    client: TestClient
    problems: list[str] = field(default_factory=list)
    sent: int = 0

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.check("GET", url, self.client.get(url, **kwargs))

    def post(self, url: str, **kwargs: Any) -> Response:
        return self.check("POST", url, self.client.post(url, **kwargs))

    def check(self, method: str, url: str, response: Response) -> Response:
        self.sent += 1
        where = f"{method} {url[:150]} → {response.status_code}"
        if response.status_code >= 500 and not _oembed_format(url, response.status_code):
            self.problems.append(f"{where}: {response.text[:200]!r}")
            return response
        kind = response.headers.get("content-type", "")
        try:
            if "html" in kind:
                assert_inert_html(response.text, where)
            elif "xml" in kind:
                assert_well_formed_xml(response.content, where)
            elif "json" in kind:
                assert_json(response.content, where)
            elif "csv" in kind:
                assert_no_formulas(response.text, where)
            for name, value in response.headers.items():
                assert "\n" not in value and "\r" not in value, f"{where}: header {name}"
            assert "pwned" not in response.headers.get("set-cookie", ""), f"{where}: cookie"
            location = response.headers.get("location", "")
            assert not urlsplit(location).netloc or urlsplit(location).netloc == "testserver", (
                f"{where}: redirects off-site to {location[:100]}"
            )
        except AssertionError as problem:
            self.problems.append(str(problem))
        return response

    def assert_clean(self) -> None:
        shown = "\n".join(self.problems[:40])
        assert not self.problems, f"{len(self.problems)} problems in {self.sent} requests:\n{shown}"


def _oembed_format(url: str, status: int) -> bool:
    """oEmbed's own rule: 501 for a format the provider does not serve (oembed.com, 2.3.5)."""
    return status == 501 and urlsplit(url).path == "/oembed" and "format=" in url


# --- the database and the app ----------------------------------------------------------------


@pytest.fixture(scope="module")
def app(hostile_url: str) -> FastAPI:
    return create_app(Settings(DATABASE_URL=hostile_url))


@pytest.fixture
def probe(app: FastAPI) -> Iterator[Probe]:
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield Probe(client)


@pytest.fixture
def rows(hostile_url: str) -> tuple[dict[str, int], dict[str, str]]:
    return hostile_rows(hostile_url)


def sign_in(probe: Probe, url: str, name: str = EDITOR) -> None:
    """A fresh session for `name` on the probe's client."""
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        user = session.scalars(select(User).where(User.username == name)).one()
        token = auth.start_session(session, user)
    engine.dispose()
    probe.client.cookies.set(SESSION_COOKIE, token)


# --- what the app offers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """With `{name}` placeholders."""
    params: dict[str, str]
    """Query parameter → its kind: text, number, date, flag."""
    path_params: dict[str, str]


def routes(app: FastAPI) -> list[Route]:
    found = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            params = {
                p["name"]: _kind(p.get("schema", {})) for p in operation.get("parameters", [])
            }
            found.append(
                Route(
                    method.upper(),
                    path,
                    {n: k for n, k in params.items() if f"{{{n}}}" not in path},
                    {n: k for n, k in params.items() if f"{{{n}}}" in path},
                )
            )
    return found


def _kind(schema: dict[str, Any]) -> str:
    kinds = {s.get("type") for s in schema.get("anyOf", [schema])} | {
        s.get("format") for s in schema.get("anyOf", [schema])
    }
    if "date" in kinds:
        return "date"
    if "integer" in kinds or "number" in kinds:
        return "number"
    if "boolean" in kinds:
        return "flag"
    return "text"


def valid_values(
    route: Route, claims: dict[str, int], speakers: dict[str, str], probe: Probe
) -> dict[str, str]:
    """Path values that exist: a hostile claim, its speaker, its article…"""
    values = {
        "claim_id": str(claims["script-tag"]),
        "slug": speakers["script-tag"],
        "key": "hostile-script-tag",
        "base": "hmeimim",
        "stance": "stay",
        "version": "1",
        "revision_id": str(_revision(probe, claims["script-tag"])),
        "user_id": "1",
    }
    if route.path.startswith("/claims/{claim_id}-"):
        values["slug"] = "anything"
    return {name: values[name] for name in route.path_params}


def _revision(probe: Probe, claim_id: int) -> int:
    page = BeautifulSoup(probe.client.get(f"/claims/{claim_id}/history").text, "html.parser")
    for form in page.find_all("form"):
        match = re.search(r"/history/(\d+)/revert", str(form.get("action", "")))
        if match:
            return int(match.group(1))
    return 1


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]]
    """(name, type, value) in document order, as a browser would send them."""
    multipart: bool


def forms_on(probe: Probe, page_url: str) -> list[Form]:
    """The page's forms as a browser would send them untouched. Read with lxml: the form test
    reads a page before each of its three thousand submissions, and BeautifulSoup's tree took
    twenty to thirty times as long to build (`check` still reads what the page shows with it)."""
    # Followed: /claims/{id} answers with a redirect to the claim's permanent address.
    page = lxml.html.fromstring(probe.client.get(page_url, follow_redirects=True).text)
    found = []
    for form in page.iter("form"):
        method = form.get("method", "get").upper()
        action = urljoin(page_url, form.get("action") or form.get("hx-post") or page_url)
        fields = []
        for element in form.iter("input", "select", "textarea"):
            name = element.get("name")
            if not name:
                continue
            kind = element.get("type", element.tag)
            if kind in ("radio", "checkbox") and element.get("checked") is None:
                continue
            value = (
                element.text_content() if element.tag == "textarea" else element.get("value", "")
            )
            if element.tag == "select":
                options = list(element.iter("option"))
                first = options[0] if options else None
                chosen = next((o for o in options if o.get("selected") is not None), first)
                value = "" if chosen is None else chosen.get("value", chosen.text_content())
            fields.append((name, kind, value))
        found.append(Form(method, action, fields, form.get("enctype") == "multipart/form-data"))
    return found


KEPT = {"csrf_token", "version", "fields"}
"""Hidden fields a browser sends back as they are (the token, the version an edit starts from)."""


def filled(form: Form, value: str, *, typed: bool) -> list[tuple[str, str]]:
    """The form with `value` in every field a person types into; with `typed`, in every other
    field too (choices, dates, numbers), except the hidden ones a browser sends back."""
    typed_kinds = {"select", "radio", "checkbox", "date", "number", "hidden"}
    out = []
    for name, kind, original in form.fields:
        if name in KEPT or (kind in typed_kinds and not typed) or kind == "file":
            out.append((name, original))
        else:
            out.append((name, value))
    return out


def submit(probe: Probe, form: Form, data: list[tuple[str, str]]) -> Response:
    """Send the form as a browser would, byte for byte: a lone surrogate goes as the bytes that
    encode it (invalid UTF-8), as a hostile client would send it."""
    encoded = [(name, value.encode("utf-8", "surrogatepass")) for name, value in data]
    if form.method == "GET":
        query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in encoded)
        return probe.get(f"{urlsplit(form.action).path}?{query}")
    if form.multipart:
        fields = [(k, (None, v)) for k, v in encoded] + [("upload", ("a.txt", b"", "text/plain"))]
        return probe.post(form.action, files=fields)
    body = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in encoded)
    kind = {"content-type": "application/x-www-form-urlencoded"}
    return probe.post(form.action, content=body.encode(), headers=kind)


# --- the tests -------------------------------------------------------------------------------


def test_every_page_showing_the_payloads_is_inert(
    probe: Probe, rows: tuple[dict[str, int], dict[str, str]], hostile_url: str
) -> None:
    claims, speakers = rows
    sign_in(probe, hostile_url)  # editors see more of each page: its controls and notes
    pages = ["/", "/api/claims", "/api/actors", "/export.csv", "/export.json", "/review"]
    pages += ["/feeds/claims.atom", "/feeds/shifts.atom", "/review/quality"]
    for name, claim_id in claims.items():
        pages += [f"/claims/{claim_id}", f"/claims/{claim_id}.json", f"/claims/{claim_id}/embed"]
        pages += [f"/claims/{claim_id}/edit", f"/claims/{claim_id}/history"]
        pages += [f"/actors/{speakers[name]}", f"/feeds/actors/{speakers[name]}.atom"]
    for page in pages:
        response = probe.get(page, follow_redirects=True)
        if response.status_code != 200:
            probe.problems.append(f"GET {page} → {response.status_code}, expected a page")
    probe.get(f"/claims/{claims['script-tag']}/share.png")
    probe.get(f"/oembed?url=http://testserver/claims/{claims['script-tag']}")
    probe.assert_clean()


def test_every_query_parameter_takes_the_corpus(probe: Probe, app: FastAPI, rows: Any) -> None:
    claims, speakers = rows
    for route in routes(app):
        if route.method != "GET" or not route.params:
            continue
        path = route.path.format(**valid_values(route, claims, speakers, probe))
        by_kind = {
            k: [n for n, kk in route.params.items() if kk == k]
            for k in ("text", "number", "date", "flag")
        }
        for encoded in IN_URLS:
            probe.get(_with_query(path, by_kind["text"] + by_kind["flag"], encoded))
        for value in HOSTILE_NUMBERS:
            probe.get(_with_query(path, by_kind["number"] or by_kind["text"], quote(value)))
        for value in HOSTILE_DATES:
            probe.get(_with_query(path, by_kind["date"] or by_kind["text"], quote(value)))
    for form in forms_on(probe, "/"):  # the timeline reads its filters from its own form
        if form.method == "GET":
            for encoded in IN_URLS:
                data = filled(form, MARK, typed=True)
                query = "&".join(
                    f"{quote(k)}={encoded if v == MARK else quote(v)}" for k, v in data
                )
                probe.get(f"{urlsplit(form.action).path}?{query}")
    probe.assert_clean()


MARK = "\x00mark"


def _with_query(path: str, names: list[str], encoded: str) -> str:
    return path + "?" + "&".join(f"{name}={encoded}" for name in names)


def test_every_path_segment_takes_the_corpus(probe: Probe, app: FastAPI, rows: Any) -> None:
    claims, speakers = rows
    for route in routes(app):
        if route.method != "GET" or not route.path_params:
            continue
        values = valid_values(route, claims, speakers, probe)
        for name, kind in route.path_params.items():
            hostile = HOSTILE_NUMBERS if kind == "number" else IN_URLS
            for value in hostile:
                segment = value if kind != "number" else quote(value, safe="")
                probe.get(route.path.format(**(values | {name: segment})))
    for raw in ("/static/..%2f..%2fapp%2fsettings.py", "/static/%2e%2e/%2e%2e/pyproject.toml"):
        if probe.get(raw).status_code == 200:
            probe.problems.append(f"GET {raw} → 200: a file outside static/ was served")
    probe.assert_clean()


FORM_PAGES = [
    "/claims/{claim}/edit",
    "/articles/hostile-rlo/claims/new?start=3&end=9",
    "/actors/{actor}/edit",
    "/import",
    "/login?next=/review",
    "/claims/{claim}",
    "/users",
]


def test_every_form_field_takes_the_corpus(probe: Probe, rows: Any, hostile_url: str) -> None:
    """Signed in as an administrator, every form of every page: each payload in every field a
    person types into (what can be stored, is, and is then shown inert), then in every field."""
    claims, speakers = rows
    sign_in(probe, hostile_url, ADMIN)
    submitted = 0
    for template in FORM_PAGES:
        page = template.format(claim=claims["arabic-latin"], actor=speakers["arabic-latin"])
        for shape in {_shape(form) for form in forms_on(probe, page)}:
            for payload in EVERYTHING:
                for typed in (False, True):
                    # Fresh each time: the version moves on, and a submission may change which
                    # forms the page offers (a rejected claim offers "restore", not "reject").
                    form = next((f for f in forms_on(probe, page) if _shape(f) == shape), None)
                    if form is None or urlsplit(form.action).path in SKIPPED_FORMS:
                        continue
                    submit(probe, form, filled(form, payload.text, typed=typed))
                    submitted += 1
                    if filled(form, payload.text, typed=True) == filled(
                        form, payload.text, typed=False
                    ):
                        break  # no choice, date or hidden field: typed would send the same
            sign_in(probe, hostile_url, ADMIN)  # a form may have ended the session (a merge)
    assert submitted > 20 * len(EVERYTHING), f"only {submitted} forms were submitted"
    for page in (
        "/",
        f"/claims/{claims['arabic-latin']}",
        f"/claims/{claims['arabic-latin']}/history",
    ):
        probe.get(page)
    probe.post("/logout", data={"csrf_token": _token(probe, "/review")})
    probe.assert_clean()


def _shape(form: Form) -> tuple[str, str, tuple[str, ...]]:
    return form.method, form.action, tuple(name for name, _, _ in form.fields)


def _token(probe: Probe, page: str) -> str:
    field = BeautifulSoup(probe.client.get(page).text, "html.parser").select_one(
        "input[name=csrf_token]"
    )
    return str(field["value"]) if field else ""


def test_uploads_and_raw_bodies_take_invalid_utf8_and_large_files(
    probe: Probe, hostile_url: str, app: FastAPI
) -> None:
    sign_in(probe, hostile_url, ADMIN)
    token = _token(probe, "/import")
    form = {"csrf_token": token, "outlet": "Outlet", "language": "ar", "title": "t"}
    for name, raw in INVALID_UTF8:
        response = probe.post(
            "/import", data=form, files={"upload": (f"{name}.txt", raw, "text/plain")}
        )
        if response.status_code != 422:
            probe.problems.append(f"upload {name}: {response.status_code}, expected 422")
    html = b"<html><body>" + b"<div>" * 200_000 + b"</body></html>"  # deep nesting, 1 MB
    probe.post("/import", data=form, files={"upload": ("deep.html", html, "text/html")})
    limit = app.state.settings.max_request_bytes
    big = probe.post(
        "/import", data=form, files={"upload": ("big.txt", b"x" * (limit + 1), "text/plain")}
    )
    if big.status_code != 413:
        probe.problems.append(f"an upload over the limit: {big.status_code}, expected 413")
    for _, raw in INVALID_UTF8:  # raw bodies, where forms are read
        for path in ("/login", "/claims/1/edit", "/import"):
            probe.post(
                path,
                content=raw,
                headers={
                    "content-type": "application/x-www-form-urlencoded",
                    "x-csrf-token": token,
                },
            )
            probe.post(
                path,
                content=raw,
                headers={"content-type": "multipart/form-data; boundary=x", "x-csrf-token": token},
            )
    probe.assert_clean()


def test_sign_in_never_sends_anyone_off_site(probe: Probe) -> None:
    token = _token(probe, "/login")
    for target in (
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
        "\r\n//evil.example",
        "///evil.example",
    ):
        probe.get("/login", params={"next": target})
        probe.post(
            "/login",
            data={"csrf_token": token, "username": "nobody", "password": "x", "next": target},
        )
    probe.assert_clean()


def test_the_corpus_is_big_enough() -> None:
    assert len({p.name for p in EVERYTHING}) + len(INVALID_UTF8) >= 60
    assert {p.kind for p in PAYLOADS} >= {
        "script", "event-handler", "url", "svg-mathml", "template", "bidi", "invisible",
        "control", "sql", "path", "header", "unicode", "csv", "long",
    }  # fmt: skip
