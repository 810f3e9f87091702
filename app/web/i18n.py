"""The interface language: Arabic or English, chosen per request and remembered in a cookie.

The catalogue is `translations/<lang>/LC_MESSAGES/messages.po` (gettext, kept with Babel:
`make translations` extracts new strings and updates the .po files). The .po files are compiled
in memory when the app starts, so a stale or missing .mo can never be served.

A pure ASGI middleware picks the language (`?lang=` > cookie > Accept-Language > English) and
holds it in a context variable for the request: templates, macros and Python code all translate
with `gettext` without passing the request around.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, nodes, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.visitor import NodeTransformer
from markupsafe import Markup
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import DomainError, FieldsInvalid
from app.messages import N_ as N_  # re-exported: web modules mark their labels with it
from app.messages import PRECISION_NAMES
from app.messages import Message as Text

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("en", "ar")
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
RTL = {"ar"}

_language: ContextVar[str] = ContextVar("ui_language", default=DEFAULT)


@cache
def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue for `language`; English is the source language."""
    po = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(fp=mo)


def current_language() -> str:
    return _language.get()


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate and format in `language` within the block (a request, or a test)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def text_direction(language: str | None = None) -> str:
    return "rtl" if (language or current_language()) in RTL else "ltr"


def gettext(message: str) -> str:
    return catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(current_language()).ngettext(singular, plural, n)


def translate(text: str) -> str:
    """A service's or refusal's message (`app.messages.N_`) in the interface language; any
    other text, such as a value the visitor typed, as it is."""
    if not isinstance(text, Text):
        return text
    template = gettext(text.template)
    if not text.params:
        return template
    return template % {
        name: translate(value) if isinstance(value, Text) else value
        for name, value in text.params.items()
    }


def refused_value(problem: Mapping[str, Any]) -> str:
    """A pydantic error's message in the interface language: its validator's own (an `N_`
    message) where it raised one, else pydantic's (English only)."""
    cause = problem.get("ctx", {}).get("error")
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Text):
        return translate(cause.args[0])
    return str(problem["msg"]).removeprefix("Value error, ")


def translate_error(error: DomainError) -> str:
    """A domain error's message in the interface language, field by field where it has them."""
    if isinstance(error, FieldsInvalid):
        return "; ".join(f"{field}: {translate(m)}" for field, m in error.errors.items())
    return translate(error.message)


def translate_all(messages: dict[str, str]) -> dict[str, str]:
    """A form's messages, field by field, in the interface language."""
    return {field: translate(message) for field, message in messages.items()}


def month_name(month: int, *, short: bool = False) -> str:
    """`Feb` / `February`, or فبراير in Arabic (which has no short month names)."""
    return _month_names(current_language(), "abbreviated" if short else "wide")[month]


@cache
def _month_names(language: str, width: str) -> dict[int, str]:
    """Parsed once: Locale.parse on every date was most of a long chart's time."""
    return {m: str(name) for m, name in Locale.parse(language).months["format"][width].items()}


def format_stated_date(value: date | None, precision: str) -> str:
    """A date to its precision, in the interface language with Western digits (as Arabic news
    sites write them): `12 Feb 2025` / `12 فبراير 2025`, `Feb 2025`, `2025`, `date unknown`."""
    if value is None or precision == "unknown":
        return gettext("date unknown")
    if precision == "year":
        return str(value.year)
    month = f"{month_name(value.month, short=True)} {value.year}"
    return month if precision == "month" else f"{value.day} {month}"


def format_moment(value: datetime) -> str:
    """When an editor's change was made, to the minute, in UTC whatever time zone the database
    server reads times in (its session's): `12 Feb 2025, 21:30 UTC`, the date as
    `format_stated_date` writes it."""
    at = value.astimezone(UTC)
    day = format_stated_date(at.date(), "day")
    return translate(N_("%(date)s, %(time)s UTC", date=day, time=f"{at:%H:%M}"))


def format_month(value: date) -> str:
    """`February 2025` / `فبراير 2025`: a month heading."""
    return f"{month_name(value.month)} {value.year}"


