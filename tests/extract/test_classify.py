"""Relevance to the bases, bases named, and stance, on single statements."""

import pytest

from app.extract.bases import bases_named, bases_of_statement
from app.extract.normalize import normalize
from app.extract.relevance import is_relevant
from app.extract.stance import classify_stance


@pytest.mark.parametrize(
    ("statement", "stance"),
    [
        ("روسيا لا تخطط لسحب قواتها من قاعدتي حميميم وطرطوس", "stay"),
        ("القاعدتين تعملان بشكل طبيعي، ولم يطرأ أي تغيير على وضعهما", "stay"),
        ("أي حديث عن خروج روسيا من سوريا هو تمنيات غربية", "stay"),
        ("بلاده مستعدة لسحب قواتها في أي وقت إذا دعت الحاجة", "leave"),
        ("على دمشق إغلاق القاعدتين في أقرب وقت", "leave"),
        ("دمشق منفتحة على بقاء القاعدتين طالما تخدمان مصالح سوريا", "conditional"),
        ("وجودنا سيعتمد على توافق المصالح مع السلطات الجديدة", "conditional"),
        ("بقاءنا مستمر طالما يخدم ذلك مصالح روسيا", "stay"),
        ("دمشق ستعيد دراسة الاتفاقيات العسكرية الموقعة مع الجانب الروسي", "review"),
        ("لم تتلق موسكو أي طلبات بشأن مراجعة الاتفاقات", "stay"),
        ("من السابق لأوانه الحديث عن مصير القاعدتين", "negotiating"),
        ("الحوار حول الوجود العسكري الروسي مستمر، ولا توجد قرارات نهائية", "negotiating"),
        ("موسكو تتخذ الإجراءات اللازمة لضمان أمن قواعدها", "unclear"),
        ("Russia has no plans to abandon its naval facility at Tartus", "stay"),
        (
            "Washington had no objection as long as it does not threaten the neighbours",
            "conditional",
        ),
        (
            "the two countries were close to understandings on the legal status of the bases",
            "negotiating",
        ),
        ("Syria should expel Russian forces from its territory", "leave"),
        # on the host's consent
        ("أي قرار بشأن القاعدتين سيكون بالتوافق مع دمشق", "conditional"),
        ("القاعدتان ستبقيان إذا وافقت الحكومة السورية على ذلك", "conditional"),
        ("any decision on the bases will be taken in agreement with Damascus", "conditional"),
        ("the bases could stay with the consent of the Syrian government", "conditional"),
        ("القوات الروسية موجودة في حميميم بطلب من الحكومة السورية وستبقى", "stay"),
        ("روسيا ستبقى في حميميم بالتنسيق مع الحكومة السورية", "stay"),
        # an assessment of the agreements is a review; negation as elsewhere
        ("الاتفاقيات السابقة تخضع حالياً لتقييم قانوني شامل", "review"),
        ("Damascus is reassessing the agreements on the bases", "review"),
        ("القوات الروسية لن تنسحب من قاعدة حميميم", "stay"),
        ("اتفاقيات القاعدتين الروسيتين مع سوريا سارية المفعول", "stay"),
        ("the agreements on the Tartus naval facility are still in force", "stay"),
        ("الاتفاقيات بشأن القاعدتين لم تعد سارية", "leave"),
        ("Russian forces won't leave the Tartus naval base", "stay"),
        ("Russia never intended to leave its bases", "stay"),
        # a condition word is a word, not letters inside one (لضمان holds ان)
        ("المحادثات جارية بين الجانبين لضمان تحقيق تعاون يخدم مصلحة البلدين", "negotiating"),
        ("دمشق تربط بقاء القاعدتين بحصولها على تعويضات", "conditional"),
        ("وإذا وافقت دمشق فستبقى القاعدتان", "conditional"),
        # a new agreement is one still to be made
        ("أي اتفاق جديد بشأن القاعدتين لن يوقع قبل عرضه على البرلمان", "negotiating"),
        ("a new deal on the Tartus naval base would need parliament's approval", "negotiating"),
        # a withdrawal called baseless is none; removing equipment is a reduction
        ("talk of a Russian withdrawal from Tartus was baseless", "stay"),
        ("الحديث عن انسحاب القوات الروسية من حميميم مجرد شائعات", "stay"),
        ("Russia has begun removing equipment from the Hmeimim air base", "leave"),
        ("any foreign presence must have the approval of the Syrian government", "conditional"),
        # قد before a past verb says it has happened, before a present one that it may
        ("تكون روسيا قد بدأت بإخلاء قاعدة حميميم الجوية", "leave"),
        ("القوات الروسية قد انسحبت من حميميم", "leave"),
        ("قد تنسحب القوات الروسية من حميميم", "unclear"),
    ],
)
def test_stance(statement: str, stance: str) -> None:
    assert classify_stance(normalize(statement)) == stance


