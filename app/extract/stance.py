"""The position a statement takes on Russia's military presence (annotation conventions, "stance").

Rules, in order: a condition on Syria's benefit or consent → conditional; agreements to be
reviewed → review; otherwise staying against leaving, each cue weighed by how close it stands to
the bases or the forces, negation turning one into the other; talks and undecided matters →
negotiating; nothing of the kind → unclear.
"""

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from app.extract.bases import BOTH, HMEIMIM, TARTUS
from app.extract.normalize import normalize
from app.extract.relevance import PRESENCE
from app.extract.types import Stance
from app.extract.words import Terms, lowered

STAY = Terms.of(
    r"بقاء\w*|باقية|باقيتان|باقون|[يت]بقى|بقيان|احتفاظ\w*|حفاظ|إبقاء\w*|سارية|سارية المفعول|نافذة|موجود حيث كان|في مواقعها|لم تتغير|لم يتغير|لم يطرأ أي تغيير|دون تغيير|بشكل طبيعي"
    r"|كالمعتاد|المعتاد|تثبيت وجود\w*|[يتن]حافظ\w*|المحافظة على|[يتن]حتفظ\w*|اعتيادي\w*"
    r"|(?:وفقا ل|على أساس|بموجب|يستند إلى|قائم على)\s*(?:ال)?(?:معاهدات|اتفاقيات|اتفاقات|القانون الدولي)"
    r"|(?:احترام|نحترم|تحترم|يحترم)\s+(?:\w+\s+){0,2}(?:ال)?(?:اتفاقيات|اتفاقات)",
    r"stay\w*|keep(?!\s+\w+ing)\w*|kept|retain\w*|in place|as usual|unchanged"
    r"|permanent\w*|not going anywhere|hold on to|in force|still valid"
    r"|based on (?:\w+ ){0,2}(?:agreements|treaties|international law)"
    r"|(?:respect|honou?r)\w* (?:\w+ ){0,2}agreements",
)
STILL = Terms.of(r"لا تزال|لا يزال|ما زال\w*|مازال\w*", r"remain\w*")
"""Staying, unless it is the talks (named before) that are still going on: `القوات لا تزال في
مواقعها` stays, `المحادثات حول القاعدة لا تزال جارية` is under negotiation."""
CONTINUES = Terms.of(
    r"مستمر\w*|استمرار|[يت]واصل|مواصلة|قانوني\w*|شرعي\w*|ضروري\w*|حيوي\w*",
    r"continu\w*|routine\w*|legal\w*|legitimate|essential|vital|indispensable",
)
"""Staying, when it is the forces or the bases (named before) that go on, are lawful or needed."""
ARRIVES = Terms.of(
    r"رست(?<!\wرست)|ترسو|عادت(?<!\wعادت)|[يت]فضل\w*",
    r"returned to|docked|moored|resum\w*|call\w* at|prefer\w*",
)
"""Staying, when ships come to a base, operations resume there or a presence is preferred (the base
or presence named after)."""
LEAVE = Terms.of(
    r"انسحاب\w*|سحب\w*|[يت]نسحب|انسحب\w*|مغادرة|[يتن]غادر\w*|غادر\w*|خروج|[يت]خرج|إخراج|إغلاق\w*"
    r"|أغلق\w*|تقليص\w*|قلص\w*|خفض\w*|تخفيض|إنهاء|إزالة|طرد|إخلاء|تخلي|[تين]تخلى|رحيل",
    r"withdraw\w*|pull\w* (?:\w+ ){0,3}?(?:out|back)|pullout|leav(?:e|ing)|exit|expel\w*|clos(?:e|ed|ing|ure)(?! to)"
    r"|shut\w*|reduc\w*|scal\w* back|evacuat\w*|abandon\w*|give up|end\w* (?:\w+ ){0,2}presence"
    r"|shrink\w*|downsiz\w*|remov(?:e|ed|es|ing|al)",
)
_TO_THE_BASES = re.compile(
    normalize(r"[^،,.;:؛]{0,60}?(?<!\w)(?:إلى|باتجاه|نحو)\s+(?:\w+\s+){0,2}?(?:قاعد|حميميم|طرطوس)")
    + r"|[^,.;:]{0,60}?\b(?:to|towards?|into)\s+(?:\w+\s+){0,2}?(?:bases?|hmeimim|tartus)"
)
"""After a withdrawal, its destination being the bases: pulling back from the front lines to
Hmeimim regroups the forces at the base, it does not take them out of Syria."""
REVIEW = Terms.of(
    r"إعادة النظر|مراجعة|مراجعت\w*|[يت]راجع|إعادة صياغة|صياغة جديدة|إعادة دراسة|ستعيد دراسة"
    r"|تعديل|صيغة جديدة|صيغة عمل|إعادة تعريف|إعادة التفاوض|ظروف عمل|شروط عمل|شروط استخدام|تقييم",
    r"review\w*|reconsider\w*|renegotiat\w*|revis\w*|revisit\w*|new formula|redefin\w*|suspend\w*"
    r"|rewrit\w*|terms of (?:use|operation)|reassess\w*|re-?evaluat\w*",
)
CHANGE = Terms.of(r"تغيير|تغير|تبديل", r"chang\w*")
"""A change denied means staying (`لم يطرأ أي تغيير`, `no hurry to change`); asserted, it decides nothing."""
NEGOTIATING = Terms.of(
    r"حوار|مفاوضات|مفاوضة|محادثات|مباحثات|مشاورات|نقاش|العمل جار\w*|مناقشة|ناقش\w*|نوقشت|بحث\w*"
    r"|التفاوض|تفاوضية|لم تحسم|لم يحسم|لم يتخذ|لا توجد قرارات|قرارات نهائية|سابق لأوانه|ليس أولوية"
    r"|قيد الدراسة|[تين]درس|تفاهمات|موضوع نقاش|اتصالات|قريبة من التوصل|لجان\w*|تنظر في|حلول"
    r"|لم [يت]\w+ بعد|ورقة|مسودة|اتفاق جديد|اتفاقية جديدة",
    r"talks|negotiat\w*|discuss\w*|dialogue|consultations?|no decisions?|not decided|premature"
    r"|too early|not a priority|no rush|no timetable|studying|contacts?|prospects|close to|under way"
    r"|understandings|matter for dialogue|solutions?|not yet|bargaining|leverage|draft|new (?:agreement|deal)",
)
_HOST_AR = r"(?:ال)?(?:دمشق|سوريا|السوريين|(?:الحكومة|السلطات|القيادة|الدولة|الإدارة) السورية|الجانب السوري)"
_HOST_EN = r"(?:damascus|syria|the syrian (?:government|side|authorities|leadership|state|people))"
"""The host whose consent a presence may hang on: `بالتوافق مع دمشق`, `with the consent of Damascus`
(not `بالتنسيق مع` / `at the request of`: coordination, or an invitation, is no condition)."""
# The condition words stand as words (with و/ف/س before them): `إن` is also the last letters of
# `لضمان`, and `ربط` of `تربط` (hence its own prefix).
_CONDITION = Terms.of(
    r"(?<!\w)[وفس]{0,2}(?:إذا|إن|في حال|طالما|ما دام\w*|مادام\w*|شرط|بشرط|شريطة|مرهون|مشروط|رهن|يعتمد على|تعتمد على"
    r"|بالتوافق|بالاتفاق مع|[يت]?ربط\w*|يجب|ينبغي|يتعين|لا بد)\W+(?:\w+\W+){0,6}?"
    r"(?:مصالح|مصلحة|فوائد|فائدة|يخدم|تخدم|توافق|وافق\w*|يوافق|رغب|ترغب|يرغب|موافقة|بموافقة|أصدقائنا"
    r"|تعويض\w*)"
    r"|(?:يقرره|تقرره|يقرر|تقرر|يحسم|يُحسم|يحدده)\W+(?:\w+\W+){0,4}?(?:الشعب السوري|السوريون|السوريين)"
    r"|يقودها السوريون|(?:قرار|خيارات|خيار) (?:الشعب السوري|السوريين)"
    rf"|(?:بالتوافق|بالاتفاق|بموافقة|بقبول)\s+(?:مع\s+)?{_HOST_AR}",
    r"(?:if|as long as|provided|on condition|depends? on|subject to|in agreement with|must include"
    r"|tied to|ties|must|should|has to|have to|needs? to)\W+(?:\w+\W+){0,6}?"
    r"(?:interests?|benefit\w*|serve\w*|consent|wish\w*|wants?|agree\w*|threaten\w*|approv\w*"
    r"|compensation)"
    r"|(?:for|up to) (?:the )?syrians? (?:people )?to decide|syrians' (?:decision|choice)"
    rf"|(?:in agreement with|the (?:consent|agreement|approval|blessing) of) {_HOST_EN}",
)
_CONDITION_HINT = re.compile(
    normalize(
        r"مصالح|مصلحة|فوائد|فائدة|يخدم|تخدم|توافق|وافق|رغب|موافقة|أصدقائنا|تعويض|يقرر|تقرر|يحسم|يحدده"
    )
    + normalize(r"|السوريون|السوريين|الشعب السوري|دمشق|سوري")
    + r"|interest|benefit|serve|consent|wish|want|agree|threaten|approv|compensation|syria|damascus"
)
"""A word every condition on Syria's benefit or consent needs: without one, no condition."""
_RUSSIA_BENEFITS = re.compile(
    normalize(r"\W*(?:\w+\W+){0,2}?(?:روسيا|موسكو|مصالحنا)") + r"|\W*(?:\w+\W+){0,2}?russia"
)
"""After the benefit word, Russia as the one served: `طالما يخدم ذلك مصالح روسيا` is staying."""
_NEGATOR = re.compile(
    normalize(r"^(?:لا|لم|لن|ليس|ليست|غير|عدم|دون|بدون|ولا|ولم|ولن|وليس)$")
    + r"|^(?:no|not|never|nobody|without|nor|cannot|\w+n't)$"
)
_CLAUSE_BREAK = re.compile(
    normalize(r"[،,.;:؛!?؟]|(?<!\w)[بو]?أن(?!\w)|(?<!\w)ما إذا(?!\w)") + r"|\b(?:that|whether)\b"
)
"""Where a negation's reach ends: `has not decided whether Russia can keep` denies the deciding."""
_WANT_THAT = re.compile(
    normalize(r"((?:تريد|يريد|نريد|تنوي|ينوي|ننوي|تعتزم|يعتزم|تخطط|يخطط|نخطط)\s+)أن(?!\w)")
    + r"|\b((?:want|wants|plan|plans|intend|intends)\w*\s+)that\b"
)
_TOPIC = re.compile(
    normalize(
        r"(?<!\w)(?:بشأن|حول|مصير|مستقبل|حجم|مسألة|قضية|ملف|عن|[وفس]?[تين]?(?:بحث|ناقش|تناول|درس)\w*"
        r"|مناقشة|يمكن أن|قد)(?!\w)"
    )
    + r"|\b(?:on|about|over|future of|fate of|question of|whether|regarding|discuss\w*|could|may|might)\b"
)
_PERFECT = re.compile(normalize(r"(?<!\w)قد(?=\s+(?![يتن])\w+(?:ت|وا)(?!\w))"))
"""قد before a past verb (`قد بدأت`, `قد انسحبت`): it has happened; only before a present one
(`قد تنسحب`) does it say it may."""
_DISMISSAL = Terms.of(
    r"لن تنجح|لن ينجح|تمنيات|عبثاً|لا أساس|تكهنات|شائعات|لا صحة|عار\w* عن الصحة|غير صحيح\w*",
    r"wishful|will fail|won't succeed|futile|nonsense|speculation|baseless|groundless|unfounded"
    r"|untrue|not true|rumou?rs?",
)
_NEAR_DEAL = Terms.of(
    r"قريب\w* من (?:التوصل|اتفاق)",
    r"close to (?:an? )?(?:agreement|deal)|near(?:ing)? (?:an? )?(?:agreement|deal)",
)
"""Close to a deal is still a deal under talks, whatever the deal would keep or cut."""
_EITHER = Terms.of(r"أو (?:ال)?(?:انسحاب|بقاء|البقاء)", r"or (?:withdraw|leave|stay)")
_NEAR = 30
_BASES = (BOTH, HMEIMIM, TARTUS)
_PRESENCE_OR_BASES = (PRESENCE, *_BASES)


