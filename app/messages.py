"""Messages people read, written once in English and shown in the interface language.

Services and domain errors know nothing of the web or of who reads them, so they cannot
translate. They write `N_("no actor %(name)r: pick one from the list", name=slug)`: a `Message`,
which *is* the English text (str, JSON, logs and tests see no difference) and remembers its
template and values, so that the web layer can show it in Arabic (`app.web.i18n.translate`).
`make translations` extracts every `N_()` template.
"""

import functools
import re
from collections.abc import Mapping


class Message(str):
    """English text that remembers the template and values it was made from."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, params: Mapping[str, object]) -> "Message":
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text


def N_(template: str, **params: object) -> Message:
    """Marks `template` for extraction; `params` fill its `%(name)s` placeholders."""
    return Message(template, params)


PRECISION_NAMES = {
    "day": N_("day"),
    "month": N_("month"),
    "year": N_("year"),
    "unknown": N_("unknown"),
}
"""How precise a date is, as the interface names it; a message's value may be one of these."""


REVERTED = N_("revert of the change that made version %(version)s")
"""By version, the number the history shows; notes written before name the revision's id."""
REVERTED_BY_ID = N_("revert of revision %(revision)s")
MERGED_AS_DUPLICATE = N_("duplicate of claim %(claim)s")
ACTOR_MERGED = N_("merged %(source)s into %(target)s")
LEFT_THE_FILE = N_("no longer in the article's file")
REVISION_NOTES = (REVERTED, REVERTED_BY_ID, MERGED_AS_DUPLICATE, ACTOR_MERGED, LEFT_THE_FILE)
"""The notes basewatch writes on the revisions it makes. They are stored in English, as the
export carries them; `as_written` finds which one a stored note is, to show it translated."""


def with_values(template: Message, **params: object) -> Message:
    """One of the templates above, filled in."""
    return Message(template.template, params)


def as_written(text: str, templates: tuple[Message, ...] = REVISION_NOTES) -> str:
    """`text` as the Message one of `templates` made, or as it is (a note from before these
    templates, or from another tool)."""
    for template in templates:
        if found := _pattern(template.template).fullmatch(text):
            return Message(template.template, found.groupdict())
    return text


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    """`merged %(source)s into %(target)s` → `merged\\ (?P<source>.+)\\ into\\ (?P<target>.+)`."""
    return re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+)", re.escape(template)))