def choose_language(query: str, cookie_header: str, accept_language: str) -> tuple[str, bool]:
    """The language for a request, and whether it was asked for now (so it is remembered)."""
    asked = parse_qs(query).get("lang", [""])[-1]
    if asked in LANGUAGES:
        return asked, True
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # a malformed Cookie header is ignored, not an error page
        cookies = SimpleCookie()
    if COOKIE in cookies and cookies[COOKIE].value in LANGUAGES:
        return cookies[COOKIE].value, False
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code, False
    return DEFAULT, False


class LanguageMiddleware:
    """Sets the request's interface language; remembers a `?lang=` choice in a cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        language, asked = choose_language(
            scope.get("query_string", b"").decode("latin-1"),
            headers.get("cookie", ""),
            headers.get("accept-language", ""),
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                if not scope["path"].startswith("/static/"):
                    response_headers.add_vary_header("Cookie, Accept-Language")
                if asked:
                    response_headers.append(
                        "Set-Cookie",
                        f"{COOKIE}={language}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax",
                    )
            await send(message)

        with in_language(language):
            await self.app(scope, receive, send_with_cookie)


def language_context(language: str) -> dict[str, str]:
    """What any template, a page or a fragment of one, writes differently in `language`."""
    return {
        "ui_lang": language,
        "ui_dir": text_direction(language),
        "list_comma": list_comma(language),
    }


def list_comma(language: str) -> str:
    """What goes between the items of a list: the Arabic comma in Arabic."""
    return "، " if language == "ar" else ", "


def page_language(request: Request) -> dict[str, str]:
    """Template context for every page: `<html lang dir>`, and this page in the other language."""
    language = current_language()
    other = "ar" if language == "en" else "en"
    switched = request.url.include_query_params(lang=other)
    return {
        **language_context(language),
        "other_lang": other,
        "other_lang_name": "العربية" if other == "ar" else "English",
        "other_lang_url": f"{switched.path}?{switched.query}",
    }


STANCE_NAMES = {
    "stay": N_("stay"),
    "leave": N_("leave"),
    "conditional": N_("conditional"),
    "negotiating": N_("negotiating"),
    "review": N_("review"),
    "unclear": N_("unclear"),
}


STATUS_NAMES = {
    "verified": N_("verified"),
    "extracted": N_("extracted"),
    "rejected": N_("rejected"),
}


KIND_NAMES = {
    "person": N_("person"),
    "institution": N_("institution"),
    "media": N_("media"),
    "anonymous": N_("anonymous"),
}

ROLE_NAMES = {"editor": N_("editor"), "admin": N_("admin")}

SOURCE_NAMES = {"loader": N_("loader"), "extractor": N_("extractor"), "editor": N_("editor")}

REASON_NAMES = {
    "not_about_bases": N_("not about the bases"),
    "wrong_speaker": N_("wrong speaker"),
    "duplicate": N_("duplicate"),
    "not_a_statement": N_("not an attributed statement"),
    "other": N_("other"),
}
"""Why an editor rejected a proposed claim, in the order the reject buttons show them."""

FIELD_NAMES = {
    "*": N_("created"),
    "speaker": N_("speaker"),
    "speaker_name": N_("speaker_name"),
    "role": N_("role"),
    "affiliation": N_("affiliation"),
    "stance": N_("stance"),
    "bases": N_("bases"),
    "stated_on": N_("stated_on"),
    "stated_on_precision": N_("stated_on_precision"),
    "direct": N_("direct"),
    "via": N_("via"),
    "start": N_("start"),
    "end": N_("end"),
    "summary_en": N_("summary_en"),
    "tags": N_("tags"),
    "note": N_("note"),
    "status": N_("status"),
    "reason": N_("reason"),
}
"""A claim's fields as the revision history and the edit-conflict notice name them: by their
stored names in English (what editors know them by), in words in Arabic."""


def _named(names: Mapping[str, str]) -> Callable[[str], str]:
    """A filter that shows a stored value by its translated label (an unknown value as is)."""
    return lambda value: gettext(names.get(value, value))


def stance_name(stance: str) -> str:
    return gettext(STANCE_NAMES.get(stance, stance))


def status_name(status: str) -> str:
    return gettext(STATUS_NAMES.get(status, status))


def language_name(code: str) -> str:
    """`ar` → Arabic, or العربية in the Arabic interface."""
    return str(_language_names(current_language()).get(code, code))


@cache
def _language_names(language: str) -> Mapping[str, str]:
    # Parsed once per interface language, not at each call (6 µs, a few times a timeline page).
    return Locale.parse(language).languages


class _Named(Protocol):
    """An actor, a timeline row's speaker, or a speaker facet's value."""

    @property
    def name_en(self) -> str: ...
    @property
    def name_ar(self) -> str: ...


def isolate(text: str) -> str:
    """Text in Unicode directional isolates (FSI…PDI), where a `<bdi>` cannot go (a citation to
    copy, a share card, a page's title, a `<meta>` or an `<option>`): an Arabic title or outlet
    inside an English line keeps its own order and leaves the punctuation around it in place,
    wherever the text is shown or pasted; a direction override the article put in a name or role
    reorders only that name or role, not the words after it."""
    return f"\u2068{text}\u2069"


def actor_name(actor: _Named) -> str:
    """An actor's name in the interface language (the registry has both for every actor)."""
    return actor.name_ar if current_language() == "ar" else actor.name_en


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    """Jinja's newstyle `gettext` (escaped variables, `%` always applied) in one call: Jinja's
    own `_` calls through the context twice, which was a sixth of a claim page's render. It
    takes the eval context, not the context: Jinja copies the whole context for a call that
    takes it inside a loop or a block. Only `_()` of what a template computes comes here: a
    message written in the template is translated when it is compiled (`TranslatedEnvironment`)."""
    translated = gettext(message)
    if eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables


class _TranslateMessages(NodeTransformer):
    """`_("…", name=value)` of a message written in the template, as `_template_gettext` would
    give it in `language`: the translation, safe, `%` the escaped values (a constant when there
    are none, which Jinja then writes into the template's text)."""

    def __init__(self, language: str) -> None:
        self.translations = catalogue(language)

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)  # in place: the messages among its arguments first
        called, args = node.node, node.args
        if not (
            isinstance(called, nodes.Name)
            and called.name in ("_", "gettext")
            and len(args) == 1
            and isinstance(args[0], nodes.Const)
            and isinstance(args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        translated = self.translations.gettext(args[0].value)
        if not node.kwargs:
            return nodes.MarkSafeIfAutoescape(nodes.Const(translated % {}), lineno=node.lineno)
        values = [nodes.Pair(nodes.Const(kw.key), kw.value, lineno=kw.lineno) for kw in node.kwargs]
        return nodes.Mod(
            nodes.MarkSafeIfAutoescape(nodes.Const(translated)),
            nodes.Dict(values),
            lineno=node.lineno,
        )


class TranslatedEnvironment(Environment):
    """Templates compiled for one interface language (`language`; `in_language` makes the
    environment of another): each `_()` call had cost a claim page a fifth of its render."""

    language = DEFAULT

    def in_language(self, language: str) -> "TranslatedEnvironment":
        """This environment's filters, globals and loader, its templates compiled for `language`."""
        environment = self.overlay(cache_size=-1)  # its own templates, none of this one's
        environment.language = language
        return environment

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja's one step between parsing a template and compiling it.
        template = super()._parse(source, name, filename)
        translated: nodes.Template = _TranslateMessages(self.language).visit(template)
        return translated


def install(templates: Jinja2Templates) -> None:
    """`_()`, `gettext` and `ngettext` in every template; `ui_lang`/`ui_dir` on every page."""
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    templates.env.globals.update(_=_template_gettext, gettext=_template_gettext)
    templates.env.filters["stance_name"] = stance_name
    templates.env.filters["status_name"] = status_name
    templates.env.filters["precision_name"] = _named(PRECISION_NAMES)
    templates.env.filters["kind_name"] = _named(KIND_NAMES)
    templates.env.filters["role_name"] = _named(ROLE_NAMES)
    templates.env.filters["source_name"] = _named(SOURCE_NAMES)
    templates.env.filters["reason_name"] = _named(REASON_NAMES)
    templates.env.filters["field_name"] = _named(FIELD_NAMES)
    templates.env.filters["language_name"] = language_name
    templates.env.filters["actor_name"] = actor_name
    templates.env.filters["isolate"] = isolate
    templates.env.filters["month_heading"] = format_month
    templates.env.filters["moment"] = format_moment
    templates.context_processors.append(page_language)