@pytest.mark.parametrize(
    ("statement", "bases"),
    [
        ("قاعدة حميميم الجوية", ("hmeimim",)),
        ("المنشأة البحرية في طرطوس", ("tartus",)),
        ("القاعدتين الروسيتين", ("hmeimim", "tartus")),
        ("Russia's bases in Syria", ("hmeimim", "tartus")),
        ("القوات الروسية في الساحل", ()),
    ],
)
def test_bases_named(statement: str, bases: tuple[str, ...]) -> None:
    assert bases_named(normalize(statement)) == bases


def test_agreements_mean_both_bases_only_in_an_article_about_them() -> None:
    statement = normalize("احترام جميع الاتفاقيات السابقة بين الجانبين")
    assert bases_of_statement(statement, bases_context=True) == ("hmeimim", "tartus")
    assert bases_of_statement(statement, bases_context=False) == ()


@pytest.mark.parametrize(
    "statement",
    [
        "صادرات القمح الروسي إلى سوريا ستستأنف عبر ميناء طرطوس التجاري",
        "العقوبات الغربية تعرقل الاقتصاد السوري",
        "دمشق تجري مفاوضات مع الولايات المتحدة وتركيا بشأن وضع قواعدهما العسكرية",
        "لا أستطيع التعليق على التقارير حول القاعدة",
        "العلاقات بين البلدين تاريخية",
        "موسكو لا تعلق على الشائعات بشأن القاعدتين",
        "the Kremlin does not comment on reports about the bases",
    ],
)
def test_not_about_the_bases(statement: str) -> None:
    assert not is_relevant(normalize(statement), "", bases_context=True)


def test_a_foreign_presence_is_a_military_presence_in_arabic_as_in_english() -> None:
    for statement in ("أي وجود أجنبي على الأرض السورية", "any foreign presence on Syrian soil"):
        assert is_relevant(normalize(statement), "", bases_context=False)


def test_russias_demands_are_about_the_bases_in_an_article_about_them() -> None:
    statement = normalize("القيادة السورية تدرس المطالب الروسية بجدية")
    assert is_relevant(statement, "", bases_context=True)
    assert not is_relevant(statement, "", bases_context=False)
    english = normalize("Damascus is studying Moscow's proposals carefully")
    assert is_relevant(english, "", bases_context=True)
    assert not is_relevant(normalize("دمشق تدرس مطالب المعارضة"), "", bases_context=True)


def test_the_question_answered_makes_a_bare_yes_a_claim() -> None:
    question = normalize("وعندما سئل عما إذا كانت روسيا ستحتفظ بقاعدة حميميم، قال")
    assert is_relevant(normalize("نعم"), question, bases_context=True)


@pytest.mark.parametrize(
    ("statement", "stance"),
    [
        # what is "still" going on decides: the talks (negotiating), not the forces (stay)
        ("المفاوضات بشأن مستقبل قاعدة حميميم الجوية ما زالت متواصلة", "negotiating"),
        ("النقاش حول وضع القاعدتين لا يزال قائماً بين البلدين", "negotiating"),
        ("the negotiations over the Hmeimim air base remain unfinished", "negotiating"),
        ("talks about the naval facility at Tartus were tough but ongoing", "negotiating"),
        ("الجنود الروس ما زالوا في قاعدة حميميم", "stay"),
        ("Russian troops remain at the Hmeimim air base", "stay"),
    ],
)
def test_talks_that_go_on_are_negotiating(statement: str, stance: str) -> None:
    assert classify_stance(normalize(statement)) == stance


@pytest.mark.parametrize(
    ("statement", "stance"),
    [
        # a withdrawal under way is leaving, with the verb's object between its parts
        ("Moscow has started pulling its soldiers out of the country", "leave"),
        ("the Russian army began pulling troops back from Syria's coast", "leave"),
        ("شرعت موسكو في سحب جنودها من الأراضي السورية", "leave"),
        # pulling back to the bases regroups the forces there: it is not leaving
        ("Russian units pulled back from Idlib to the Hmeimim air base", "unclear"),
        ("انسحبت الوحدات الروسية من ريف حماة باتجاه قاعدة حميميم", "unclear"),
        ("روسيا تسحب جنودها من قاعدة حميميم إلى روسيا", "leave"),
    ],
)
def test_withdrawal_under_way_and_withdrawal_to_the_bases(statement: str, stance: str) -> None:
    assert classify_stance(normalize(statement)) == stance


@pytest.mark.parametrize(
    "statement",
    [
        "any Russian military presence must serve the interests of the Syrian people",
        "the bases should benefit Syria first",
        "أي وجود عسكري روسي يجب أن يخدم مصالح الشعب السوري",
        "يتعين على القواعد الأجنبية خدمة مصالح السوريين",
    ],
)
def test_a_presence_required_to_serve_syria_is_conditional(statement: str) -> None:
    assert classify_stance(normalize(statement)) == "conditional"


def test_a_presence_required_to_serve_russia_is_no_condition() -> None:
    assert classify_stance(normalize("our bases must serve Russia's interests")) != "conditional"
