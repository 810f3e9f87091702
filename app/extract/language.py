"""Which language a text is in, by the script most of its letters are written in (no model)."""

import re

_SCRIPTS = {
    "ar": re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "ru": re.compile("[\u0400-\u04ff]"),
    "en": re.compile("[A-Za-z]"),
}


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the dominant script: `قال بيسكوف (Peskov)` → "ar".

    Latin script counts as English; an empty or letterless text is "ar", the archive's first language.
    """
    counts = {code: len(letters.findall(text)) for code, letters in _SCRIPTS.items()}
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] else "ar"
