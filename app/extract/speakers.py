"""Speaker mentions: registry names and titles, unnamed sources, second mentions and pronouns.

All patterns run on normalised text. Second mentions (`الوزير`, `the official`) and pronouns are
returned unresolved, with what they ask of the speaker they point back to; `resolve` finds it.
"""

import re
from collections.abc import Iterable, Sequence
from itertools import chain

from app.extract.dates import WEEKDAYS
from app.extract.lexicon import Lexicon, PhraseMatch
from app.extract.normalize import normalize
from app.extract.types import Kind, MentionHow, Span, Speaker, SpeakerMention, Wanted
from app.extract.words import text_words

_ANY: frozenset[Kind] = frozenset({"person", "institution", "media", "anonymous"})
_PERSON: frozenset[Kind] = frozenset({"person"})
_OFFICIAL: frozenset[Kind] = frozenset({"person", "anonymous"})
_SOURCE: frozenset[Kind] = frozenset({"anonymous"})
_MEDIA: frozenset[Kind] = frozenset({"media"})
_BODY: frozenset[Kind] = frozenset({"institution"})

_SIDES = [
    ("RU", normalize(r"روس|الكرملين|موسكو") + r"|russia|kremlin|moscow"),
    ("SY", normalize(r"سوري|دمشق") + r"|syria|damascus"),
    ("TR", normalize(r"ترك|أنقرة") + r"|turk|ankara"),
    (
        "US",
        normalize(r"أمريك|أميرك|واشنطن")
        + r"|u\.s\.|\bus\b|americ|washington|state department|pentagon|white house",
    ),
    ("IL", normalize(r"إسرائيل") + r"|israel"),
    ("UA", normalize(r"أوكران") + r"|ukrain"),
    ("IR", normalize(r"إيران") + r"|iran"),
    ("EU", normalize(r"أوروب") + r"|europe|\beu\b"),
    ("UN", normalize(r"الأمم المتحدة|أممي") + r"|\bun\b|united nations"),
]
_SIDE_PATTERNS = [(code, re.compile(pattern, re.IGNORECASE)) for code, pattern in _SIDES]

_AR_SOURCE_ADJECTIVES = normalize(
    "دبلوماسية? عسكرية? أمنية? حكومية? رسمية? رفيعة? المستوى مطلعة? مطلعون مطلعين مقربة? غربية? غربيون"
    " غربيين أوروبية? أوروبيون أوروبيين روسية? روس سورية? سوريون سوريين تركية? أتراك أمريكية? أمريكيون"
    " أميركية? أميركيون إسرائيلية? إسرائيليون إيرانية? عربية? بارزة? كبار"
).split()
_AR_SOURCE_HEAD_WORDS = normalize(
    "مصدر مصادر مصدران مصدرين مسؤول مسؤولون مسؤولين مسؤولان مسئول مسئولون مسئولين دبلوماسي"
    " دبلوماسيون دبلوماسيين دبلوماسيان متحدث متحدثة ناطق ناطقة مصدرا مسؤولا مسئولا دبلوماسيا"
).split()
"""Unnamed speakers' nouns (with the accusative after إنّ: `إن مصدراً عسكرياً`); a spokesman without the article (`متحدث باسم الخارجية الأمريكية`) is one
too, unlike `المتحدث باسم الكرملين`, a title."""
_TA_MARBUTA = normalize("ة")
_AR_TITLE_HEAD_WORDS = normalize("المتحدث المتحدثة الناطق الناطقة").split()
"""A spokesman's title (`المتحدث باسم وزارة الدفاع الروسية`) the registry does not hold: an
unnamed official of that side, unless a name follows it (`_titles_of_names`)."""
_WHEN = rf"(?:{'|'.join(w for w in WEEKDAYS if not w.isascii())}|{normalize('اليوم')})(?!\w)"
"""The day a statement was made (`المتحدث باسم وزارة الدفاع الروسية الخميس`), not its speaker's."""
_AR_SOURCE = re.compile(
    normalize(r"(?<!\w)(?P<clitic>[وفبل])?(?:(?:أربعة|ثلاثة|خمسة|ستة|عدة|بعض)\s+)?")
    + rf"(?:(?P<head>{'|'.join(_AR_SOURCE_HEAD_WORDS)})"
    + rf"|(?P<title>{'|'.join(_AR_TITLE_HEAD_WORDS)})(?=(?:\s+\w+)?\s+{normalize('باسم')}\s))(?!\w)"
    + rf"(?:\s+(?:ال)?(?:{'|'.join(_AR_SOURCE_ADJECTIVES)})ا?(?!\w))*"
    + normalize(r"(?:(?:\s+(?:في|من|داخل|باسم)\s+\w+|\s+بال\w+)")
    + rf"(?:\s+(?!{_WHEN})ال\w+){{0,3}})?"
    + normalize(r"(?:\s*\(?(?:لم\s+(?:تسمه|تسمها|تسمهم|يسمه|تكشف عن هويته|يكشف عن اسمه))\)?)?")
)
_AR_SOURCE_HEADS = frozenset(
    c + w for c in ("", *"وفبل") for w in (*_AR_SOURCE_HEAD_WORDS, *_AR_TITLE_HEAD_WORDS)
)
_AR_SOURCE_LEADS = frozenset(normalize("أربعة ثلاثة خمسة ستة عدة بعض").split())
_EN_SIDE_ADJECTIVES = (
    r"russian|syrian|turkish|israeli|u\.s\.|us|american|arab|western|european|defen[cs]e|foreign"
)
_EN_SOURCE = re.compile(
    r"\b(?:(?:a|an|two|three|four|five|six|several|some|\d+)\s+)?"
    r"(?:(?:unnamed|anonymous|senior|top|high-ranking|western|european|russian|syrian|turkish|israeli|u\.s\.|us|american"
    r"|arab|diplomatic|military|government|security|intelligence|defen[cs]e ministry|foreign ministry"
    r"|kremlin|regional|informed|state department|pentagon|white house|ministry|navy|army)\s+){0,3}"
    r"(?:(?:people|persons?)(?=\s+(?:familiar|with knowledge|close|briefed))"
    r"|officials?|sources?|diplomats?|insiders?|spokes(?:man|woman|person))"
    r"(?:\s+(?:familiar with|with knowledge of|close to|briefed on|in|at|from)"
    rf"\s+(?:the\s+|syria's\s+|russia's\s+)?(?:new\s+)?(?:(?:{_EN_SIDE_ADJECTIVES})\s+){{0,2}}\w+"
    r"(?:\s+(?:matter|talks|administration|government|ministry|plans|discussions|negotiations))?)?",
    re.IGNORECASE,
)
_PLURAL_SOURCE = re.compile(
    normalize(r"مصادر|مسؤولون|مسؤولين|مسئول(?:ون|ين)|دبلوماسيون|دبلوماسيين|مصدران|مصدرين|مسؤولان")
    + r"|\b(?:officials|sources|diplomats|insiders|people)\b",
    re.IGNORECASE,
)

