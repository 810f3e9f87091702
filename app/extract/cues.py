"""Speech cues: the verbs, participles and prepositions that attribute words to a speaker.

Patterns run on normalised text (`normalize`): they are written here in ordinary spelling and
normalised once, when the module loads.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from app.extract.normalize import normalize
from app.extract.quotes import inside_quote
from app.extract.types import Quote, Span
from app.extract.words import text_words

CueKind = Literal["verb", "participle", "according"]


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue and what it says about its speaker and complement.

    `feminine`/`plural` come from the verb's ending (قالت، قالوا); `takes_object` marks verbs whose
    complement may be a plain object (أعرب عن…، أبدى…); `relay` marks verbs that pass on another
    speaker's words (نقل عن، quoted … as saying); `conjoined` marks a verb that continues the sentence
    (وقال، and said), whose subject cannot stand before it; `denies` marks a verb whose complement is
    what the speaker denies (نفى أن، denied that).
    """

    span: Span
    kind: CueKind
    feminine: bool | None = None
    plural: bool = False
    takes_object: bool = False
    relay: bool = False
    conjoined: bool = False
    denies: bool = False


def _forms(past: str, *, feminine: str | None = None, present: str = "") -> list[tuple[str, bool]]:
    """قال → قال (m), قالت (f), قالوا (pl) and the present forms: [(form, feminine?)]."""
    forms = [(past, False), (feminine or past + "ت", True), (past + "وا", False)]
    forms += [(word, word.startswith("ت")) for word in present.split()]
    return forms


_AR_VERBS: dict[str, list[tuple[str, bool]]] = {
    "speech": [
        *_forms("قال", present="يقول تقول"),
        *_forms("أكد", present="يؤكد تؤكد"),
        *_forms("أوضح"),
        *_forms("أشار"),
        *_forms("أضاف", present="يضيف تضيف"),
        *_forms("كشف"),
        *_forms("صرح"),
        *_forms("شدد"),
        *_forms("رأى", feminine="رأت"),
        *_forms("وصف"),
        *_forms("ذكر"),
        *_forms("أعلن"),
        *_forms("أفاد"),
        *_forms("لفت"),
        *_forms("تابع"),
        *_forms("اعتبر", present="يعتبر تعتبر"),
        *_forms("حذر"),
        *_forms("أبلغ"),
        *_forms("أجاب"),
        *_forms("توقع"),
        *_forms("نوه"),
        *_forms("أورد"),
    ],
    "object": [
        *_forms("أعرب"),
        *_forms("أبدى", feminine="أبدت"),
        *_forms("جدد"),
        *_forms("دعا", feminine="دعت"),
        *_forms("طالب"),
        *_forms("نفى", feminine="نفت", present="ينفي تنفي"),  # نفى وجود خطط: what is denied
    ],
    "relay": [*_forms("نقل")],
}

_AR_PARTICIPLES: dict[str, list[str]] = {
    "speech": (
        "مضيفا موضحا مؤكدا مشيرا لافتا مشددا معتبرا واصفا قائلا مبينا منوها محذرا نافيا متابعا"
        " مستدركا مرجحا كاشفا"
    ).split(),
    "object": "معربا مبديا داعيا مطالبا مجددا".split(),
}
_AR_DENIALS = frozenset(normalize(w) for w in "نفى نفت نفوا ينفي تنفي نافيا".split())

_EN_VERBS = {
    "speech": (
        "said says say told tells added adds stated noted stressed insisted explained announced"
        " declared confirmed warned argued reiterated acknowledged claimed reported wrote"
        " denied denies"
    ).split(),
    "relay": ["quoted"],
}
_EN_PARTICIPLES = "adding noting saying stressing explaining warning insisting arguing".split()
_EN_DENIALS = frozenset({"denied", "denies", "denying"})


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: CueKind
    feminine: bool | None
    plural: bool
    takes_object: bool
    relay: bool
    denies: bool = False


