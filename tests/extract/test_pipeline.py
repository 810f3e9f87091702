"""The extractor end to end, on short articles."""

import datetime as dt
from typing import Any

from app.extract.pipeline import RuleExtractor, extract_document
from app.extract.types import ClaimCandidate
from tests.extract.registry import LEXICON

SATURDAY = dt.date(2025, 4, 19)


def _claims(
    text: str, language: str = "ar", published: dt.date | None = SATURDAY
) -> list[ClaimCandidate]:
    claims = RuleExtractor().extract(text, published=published, language=language, lexicon=LEXICON)
    for claim in claims:
        assert claim.span.of(text).strip() == claim.span.of(text)
    return claims


def test_reported_speech_a_participle_and_a_quotation() -> None:
    text = (
        "وقال المتحدث باسم الكرملين دميتري بيسكوف، الخميس، إن روسيا لا تخطط لسحب قواتها من قاعدة حميميم، "
        "مضيفاً: «الاتصالات مع دمشق مستمرة بشأن القاعدتين»."
    )
    first, second = _claims(text)
    assert first.speaker.name_en == second.speaker.name_en == "Dmitry Peskov"
    assert first.span.of(text) == "روسيا لا تخطط لسحب قواتها من قاعدة حميميم"
    assert (first.direct, first.stance, first.bases) == (False, "stay", ("hmeimim",))
    assert first.stated.value == dt.date(2025, 4, 17)
    assert second.span.of(text) == "الاتصالات مع دمشق مستمرة بشأن القاعدتين"
    assert (second.direct, second.stance, second.stated) == (True, "negotiating", first.stated)


def test_a_relayed_unnamed_source_keeps_the_agency_as_via() -> None:
    text = "نقلت وكالة تاس عن مصدر دبلوماسي (لم تسمه)، أن دمشق لا تعتزم إنهاء الاتفاقيات المتعلقة بالقواعد الروسية."
    (claim,) = _claims(text)
    assert claim.speaker.kind == "anonymous" and claim.via == ("TASS",)
    assert claim.stance == "stay" and claim.stated.precision == "unknown"


def test_hidden_subjects_and_earlier_statements() -> None:
    text = (
        "وكانت الناطقة باسم الخارجية الروسية، ماريا زاخاروفا، قالت في وقت سابق إن العمل جار بشأن الوجود العسكري.\n"
        "وأضافت أن القاعدتين تعملان بشكل طبيعي."
    )
    first, second = _claims(text)
    assert first.speaker.name_en == second.speaker.name_en == "Maria Zakharova"
    assert first.stated.precision == second.stated.precision == "unknown"
    assert second.stance == "stay"


def test_trade_and_unattributed_narration_are_not_claims() -> None:
    text = (
        "وقال بيسكوف إن صادرات القمح إلى سوريا ستستأنف قريباً.\n"
        "وتتمسك موسكو بالحفاظ على قاعدتي حميميم وطرطوس.\n"
        "ولم يعلق لافروف على مصير القاعدتين."
    )
    assert _claims(text) == []


def test_english_post_posed_attribution_and_according_to() -> None:
    text = (
        '"We are not going anywhere. Our bases stay," Lavrov told reporters on Friday. '
        "Russia is moving equipment to Hmeimim air base, according to Bloomberg."
    )
    lavrov, bloomberg = _claims(text, "en")
    assert lavrov.speaker.name_en == "Sergey Lavrov" and lavrov.direct
    assert lavrov.span.of(text) == "We are not going anywhere. Our bases stay"
    assert lavrov.stated.value == dt.date(2025, 4, 18)
    assert bloomberg.speaker.name_en == "Bloomberg"
    assert bloomberg.span.of(text) == "Russia is moving equipment to Hmeimim air base"


def test_the_document_follows_the_format_and_drops_the_outlet_as_its_own_route() -> None:
    article: dict[str, Any] = {
        "key": "example-1",
        "url": None,
        "outlet": "رويترز",
        "title": "عنوان",
        "published_on": "2025-04-19",
        "text": "وقال مصدر سوري لوكالة رويترز إن القاعدتين لن تغلقا.",
    }
    document = extract_document(article, lexicon=LEXICON)
    assert document["format"] == "annotated-article/1"
    assert document["article"]["language"] == "ar"
    (claim,) = document["claims"]
    assert claim["via"] == []
    assert claim["quote"] == article["text"][claim["start"] : claim["end"]]
    assert (claim["status"], claim["extractor"], claim["summary_machine"]) == (
        "extracted",
        "basewatch-rules/1",
        True,
    )