_AR_SECOND_MENTIONS: dict[str, Wanted] = {
    normalize(noun): wanted
    for noun, wanted in {
        "الوزير": Wanted(_PERSON, ("minister",), feminine=False),
        "الوزيرة": Wanted(_PERSON, ("minister",), feminine=True),
        "المسؤول": Wanted(_OFFICIAL, feminine=False, plural=False),
        "المسؤولة": Wanted(_OFFICIAL, feminine=True),
        "المسؤولون": Wanted(_SOURCE, plural=True),
        "المتحدث": Wanted(_PERSON, ("spokes",), feminine=False),
        "المتحدثة": Wanted(_PERSON, ("spokes",), feminine=True),
        "الناطق": Wanted(_PERSON, ("spokes",), feminine=False),
        "الناطقة": Wanted(_PERSON, ("spokes",), feminine=True),
        "السفير": Wanted(_PERSON, ("ambassador",)),
        "المبعوث": Wanted(_PERSON, ("envoy",)),
        "المندوب": Wanted(_PERSON, ("representative", "ambassador")),
        "الرئيس": Wanted(_PERSON, ("president",)),
        "الدبلوماسي": Wanted(_OFFICIAL),
        "المصدر": Wanted(_SOURCE, plural=False),
        "المصادر": Wanted(_SOURCE, plural=True),
        "الوكالة": Wanted(_MEDIA),
        "الصحيفة": Wanted(_MEDIA),
        "القناة": Wanted(_MEDIA),
        "الوزارة": Wanted(_BODY, ("ministry",)),
        "البيان": Wanted(_BODY),
        "الخبير": Wanted(_PERSON, ("analyst", "expert", "research")),
        "الباحث": Wanted(_PERSON, ("analyst", "expert", "research")),
    }.items()
}
_EN_SECOND_MENTIONS: dict[str, Wanted] = {
    "minister": Wanted(_PERSON, ("minister",)),
    "official": Wanted(_OFFICIAL, plural=False),
    "officials": Wanted(_SOURCE, plural=True),
    "spokesman": Wanted(_PERSON, ("spokes",), feminine=False),
    "spokeswoman": Wanted(_PERSON, ("spokes",), feminine=True),
    "spokesperson": Wanted(_PERSON, ("spokes",)),
    "ambassador": Wanted(_PERSON, ("ambassador",)),
    "envoy": Wanted(_PERSON, ("envoy",)),
    "president": Wanted(_PERSON, ("president",)),
    "diplomat": Wanted(_OFFICIAL),
    "source": Wanted(_SOURCE, plural=False),
    "sources": Wanted(_SOURCE, plural=True),
    "agency": Wanted(_MEDIA),
    "newspaper": Wanted(_MEDIA),
    "ministry": Wanted(_BODY, ("ministry",)),
    "analyst": Wanted(_PERSON, ("analyst", "expert")),
}
_PRONOUNS: dict[str, Wanted] = {
    "he": Wanted(_PERSON, feminine=False),
    "she": Wanted(_PERSON, feminine=True),
    "it": Wanted(frozenset({"institution", "media"})),
    "they": Wanted(frozenset({"anonymous", "institution"}), plural=True),
    normalize("لكنه"): Wanted(_ANY, feminine=False),
    normalize("لكنها"): Wanted(_ANY, feminine=True),
    normalize("ولكنه"): Wanted(_ANY, feminine=False),
    normalize("ولكنها"): Wanted(_ANY, feminine=True),
}
_AR_ADJECTIVE = normalize(
    r"(?:\s+(?P<adj>الروسي|الروسية|السوري|السورية|التركي|الأمريكي|الأميركي|الأممي|الأوروبي|الإسرائيلي|الأوكراني))?"
)
# The article contracts to ل only after the preposition ل (`للصحيفة`); `لصحيفة الشرق الأوسط` (to a
# newspaper, named next) points back to no one.
_AR_SECOND = re.compile(
    r"(?<!\w)[وفبلك]{0,2}(?:ال|(?<=ل)ل)(?P<noun>"
    + "|".join(sorted((k[2:] for k in _AR_SECOND_MENTIONS), key=len, reverse=True))
    + r")(?!\w)"
    + _AR_ADJECTIVE
)
_AR_SECOND_HEADS = frozenset(
    clitics + article + noun[2:]
    for noun in _AR_SECOND_MENTIONS
    for article in ("ال", "ل")
    for clitics in ("", *"وفبلك", *(a + b for a in "وفبلك" for b in "وفبلك"))
)
"""Every written form of a second mention's noun: الوزير، والوزير، للمصادر …"""
_EN_SECOND = re.compile(
    r"\bthe\s+(?:(?P<adj>russian|syrian|turkish|u\.s\.|american|ukrainian|israeli|eu|un)\s+)?"
    rf"(?P<noun>{'|'.join(sorted(_EN_SECOND_MENTIONS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_PRONOUN = {
    "ar": re.compile(
        rf"(?<!\w)(?P<noun>{'|'.join(k for k in _PRONOUNS if not k.isascii())})(?!\w)"
    ),
    "en": re.compile(
        rf"\b(?P<noun>{'|'.join(k for k in _PRONOUNS if k.isascii())})\b", re.IGNORECASE
    ),
}


