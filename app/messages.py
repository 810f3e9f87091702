"""Messages people read, written once in English and shown in the interface language.

Services and domain errors know nothing of the web or of who reads them, so they cannot
translate. They write `N_("no actor %(name)r: pick one from the list", name=slug)`: a `Message`,
which *is* the English text (str, JSON, logs and tests see no difference) and remembers its
template and values, so that the web layer can show it in Arabic (`app.web.i18n.translate`).
`make translations` extracts every `N_()` template.
"""

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