def _negated(text: str, start: int) -> bool:
    """A negation among the seven words before, within the same clause: `لا تخطط لسحب` → True.

    A complementiser ends the clause (`لا تخفي أن الحفاظ`), except after a verb of wanting, whose
    negation carries over (`لا تريد أن تخرج روسيا`)."""
    window = _WANT_THAT.sub(r"\1 ", text[max(0, start - 50) : start])
    window = _CLAUSE_BREAK.split(window)[-1]
    return any(_NEGATOR.match(word) for word in re.findall(r"[\w']+", window)[-7:])


def _topic(text: str, start: int) -> bool:
    """Named as the subject of talks or a possibility, not taken as a position: `مسألة بقاء`."""
    before = re.findall(r"[\w']+", text[max(0, start - 50) : start])[-3:]
    word = re.compile(r"\w*").match(text, start).group()  # type: ignore[union-attr]  # always
    words = _PERFECT.sub(" ", " ".join([*before, word]))  # the word itself: `قد انسحبت`
    return bool(_TOPIC.search(words[: len(words) - len(word)]))


@lru_cache(maxsize=64)
def _presence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where a statement names the bases or the forces (found once per statement)."""
    return tuple(sorted((m.start(), m.end()) for p in _PRESENCE_OR_BASES for m in p.finditer(text)))


def _near_presence(text: str, start: int, end: int) -> bool:
    """Whether the bases or the forces are named within a few words of a cue."""
    return any(s < end + _NEAR and e > start - _NEAR for s, e in _presence_spans(text))


def _goes_on(text: str, start: int) -> str | None:
    """What goes on at a continuing or `still` cue: the nearest thing named before it, "presence"
    (the forces, the bases) or "talks" (a topic of talks does not count): `الوجود العسكري … وهو
    مستمر` → presence; `الحوار حول الوجود العسكري مستمر` → talks."""
    begin = max(0, start - 80)
    present = [
        e for s, e in _presence_spans(text) if begin <= s and e <= start and not _topic(text, s)
    ]
    talks = [m.end() for m in NEGOTIATING.finditer(text, begin, start)]
    if not present and not talks:
        return None
    return "presence" if max(present, default=-1) > max(talks, default=-1) else "talks"


def _to_the_bases(text: str, end: int) -> bool:
    """A withdrawal whose destination is the bases: `انسحبت … من ريف حماة باتجاه قاعدة حميميم`."""
    return _TO_THE_BASES.match(text, end) is not None


def _votes(text: str) -> Iterable[tuple[Stance, int]]:
    """(stance, weight) for each staying or leaving cue; negation flips it, a topic drops it."""
    dismissed = bool(_DISMISSAL.search(text))
    stance: Stance
    for pattern, stance in (
        (STAY, "stay"),
        (LEAVE, "leave"),
        (STILL, "stay"),
        (CONTINUES, "stay"),
        (ARRIVES, "stay"),
    ):
        for m in pattern.finditer(text):
            near = _near_presence(text, m.start(), m.end())
            if pattern is CONTINUES and _goes_on(text, m.start()) != "presence":
                continue
            if pattern is STILL and _goes_on(text, m.start()) == "talks":
                continue
            if pattern is LEAVE and _to_the_bases(text, m.end()):
                continue
            if pattern is ARRIVES and not any(
                p.search(text, m.end(), m.end() + 40) for p in _PRESENCE_OR_BASES
            ):
                continue
            negated = _negated(text, m.start())
            if not negated and _topic(text, m.start()) and not (dismissed and stance == "leave"):
                continue
            flipped = negated or (dismissed and stance == "leave")
            yield ("leave" if stance == "stay" else "stay") if flipped else stance, 1 + near
    for pattern in (REVIEW, CHANGE):
        for m in pattern.finditer(text):
            if _negated(text, m.start()):
                yield "stay", 1 + _near_presence(text, m.start(), m.end())


def _conditional(text: str) -> bool:
    """Accepted on Syria's benefit or consent, not Russia's: `طالما تخدمان مصالح سوريا` → True."""
    if not _CONDITION_HINT.search(text):
        return False
    return any(not _RUSSIA_BENEFITS.match(text, m.end()) for m in _CONDITION.finditer(text))


def _reviewed(text: str) -> bool:
    return any(not _negated(text, m.start()) for m in REVIEW.finditer(text))


def classify_stance(text: str) -> Stance:
    """The stance of a normalised statement: `روسيا لا تخطط لسحب قواتها` → "stay"."""
    text = lowered(text)
    if _conditional(text):
        return "conditional"
    if _reviewed(text):
        return "review"
    if _EITHER.search(text) or _NEAR_DEAL.search(text):
        return "negotiating"
    votes: Counter[Stance] = Counter()
    for stance, weight in _votes(text):
        votes[stance] += weight
    if votes:
        return max(votes, key=lambda s: (votes[s], s == "stay"))
    return "negotiating" if NEGOTIATING.search(text) else "unclear"


_OPPOSITE: dict[Stance, Stance] = {"stay": "leave", "leave": "stay"}


def denied(stance: Stance) -> Stance:
    """The position taken by denying a statement: denying a withdrawal is staying, denying that
    the forces stay is leaving; denying talks or a review takes no position the other way."""
    return _OPPOSITE.get(stance, stance)