def side_of(text: str) -> str | None:
    """The side a phrase names: `مصدر عسكري روسي` → "RU"; `diplomatic source` → None."""
    return next((code for code, pattern in _SIDE_PATTERNS if pattern.search(text)), None)


def _registry_mentions(text: str, lexicon: Lexicon, language: str) -> Iterable[SpeakerMention]:
    """Names, aliases and titles from the registry, longest first: `الناطق الرئاسي ديمتري بيسكوف`."""
    for match in lexicon.find(text):
        yield _mention(match, text, language)


def _mention(match: PhraseMatch, text: str, language: str) -> SpeakerMention:
    speaker = match.actor.speaker(language, match.span.of(text))
    return SpeakerMention(
        match.span, "title" if match.is_title else "name", speaker, clitic=match.clitic
    )


def _at_words(
    pattern: re.Pattern[str], text: str, heads: frozenset[str], leads: frozenset[str] = frozenset()
) -> Iterable[re.Match[str]]:
    """`pattern` tried only where one of its head words stands (or the lead word just before it:
    `أربعة مسؤولين`), instead of at every character: the same matches, found much faster."""
    words, keys = text_words(text)
    after = 0
    for i, key in enumerate(keys):
        if key not in heads or words[i].start() < after:
            continue
        lead = i > 0 and keys[i - 1] in leads
        match = pattern.match(text, words[i - 1 if lead else i].start())
        if match:
            after = match.end()
            yield match


