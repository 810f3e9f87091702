"""One Jinja environment, its templates compiled once per interface language; a route renders
a whole page, or one block of it for an htmx swap."""

from collections.abc import Callable, Hashable, MutableMapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from app import costs
from app.queries.filters import side_of
from app.web import i18n, urls
from app.web.caching import Kept
from app.web.csrf import template_csrf_token
from app.web.htmx import htmx_target
from app.web.i18n import N_

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


class _Environment(i18n.TranslatedEnvironment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as a dict of its own over the environment's, not Jinja's
        ChainMap of the two: every import compares two templates' globals, which over a
        ChainMap is a loop in Python per name (a twentieth of a claim page's CPU). The
        environment's globals are all set as this module loads, before any template is."""
        return {**self.globals, **(d or {})}


# Every loaded template stays (there are a few dozen per language): a plain dict (cache_size
# -1), read without the lock that Jinja's default LRU cache takes on each lookup, which threads
# contended for on every include.
_ENGLISH = _Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, cache_size=-1)
templates = Jinja2Blocks(env=_ENGLISH)
"""The English templates; their filters and globals are every language's."""
i18n.install(templates)


def templates_in(language: str) -> Jinja2Blocks:
    """The templates compiled for `language`."""
    return _BY_LANGUAGE[language]


def reload_changed_templates(enabled: bool) -> None:
    """In development, a template whose file changed is read again. Production never looks:
    Jinja would stat the file at every use, 50 times for a page that includes 50 rows."""
    for each in _BY_LANGUAGE.values():
        each.env.auto_reload = enabled


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status_code: int = 200,
) -> Response:
    """The page `name`; only its `block` when htmx asks to swap the element of that id."""
    partial = block is not None and htmx_target(request) == block
    with costs.measure("render"):
        response: Response = templates_in(i18n.current_language()).TemplateResponse(
            request, name, context, status_code=status_code, block_name=block if partial else None
        )
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


def fragment(name: str, **values: Any) -> Markup:
    """The template `name` rendered from `values` alone, kept per (values, language) for the
    next page that shows the same: a timeline row took 0.1 ms to render, and the same claims
    recur on page after page. Values must be hashable, and equal only when they render alike."""
    # In development (templates reloaded when edited) nothing is kept: an edit shows at once.
    draw = _render_fragment if templates.env.auto_reload else _kept_fragment
    return draw(name, i18n.current_language(), tuple(values.items()))


def _render_fragment(name: str, language: str, values: tuple[tuple[str, Any], ...]) -> Markup:
    with i18n.in_language(language):
        context = i18n.language_context(language) | dict(values)
        return Markup(templates_in(language).env.get_template(name).render(context))


# 4,096 rows of a few KB each, their entries included: about 16 MB at most.
_kept_fragment = lru_cache(maxsize=4096)(_render_fragment)


def kept_fragment(
    kept: Kept[Markup],
    key: tuple[Hashable, ...],
    name: str,
    values: Callable[[], dict[str, Any]],
) -> Markup:
    """The template `name` rendered from `values()`, kept in `kept` per `key` and language:
    for what is costly to compute, where `fragment` would need the values to find it. Like
    `fragment`, in development it is rendered every time."""
    language = i18n.current_language()

    def draw() -> Markup:
        return _render_fragment(name, language, tuple(values().items()))

    return draw() if templates.env.auto_reload else kept.get_or_compute((*key, language), draw)


def stated_date(value: date | None, precision: str) -> str:
    """A date shown to its precision: `12 Feb 2025`, `Feb 2025`, `2025`, `date unknown`."""
    return i18n.format_stated_date(value, precision)


templates.env.filters["stated_date"] = stated_date

SIDE_NAMES = {
    "RU": N_("Russia"),
    "SY": N_("Syria"),
    "US": N_("United States"),
    "TR": N_("Türkiye"),
    "IL": N_("Israel"),
    "QA": N_("Qatar"),
    "IR": N_("Iran"),
    "UA": N_("Ukraine"),
    "FR": N_("France"),
    "GB": N_("United Kingdom"),
    "DE": N_("Germany"),
    "SA": N_("Saudi Arabia"),
    "AE": N_("United Arab Emirates"),
    "LB": N_("Lebanon"),
    "UN": N_("United Nations"),
    "EU": N_("European Union"),
}
BASE_NAMES = {"hmeimim": N_("Hmeimim"), "tartus": N_("Tartus")}


def is_web_url(url: str | None) -> bool:
    """Only http(s) links are rendered: an article's `javascript:` URL must never become a link."""
    return bool(url) and str(url).lower().startswith(("https://", "http://"))


templates.env.filters["side_name"] = lambda code: i18n.gettext(SIDE_NAMES.get(code) or str(code))
templates.env.filters["base_name"] = lambda base: i18n.gettext(BASE_NAMES.get(base) or str(base))
templates.env.filters["is_web_url"] = is_web_url
templates.env.filters["speaker_side"] = side_of
templates.env.globals.update(
    claim_url=urls.claim_url,
    actor_url=urls.actor_url,
    actor_feed_url=urls.actor_feed_url,
    article_url=urls.article_url,
    base_url=urls.base_url,
    static_url=urls.static_url,
    fragment=fragment,
)
templates.env.globals["csrf_token"] = template_csrf_token
CLAIM_NUMBER_PATTERN = r"[0-9\u0660-\u0669\u06F0-\u06F9]+"
"""A claim number as its fields take it (`pattern`): Western digits or the Arabic-Indic ones an
Arabic keyboard types, which the routes read too (`_claim_number`); [0-9] alone had the
browser refuse ١٢ before the route could take it."""
templates.env.globals["claim_number_pattern"] = CLAIM_NUMBER_PATTERN


def _translated(language: str) -> Jinja2Blocks:
    if language == i18n.DEFAULT:
        return templates
    translated = Jinja2Blocks(env=_ENGLISH.in_language(language))
    translated.context_processors = templates.context_processors
    return translated


_BY_LANGUAGE = {language: _translated(language) for language in i18n.LANGUAGES}
