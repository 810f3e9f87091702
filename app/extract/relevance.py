"""Is a statement about Russia's military bases or presence in Syria (not trade, wheat, sanctions)?"""

from functools import lru_cache

from app.extract.bases import AGREEMENTS, BOTH, HMEIMIM, bases_named
from app.extract.words import Terms, lowered

PRESENCE = Terms.of(
    r"(?:وجود|تواجد|حضور)\w*\s+(?:ال)?(?:عسكري|روسي|أجنبي)"
    r"|قوات\s+(?:ال)?(?:روسي|أجنبي)\w*|قوات(?:ها|نا|ه|هم)(?!\w)|جيشنا|الجيش الروسي"
    r"|معدات\s+(?:ال)?عسكري\w*|عتاد\s+(?:ال)?عسكري|(?:عسكريين|عناصر|جنود|وحدات)\s+(?:ال)?روس"
    r"|(?:خروج|إخراج|انسحاب|مغادرة|رحيل|تخرج|يخرج|تغادر|تنسحب)\s+(?:روسيا|موسكو|القوات)"
    r"|(?:خروج|انسحاب|مغادرة|تخرج|يخرج|تغادر|يغادر|تنسحب|ينسحب)\W+(?:\w+\W+){0,2}?(?:سوريا|البلاد)"
    r"|(?:روسيا|موسكو)\W+(?:\w+\W+){0,3}?(?:وجود|تواجد)\w*",
    r"military presence|(?:russian|russia's|russians'|its|our|foreign|moscow's)\s+(?:military\s+)?"
    r"(?:presence|troops|forces|personnel|footprint)"
    r"|(?:russia|moscow)\s+(?:\w+\s+){0,2}(?:a\s+)?presence|military (?:equipment|hardware)"
    r"|(?:russia|moscow)\s+(?:to\s+)?(?:leave|withdraw|exit|pull out)|not going anywhere"
    r"|(?:leav\w*|withdraw\w*|pull\w* out)\s+(?:of\s+|from\s+)?syria",
)
OFF_TOPIC = Terms.of(
    r"قمح|حبوب|طحين|تجار\w*|اقتصاد\w*|عقوبات|نفط|غاز|طاقة|كهرباء|إعمار|استثمار|أسمدة|تسليم الأسد|الطلاب",
    r"wheat|grain|flour|trade|econom\w*|sanction\w*|oil|gas|energy|reconstruction|invest\w*"
    r"|fertili[sz]er|students?|extradit\w*",
)
_OTHER_COUNTRY = Terms.of(
    r"الولايات المتحدة|أمريك|أميرك|واشنطن|تركيا|التركي|أنقرة|إسرائيل|فرنسا|بريطانيا|إيران",
    r"united states|u\.s\.|american|turkey|turkish|israel\w*|france|french|britain|iran\w*",
)
_RUSSIA = Terms.of(
    r"روس|موسكو|الكرملين|حميميم|طرطوس", r"russia\w*|moscow\w*|kremlin|hmeimim|tartus"
)
_FORMER_PARTNERS = Terms.of(
    r"روسيا|موسكو|الروسي|النظام السابق|النظام البائد|الحكومة السابقة|البلدين|الجانبين",
    r"russia\w*|moscow|assad|former (?:government|regime)|two countries|both sides",
)
_RUSSIAN_DEMANDS = Terms.of(
    r"(?:مطالب|مقترحات|اقتراحات|شروط|عرض)\s+(?:موسكو|روسيا|الكرملين|الجانب الروسي)"
    r"|(?:المطالب|المقترحات|الاقتراحات|الشروط|العرض)\s+(?:الروسية|الروسي)(?!\w)",
    r"(?:russia's|moscow's|the kremlin's|russian) (?:demands|proposals?|offer|conditions)",
)
"""What Russia asks of Damascus or offers it (`المطالب الروسية`, `Moscow's proposals`): in an article
about the bases, the bases are what it asks and offers about."""
_REFUSAL = Terms.of(
    r"لا أستطيع التعليق|لا يمكنني التعليق|لا تعليق|رفض التعليق|امتنع عن التعليق|الخوض في"
    r"|(?:لا|لن)\s+[تين]علق",
    r"declined to (?:comment|discuss|elaborate)|no comment|cannot comment|can't comment"
    r"|(?:would|will|does|do) not comment|(?:won't|doesn't|don't) comment",
)


def military_presence(text: str) -> bool:
    """The forces or the bases as such (`القوات الروسية`, `قاعدة`), not a place name alone:
    Tartus is also a city with a commercial port (`صادرات القمح عبر ميناء طرطوس`)."""
    text = lowered(text)
    return bool(PRESENCE.search(text) or BOTH.search(text) or HMEIMIM.search(text))


@lru_cache(maxsize=512)
def about_bases(text: str) -> bool:
    """Whether a normalised text speaks of the bases or the military presence: `قواتها باقية` → True."""
    text = lowered(text)
    return bool(bases_named(text) or PRESENCE.search(text))


def foreign_only(text: str) -> bool:
    """Bases of another country: `وضع قواعدهما العسكرية` with the US and Turkey, and no Russia."""
    text = lowered(text)
    return bool(_OTHER_COUNTRY.search(text)) and not _RUSSIA.search(text)


def off_topic(text: str) -> bool:
    """Trade, wheat, energy, sanctions, Assad's extradition: `صادرات القمح` → True."""
    text = lowered(text)
    return bool(OFF_TOPIC.search(text))


def treaty_talk(text: str, *, bases_context: bool) -> bool:
    """The agreements with Russia or the former regime, in an article about the bases."""
    text = lowered(text)
    return bases_context and bool(AGREEMENTS.search(text)) and bool(_FORMER_PARTNERS.search(text))


def demands_talk(text: str, *, bases_context: bool) -> bool:
    """Russia's demands or proposals, in an article about the bases."""
    return bases_context and bool(_RUSSIAN_DEMANDS.search(lowered(text)))


def is_relevant(
    statement: str, context: str, *, bases_context: bool, inherited: bool = False
) -> bool:
    """Whether a statement counts as a claim on the bases.

    Its own words decide first (about trade, wheat or sanctions, only the forces or bases as such
    count); otherwise the question it answers or the clause it continues (`context`,
    `inherited`) may make it one.
    `وقال إن صادرات القمح ستستأنف` → False; `قال: «نعم»` after a question on Hmeimim → True;
    an absence of comment (`لا أستطيع التعليق`) is never a claim.
    """
    statement, context = lowered(statement), lowered(context)
    if foreign_only(statement) or _REFUSAL.search(statement):
        return False
    if off_topic(statement):
        return military_presence(statement)
    if about_bases(statement):
        return True
    if treaty_talk(statement, bases_context=bases_context) or demands_talk(
        statement, bases_context=bases_context
    ):
        return True
    return inherited or (about_bases(context) and not foreign_only(context))