def _source_mentions(text: str, language: str) -> Iterable[SpeakerMention]:
    """Unnamed sources with their side: `مصدر دبلوماسي روسي` → anonymous, RU."""
    if language == "ar":
        found = _at_words(_AR_SOURCE, text, _AR_SOURCE_HEADS, _AR_SOURCE_LEADS)
    else:
        found = _EN_SOURCE.finditer(text)
    for match in found:
        groups = match.groupdict()
        clitic = groups.get("clitic") or ""
        start = match.start() + len(clitic)
        written = text[start : match.end()].rstrip()
        side = side_of(written)
        plural = bool(_PLURAL_SOURCE.search(written))
        head = groups.get("head") or groups.get("title") or ""
        speaker = Speaker(
            name=written,
            name_en=_source_name_en(side, plural),
            kind="anonymous",
            affiliation=side,
            feminine=language == "ar" and (plural or head.endswith(_TA_MARBUTA)),
            plural=plural,
        )
        how: MentionHow = "title" if groups.get("title") else "anonymous"
        yield SpeakerMention(Span(start, start + len(written)), how, speaker, clitic=clitic)


def _source_name_en(side: str | None, plural: bool) -> str:
    """`Syrian officials (unnamed)`-style English name for an unnamed source."""
    adjective = {"RU": "Russian ", "SY": "Syrian ", "TR": "Turkish ", "US": "US ", "IL": "Israeli "}
    noun = "sources" if plural else "source"
    name = f"{adjective.get(side or '', '')}{noun} (unnamed)"
    return name[:1].upper() + name[1:]  # `US source`, not `Us source` as str.capitalize() has it


def _pointing_mentions(text: str, language: str) -> Iterable[SpeakerMention]:
    """Second mentions and pronouns, to be resolved: `وأضاف المسؤول الروسي`, `he said`."""
    second, table = (
        (_AR_SECOND, _AR_SECOND_MENTIONS) if language == "ar" else (_EN_SECOND, _EN_SECOND_MENTIONS)
    )
    found = _at_words(second, text, _AR_SECOND_HEADS) if language == "ar" else second.finditer(text)
    for match in found:
        noun = match.group("noun").lower()
        wanted = table["ال" + noun if language == "ar" else noun]
        side = side_of(match.group("adj") or "")
        if side:
            wanted = Wanted(wanted.kinds, wanted.role_words, side, wanted.feminine, wanted.plural)
        yield SpeakerMention(Span(match.start(), match.end()), "anaphor", wants=wanted)
    for match in _PRONOUN["ar" if language == "ar" else "en"].finditer(text):
        wanted = _PRONOUNS[match.group("noun").lower()]
        yield SpeakerMention(Span(match.start(), match.end()), "pronoun", wants=wanted)


def find_mentions(text: str, lexicon: Lexicon, language: str) -> list[SpeakerMention]:
    """Every speaker mention in a normalised text, in order; overlaps keep the longer mention.

    `قال مصدر في الإدارة السورية الجديدة` gives one unnamed source, not the Syrian government
    inside it.
    """
    found = sorted(
        chain(
            _registry_mentions(text, lexicon, language),
            _source_mentions(text, language),
            _pointing_mentions(text, language),
        ),
        key=lambda m: (m.span.start, -len(m.span)),
    )
    kept: list[SpeakerMention] = []
    for mention in found:
        if kept and mention.span.start < kept[-1].span.end:
            if len(mention.span) > len(kept[-1].span):
                kept[-1] = mention
            continue
        kept.append(mention)
    return _titles_of_names(text, kept)


def _titles_of_names(text: str, mentions: list[SpeakerMention]) -> list[SpeakerMention]:
    """Without the unnamed officials' titles that a name follows: `المتحدثة باسم الخارجية الروسية،
    ماريا زاخاروفا` is Zakharova, her title before her name, not an unnamed spokeswoman too."""
    return [
        mention
        for mention, after in zip(mentions, [*mentions[1:], None], strict=False)
        if not (
            mention.how == "title"
            and mention.speaker is not None
            and mention.speaker.slug is None
            and after is not None
            and after.how == "name"
            and not text[mention.span.end : after.span.start].strip(" ،,")
        )
    ]


def fits(speaker: Speaker, wanted: Wanted) -> bool:
    """Whether a speaker can be what a second mention or pronoun points to."""
    role = (speaker.role or speaker.name_en).lower()
    return (
        speaker.kind in wanted.kinds
        and (not wanted.role_words or any(word in role for word in wanted.role_words))
        and wanted.affiliation in (None, speaker.affiliation)
        and wanted.feminine in (None, speaker.feminine)
        and wanted.plural in (None, speaker.plural)
    )


def resolve(wanted: Wanted, candidates: Sequence[Speaker]) -> Speaker | None:
    """The nearest fitting speaker; candidates are ordered nearest first."""
    return next((speaker for speaker in candidates if fits(speaker, wanted)), None)