def _arabic_entries() -> dict[str, _Entry]:
    """Every Arabic cue word, normalised, with its features."""
    entries: dict[str, _Entry] = {}
    for group, forms in _AR_VERBS.items():
        for form, feminine in forms:
            key = normalize(form)
            entries[key] = _Entry(
                "verb",
                feminine,
                form.endswith("وا"),
                group == "object",
                group == "relay",
                key in _AR_DENIALS,
            )
    for group, words in _AR_PARTICIPLES.items():
        for word in words:
            masculine = normalize(word)
            denies = masculine in _AR_DENIALS
            for form, feminine in ((masculine, False), (masculine[:-1] + "ه", True)):
                entries[form] = _Entry(
                    "participle", feminine, False, group == "object", False, denies
                )
    return entries


def _english_entries() -> dict[str, _Entry]:
    """Every English cue word, lower case, with its features."""
    entries = {
        w: _Entry("verb", None, False, w in ("told", "tells"), False, w in _EN_DENIALS)
        for w in _EN_VERBS["speech"]
    }
    # `quoted Bogdanov as saying …`: the one quoted is the verb's object
    entries |= {w: _Entry("verb", None, False, True, True) for w in _EN_VERBS["relay"]}
    entries |= {
        w: _Entry("participle", None, False, False, False, w in _EN_DENIALS)
        for w in _EN_PARTICIPLES
    }
    return entries


_ENTRIES = {"ar": _arabic_entries(), "en": _english_entries()}


_CONJUNCTIONS = frozenset({"and", "but"})
_AR_ACCORDING = re.compile(
    normalize(r"(?<!\w)[وف]?(?:(?:وفق|وفقاً|بحسب|حسب|طبقاً)(?:\s+ل?ما\s+\w+)?|نقلاً عن)(?!\w)")
)
_EN_ACCORDING = re.compile(r"\b(?:according to|citing|quoting)\b", re.IGNORECASE)


def _verb_cues(text: str, language: str) -> Iterable[Cue]:
    """Verbs and participles, word by word: `وقالت زاخاروفا` → a feminine verb cue on وقالت, joined
    to the sentence by its و; `and said` likewise."""
    entries = _ENTRIES["ar" if language == "ar" else "en"]
    words, keys = text_words(text)
    for i, key in enumerate(keys):
        entry = entries.get(key)
        conjoined = False
        if entry is None and language == "ar" and key[:1] in "وف":
            entry, conjoined = entries.get(key[1:]), True
        if entry is None or (language != "ar" and i and keys[i - 1] == "as"):
            continue  # `quoted X as saying`: `as saying` belongs to `quoted`, it is not a cue
        start = words[i].start()
        if language != "ar" and i and keys[i - 1] in _CONJUNCTIONS:
            start, conjoined = words[i - 1].start(), True
        yield Cue(
            Span(start, words[i].end()),
            entry.kind,
            entry.feminine,
            entry.plural,
            entry.takes_object,
            entry.relay,
            conjoined=conjoined,
            denies=entry.denies,
        )


def _according_cues(text: str, language: str) -> Iterable[Cue]:
    """Prepositional attributions: `وبحسب مصادر`, `وفقاً لما أكده`, `according to`."""
    pattern = _AR_ACCORDING if language == "ar" else _EN_ACCORDING
    for match in pattern.finditer(text):
        yield Cue(Span(match.start(), match.end()), "according")


def find_cues(text: str, language: str, quotes: Sequence[Quote]) -> list[Cue]:
    """Every cue outside quotation marks, in text order: `قال: «نرى»` → [قال] (نرى is quoted)."""
    cues = [*_verb_cues(text, language), *_according_cues(text, language)]
    cues = [cue for cue in cues if not inside_quote(quotes, cue.span.start)]
    return sorted(cues, key=lambda cue: cue.span.start)
