"""The extractor end to end, on short articles."""

import datetime as dt
import unicodedata
from typing import Any

from app.extract.pipeline import RuleExtractor, extract_document
from app.extract.types import ClaimCandidate
from app.ingest.schema import ArticleDocument
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


RLM = "\u200f"


def test_a_right_to_left_mark_after_a_comma_changes_no_claim() -> None:
    """Text from a word processor or copied from social media carries an RLM after Arabic commas:
    the claims are the same, with the same words, and no span starts with the mark (or with the
    complementiser after it)."""
    cases = [
        (
            "وكانت الناطقة باسم الخارجية الروسية، ماريا زاخاروفا، قالت في وقت سابق إن العمل جارٍ مع "
            "دمشق بشأن الوجود العسكري الروسي في سوريا.",
            "العمل جارٍ مع دمشق بشأن الوجود العسكري الروسي في سوريا",
        ),
        (
            "وبحسب مصادر «بلومبرغ»، فإن روسيا تأمل في الاحتفاظ بالقواعد البحرية والجوية التي كانت "
            "تستخدمها في سوريا.",
            "روسيا تأمل في الاحتفاظ بالقواعد البحرية والجوية التي كانت تستخدمها في سوريا",
        ),
    ]
    for plain, words in cases:
        marked = plain.replace("،", "،" + RLM)
        assert [c.span.of(plain) for c in _claims(plain)] == [words]
        assert [c.span.of(marked) for c in _claims(marked)] == [words]


def test_invisible_marks_stay_out_of_the_ends_of_a_span() -> None:
    """An RLM after a number or a Latin name, before the full stop, is no part of the words; the
    diacritics of the last letter are."""
    text = (
        f"وقال لافروف إن روسيا باقية في قاعدة Hmeimim{RLM}. وقال بيسكوف إن القاعدتين باقيتانِ{RLM}."
    )
    assert [c.span.of(text) for c in _claims(text)] == [
        "روسيا باقية في قاعدة Hmeimim",
        "القاعدتين باقيتانِ",
    ]


def test_single_curly_quotation_marks_are_a_direct_quote() -> None:
    """British usage, ‘…’: the span is the words inside the marks and the claim is direct, as
    with “…”; an apostrophe inside (Russia’s) does not end it, nor a full stop."""
    cases = [
        (
            "Kremlin spokesman Dmitry Peskov said on Friday: ‘Russia will not withdraw from the "
            "Hmeimim air base.’",
            "en",
            "Russia will not withdraw from the Hmeimim air base",
        ),
        (
            "‘Russia’s bases stay in Hmeimim and Tartus,’ Peskov said on Friday.",
            "en",
            "Russia’s bases stay in Hmeimim and Tartus",
        ),
        (
            "وقال بيسكوف يوم الجمعة: ‘القوات الروسية باقية في قاعدة حميميم. لن نغادر سوريا’.",
            "ar",
            "القوات الروسية باقية في قاعدة حميميم. لن نغادر سوريا",
        ),
    ]
    for text, language, words in cases:
        (claim,) = _claims(text, language)
        assert (claim.span.of(text), claim.direct) == (words, True)


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


def test_a_date_after_the_article_is_no_statement_s_date() -> None:
    """A date such as "in 2030" names when something is to happen, not when it was said: no
    statement can be dated after the article reporting it (the format refuses it), so its date
    is unknown."""
    text = "Lavrov said in 2030 Russia would still keep its bases in Tartus."
    [lavrov] = _claims(text, "en")
    assert (lavrov.stated.value, lavrov.stated.precision) == (None, "unknown")
    said = "Lavrov said in 2024 Russia would keep its bases in Tartus."
    [earlier] = _claims(said, "en")
    assert (earlier.stated.value, earlier.stated.precision) == (dt.date(2024, 1, 1), "year")
    # Without a publication date, the article was written by today at the latest.
    planned = f"Lavrov said in {dt.date.today().year + 2} Russia would keep its bases in Tartus."
    [undated] = _claims(planned, "en", published=None)
    assert (undated.stated.value, undated.stated.precision) == (None, "unknown")
    [undated] = _claims(said, "en", published=None)
    assert (undated.stated.value, undated.stated.precision) == (dt.date(2024, 1, 1), "year")


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


def test_the_topic_of_amma_is_the_subject_of_the_verbs_after_it() -> None:
    """`أما X، ف…، وأعرب …` (as for X): X, or the one named in it, speaks; not the last speaker."""
    text = (
        "وقال وزير الدفاع السوري مرهف أبو قصرة إن القاعدتين باقيتان.\n\n"
        "أما الوفد الروسي، الذي ترأسه سيرغي لافروف، فلم يعلق على الأمر، وأكد أن القوات الروسية"
        " باقية في قاعدة حميميم.\n\n"
        "وأضاف أن قاعدة طرطوس تعمل بشكل طبيعي."
    )
    abu_qasra, lavrov, added = _claims(text)
    assert abu_qasra.speaker.name_en == "Murhaf Abu Qasra"
    assert lavrov.speaker.name_en == added.speaker.name_en == "Sergey Lavrov"


def test_without_a_topic_a_subjectless_verb_goes_on_with_the_last_speaker() -> None:
    text = (
        "وقال لافروف إن القاعدتين باقيتان.\n\n"
        "وفي ما يخص زاخاروفا، فلم تعلق، وأكد أن القوات الروسية باقية في قاعدة حميميم."
    )
    first, second = _claims(text)
    assert first.speaker.name_en == second.speaker.name_en == "Sergey Lavrov"


def test_the_narrators_aside_on_what_was_left_unsaid_is_not_part_of_the_words() -> None:
    text = (
        "وقالت وزارة الدفاع الروسية إن القوات الروسية باقية في قاعدة حميميم، دون أن تقدم تفاصيل إضافية.\n"
        "وذكرت وكالة تاس أن سفناً روسية رست في قاعدة طرطوس، من دون أن توضح عددها.\n"
        "وقال لافروف: «سنبقى في حميميم، دون أن نغير شيئاً»."
    )
    spans = [claim.span.of(text) for claim in _claims(text)]
    assert spans == [
        "القوات الروسية باقية في قاعدة حميميم",
        "سفناً روسية رست في قاعدة طرطوس",
        "سنبقى في حميميم، دون أن نغير شيئاً",
    ]
    english = (
        "A Syrian official said Damascus would not let the Hmeimim air base be used against its"
        " neighbours, but gave no indication of whether the base would stay.\n"
        "Lavrov said Russian troops would remain at the Tartus naval base, without giving a date."
    )
    official, lavrov = _claims(english, "en")
    assert official.span.of(english).endswith("be used against its neighbours")
    assert official.stance == "unclear"
    assert lavrov.span.of(english) == "Russian troops would remain at the Tartus naval base"


def test_a_postposed_attribution_leaves_its_article_to_the_speaker() -> None:
    text = "Russian forces will stay at the Tartus naval base, the Russian Defence Ministry said."
    (claim,) = _claims(text, "en")
    assert claim.span.of(text) == "Russian forces will stay at the Tartus naval base"


def test_a_speaker_on_record_telling_what_the_talks_covered_speaks_on_their_day() -> None:
    """The occasion's day, when the words report the occasion itself; an unnamed source telling
    about it later, or words about something else, say no day."""
    lead = "التقى لافروف، الخميس، وزير الخارجية السوري في موسكو لبحث العلاقات الثنائية.\n\n"
    text = lead + (
        "وقالت وزارة الدفاع الروسية في بيان إن الجانبين ناقشا مستقبل القاعدتين الروسيتين.\n\n"
        "وقال مصدر دبلوماسي إن المحادثات بين الوزيرين تناولت مصير قاعدة حميميم.\n\n"
        "وقالت زاخاروفا إن القوات الروسية باقية في قاعدة طرطوس."
    )
    ministry, source, zakharova = _claims(text)
    assert ministry.stated.value == dt.date(2025, 4, 17)
    assert source.stated.precision == zakharova.stated.precision == "unknown"
    english = (
        "Lavrov met the Syrian foreign minister in Moscow on Thursday.\n\n"
        "The Russian Defence Ministry said the two sides discussed the future of the Hmeimim air base."
    )
    (claim,) = _claims(english, "en")
    assert claim.span.of(english).startswith("the two sides discussed")
    assert claim.stated.value == dt.date(2025, 4, 17)


def test_an_agency_passing_on_a_nested_speaker_is_one_route() -> None:
    """`وذكرت وكالة تاس أن لافروف أكد أن …`: Lavrov speaks, TASS once in `via`."""
    text = "وذكرت وكالة تاس أن وزير الخارجية الروسي سيرغي لافروف أكد أن القوات الروسية باقية في حميميم."
    (claim,) = _claims(text)
    assert (claim.speaker.name_en, claim.via) == ("Sergey Lavrov", ("TASS",))


def test_according_to_a_statement_by_names_its_issuer_as_the_route() -> None:
    """`ووفقاً لبيان الوزارة، أكد …` (the ل glued to the noun): the ministry's statement carries
    the words, and a later statement relayed by it shares its day."""
    text = (
        "ووفقاً لبيان وزارة الدفاع الروسية، أكد لافروف خلال اللقاء أمس أن القوات الروسية باقية في حميميم.\n\n"
        "وذكرت وزارة الدفاع الروسية أن زاخاروفا أكدت أن قاعدة طرطوس تعمل كالمعتاد."
    )
    lavrov, zakharova = _claims(text)
    assert lavrov.via == zakharova.via == ("Russian Ministry of Defence",)
    assert lavrov.stated.value == zakharova.stated.value == dt.date(2025, 4, 18)


def test_english_reporting_constructions() -> None:
    """quoted … as saying; told a news conference; a preface before the subject; a title before a
    postposed name; an unnamed source after a comma; an unnamed spokesman."""
    text = (
        "Tass quoted Foreign Minister Sergey Lavrov as saying that Russia had no plans to leave"
        " the Tartus naval base.\n\n"
        '"The agreements signed by the former regime are being reviewed," Lavrov told a news'
        " conference in Moscow.\n\n"
        "In an interview with Reuters, Lavrov said the Hmeimim air base would operate normally.\n\n"
        "Syria has not decided whether Russia can keep its bases, Russian Foreign Minister Sergey"
        " Lavrov said on Tuesday.\n\n"
        "Russia will not withdraw from its bases in Syria, a Kremlin source told Reuters.\n\n"
        "Russian forces must leave the Hmeimim air base, a State Department spokesman said."
    )
    quoted, told, interview, undecided, source, spokesman = _claims(text, "en")
    assert (quoted.speaker.name_en, quoted.via) == ("Sergey Lavrov", ("TASS",))
    assert quoted.span.of(text) == "Russia had no plans to leave the Tartus naval base"
    assert told.span.of(text).startswith("The agreements") and told.stance == "review"
    assert interview.span.of(text) == "the Hmeimim air base would operate normally"
    assert interview.via == ("Reuters",)
    assert undecided.span.of(text) == "Syria has not decided whether Russia can keep its bases"
    assert undecided.stance == "negotiating"
    assert (source.speaker.kind, source.speaker.affiliation, source.via) == (
        "anonymous",
        "RU",
        ("Reuters",),
    )
    assert (spokesman.speaker.name_en, spokesman.stance) == ("US source (unnamed)", "leave")


def test_an_unnamed_source_close_to_a_ministry_speaks_with_its_side() -> None:
    """`An anonymous official close to the Syrian foreign ministry said …`: the whole phrase is the
    speaker (not the last one named before), and the words start at the subject of `said`."""
    text = (
        "Lavrov spoke to reporters in Moscow on Thursday. An anonymous official close to the "
        "Syrian foreign ministry said the negotiations on Hmeimim were 'slow but serious'."
    )
    (claim,) = _claims(text, "en")
    assert (claim.speaker.kind, claim.speaker.affiliation) == ("anonymous", "SY")
    assert claim.span.of(text) == "the negotiations on Hmeimim were 'slow but serious'"
    assert claim.stance == "negotiating"


def test_an_occasion_noun_straight_after_said_starts_the_words() -> None:
    """`said the meeting …` / `said the talks …`: the noun is the subject of the words; after a
    preposition (`said after the talks`) it is when the words were said."""
    text = "Lavrov said the meeting on Tartus had been useful. Lavrov said after the talks Russia would keep Hmeimim."
    first, second = _claims(text, "en")
    assert first.span.of(text) == "the meeting on Tartus had been useful"
    assert second.span.of(text) == "Russia would keep Hmeimim"


def test_a_bare_noun_phrase_before_according_to_is_no_statement() -> None:
    """A subheading run into the next sentence (`الوجود الروسي والاتفاقيات السابقة وبحسب ما أعلنه
    الكرملين، …`) says nothing: the source's words are the ones after it."""
    text = "الوجود الروسي والاتفاقيات السابقة وبحسب ما أعلنه الكرملين، بحث الجانبان مستقبل قاعدة طرطوس البحرية."
    (claim,) = _claims(text)
    assert claim.speaker.name_en == "Kremlin"
    assert claim.span.of(text) == "بحث الجانبان مستقبل قاعدة طرطوس البحرية"


def test_a_statement_before_according_to_stays_the_sources() -> None:
    text = "القوات الروسية باقية في قاعدة حميميم، وفقاً لما أعلنه الكرملين."
    (claim,) = _claims(text)
    assert claim.speaker.name_en == "Kremlin"
    assert claim.span.of(text) == "القوات الروسية باقية في قاعدة حميميم"


FRIDAY = dt.date(2025, 2, 7)


def test_a_statement_at_an_occasion_dated_by_month_takes_the_month() -> None:
    """`last month` is said from the day of writing, like `yesterday`: a statement made at the
    occasion it dates (`خلال اللقاء`, `after the talks`) takes that month."""
    arabic = (
        "واستقبل الرئيس السوري لافروف في دمشق أواخر الشهر الماضي.\n"
        "وقال لافروف خلال اللقاء إن روسيا لا تخطط لسحب قواتها من قاعدة طرطوس."
    )
    english = (
        "Lavrov travelled to Damascus late last month.\n"
        "Speaking after the talks, Lavrov said Russia had no plans to withdraw from Tartus."
    )
    for text, language in ((arabic, "ar"), (english, "en")):
        (claim,) = _claims(text, language, FRIDAY)
        assert (claim.stated.value, claim.stated.precision) == (dt.date(2025, 1, 1), "month")


def test_a_delegation_speaks_at_the_visit_it_came_on() -> None:
    text = (
        "وزار وفد روسي العاصمة السورية الشهر الماضي.\n"
        "أما الوفد الروسي، الذي ترأسه لافروف، فأكد أن القوات الروسية باقية في قاعدة حميميم."
    )
    (claim,) = _claims(text, "ar", FRIDAY)
    assert (claim.stated.value, claim.stated.precision) == (dt.date(2025, 1, 1), "month")


def test_a_month_long_past_is_not_carried_to_a_later_statement() -> None:
    text = (
        "وزار لافروف دمشق في أكتوبر الماضي.\n"
        "وقال لافروف خلال اللقاء إن روسيا لا تخطط لسحب قواتها من قاعدة طرطوس."
    )
    (claim,) = _claims(text, "ar", FRIDAY)
    assert claim.stated.precision == "unknown"


def test_an_outlet_citing_a_source_passes_the_words_on() -> None:
    """`…, according to Reuters, citing …` / `…، بحسب رويترز نقلاً عن …`: the one cited speaks and
    the outlet is the route; with no one cited, the outlet speaks in its own voice."""
    cases = [
        ("Moscow will keep Hmeimim, according to Reuters, citing two Syrian officials.", "en"),
        ("ستبقى القوات الروسية في حميميم، بحسب وكالة رويترز نقلاً عن مسؤولين سوريين.", "ar"),
    ]
    for text, language in cases:
        (claim,) = _claims(text, language)
        assert (claim.speaker.kind, claim.speaker.affiliation) == ("anonymous", "SY")
        assert claim.via == ("Reuters",)
    (own,) = _claims("Moscow will keep Hmeimim, according to Reuters.", "en")
    assert own.speaker.name_en == "Reuters" and own.via == ()


def test_an_outlet_reporting_what_a_source_said_is_the_route() -> None:
    text = "وقالت وكالة رويترز إن مصدراً عسكرياً سورياً أكد أن القوات الروسية ستبقى في قاعدة حميميم."
    (claim,) = _claims(text)
    assert (claim.speaker.kind, claim.speaker.affiliation) == ("anonymous", "SY")
    assert claim.via == ("Reuters",)


NBSP = "\u00a0"


def test_no_break_spaces_and_crlf_change_no_claim() -> None:
    """Text pasted from a web page keeps its no-break spaces (`&nbsp;`), a file saved on Windows
    its CRLF line ends: the spans are the same words, with no space at either end, and a
    quotation after `:` and a no-break space is still the speaker's own words."""
    text = (
        "قال وزير الخارجية الروسي سيرغي لافروف إن بلاده لن تسحب قواتها من قاعدة حميميم، "
        "مؤكداً أن القاعدتين باقيتان\r\n"
        "وقال بيسكوف: «القاعدة في طرطوس باقية» .\r\n"
    )
    plain = [(c.span.of(text), c.direct) for c in _claims(text)]
    pasted = text.replace(" ", NBSP)
    assert [(c.span.of(pasted), c.direct) for c in _claims(pasted)] == [
        (span.replace(" ", NBSP), direct) for span, direct in plain
    ]
    assert plain[-1] == ("القاعدة في طرطوس باقية", True)


def test_a_quotation_running_on_into_the_next_paragraph_is_the_speakers_own_words() -> None:
    """A long quotation goes on over paragraphs, its mark closed only in the last one (or, in
    English, opened again at each): the words after `:` up to the paragraph's end are still the
    speaker's, not a reported clause starting with the opening mark."""
    text = (
        "وأضاف لافروف في مؤتمر صحفي: «نحن لا نخطط للانسحاب من سوريا. القاعدتان ستبقيان في حميميم وطرطوس.\n\n"
        "وسنواصل الحوار مع القيادة السورية الجديدة حول مستقبل الوجود العسكري».\n"
    )
    (claim,) = _claims(text)
    assert (
        claim.span.of(text) == "نحن لا نخطط للانسحاب من سوريا. القاعدتان ستبقيان في حميميم وطرطوس"
    )
    assert (claim.direct, claim.stance) == (True, "stay")
    english = (
        'Kremlin spokesman Dmitry Peskov told reporters: "Our bases in Syria remain at Hmeimim and '
        "Tartus, and the agreements are in force.\n\n"
        '"We will continue talks with the new authorities in Damascus."\n'
    )
    (claim,) = _claims(english, "en")
    assert claim.span.of(english).startswith("Our bases in Syria remain")
    assert claim.direct


def test_a_speaker_taken_from_the_text_is_named_as_the_article_spells_it() -> None:
    """Speakers are found in the normalised text, where ة is ه and أ is ا: an unnamed source or
    an institution named by its words keeps the article's spelling (and its diacritics), not the
    matching form, which an editor would have to correct letter by letter."""
    text = (
        "وقالت مصادر مطّلعة إن القوات الروسية باقية في قاعدة حميميم.\n"
        "وأكد مسؤول في الإدارة السورية الجديدة أن مصير القاعدتين قيد التفاوض.\n"
        "وقالت وزارة الدفاع الروسية إن قواتها في طرطوس تعمل بشكل طبيعي."
    )
    names = [claim.speaker.name for claim in _claims(text)]
    assert names == ["مصادر مطّلعة", "مسؤول في الإدارة السورية الجديدة", "وزارة الدفاع الروسية"]


def test_a_denied_withdrawal_is_staying() -> None:
    """`نفى … أن روسيا بدأت بإخلاء حميميم` / `denied that Russia was withdrawing`: the clause
    tells what the speaker denies, and the position taken is the opposite; a quotation after the
    denial is the speaker's own words, which need no turning round."""
    text = (
        "ونفى المتحدث باسم الكرملين ديمتري بيسكوف، الخميس، أن روسيا بدأت بإخلاء قاعدة حميميم الجوية.\n"
        "ونفت وزارة الدفاع الروسية أن القوات الروسية باقية في طرطوس إلى الأبد.\n"
        "ونفى بيسكوف وجود خطط للانسحاب من حميميم، مضيفاً: «القاعدتان باقيتان»."
    )
    assert [c.stance for c in _claims(text)] == ["stay", "leave", "stay", "stay"]
    english = "Kremlin spokesman Dmitry Peskov denied on Thursday that Russia was withdrawing from Hmeimim."
    (claim,) = _claims(english, "en")
    assert claim.speaker.name_en == "Dmitry Peskov"
    assert (claim.stance, claim.stated.value) == ("stay", dt.date(2025, 4, 17))


def test_a_quotation_before_the_speaker_stays_his_words_when_a_clause_follows_the_verb() -> None:
    """`"…," Peskov said, denying reports …`: the words are the quotation before the attribution;
    what follows the comma after the verb is the narrator's, not a statement."""
    text = '"We are not leaving Hmeimim," Kremlin spokesman Dmitry Peskov said, denying reports of a withdrawal.'
    (claim,) = _claims(text, "en")
    assert (claim.span.of(text), claim.direct, claim.stance) == (
        "We are not leaving Hmeimim",
        True,
        "stay",
    )


def _presentation_forms(text: str) -> str:
    """`text` as a PDF gives it when copied: each Arabic letter in its isolated presentation form,
    lam-alef as one ligature."""

    def form(char: str) -> str:
        try:
            return unicodedata.lookup(f"{unicodedata.name(char)} ISOLATED FORM")
        except (KeyError, ValueError):
            return char

    return "".join(form(char) for char in text.replace("لا", "\ufefb"))


def test_text_in_presentation_forms_gives_the_same_claims() -> None:
    """Arabic copied from a PDF comes in presentation forms (ﻗ ﺎ ﻝ, the ligature ﻻ): search reads
    them as the letters they draw, the extractor read nothing in them; the spans cover the same
    characters of the text as given."""
    text = (
        "وقال المتحدث باسم الكرملين دميتري بيسكوف، الخميس، إن روسيا لا تخطط لسحب قواتها من قاعدة "
        "حميميم، مضيفاً: «الاتصالات مع دمشق مستمرة بشأن القاعدتين»."
    )
    pdf = _presentation_forms(text)
    assert pdf != text and len(pdf) < len(text)
    plain = [(c.speaker.name_en, c.stance, c.direct, c.stated) for c in _claims(text)]
    copied = _claims(pdf)
    assert [(c.speaker.name_en, c.stance, c.direct, c.stated) for c in copied] == plain
    assert copied[0].span.of(pdf) == _presentation_forms(
        "روسيا لا تخطط لسحب قواتها من قاعدة حميميم"
    )


def test_a_participle_after_a_verb_of_no_speech_speaks_for_that_verbs_subject() -> None:
    """`ورفض الكرملين التقارير …، قائلاً إن …`: the one who rejected is the one saying, not the
    speaker of the sentence before."""
    text = (
        "وقال المتحدث باسم الكرملين دميتري بيسكوف إن القوات الروسية باقية في حميميم.\n"
        "ورفض الكرملين التقارير التي تحدثت عن انسحاب من طرطوس، قائلاً إن القاعدة البحرية باقية."
    )
    speakers = [c.speaker.name_en for c in _claims(text)]
    assert speakers == ["Dmitry Peskov", "Kremlin"]


def test_two_speakers_of_one_verb_give_two_claims() -> None:
    """`أكد لافروف ونظيره السوري الشيباني أن …`, `Abu Qasra and Lavrov said that …`: one claim
    for each speaker (annotation conventions, "Granularity"), with the same words and date."""
    text = (
        "وأكد وزير الخارجية الروسي سيرغي لافروف ووزير الدفاع السوري مرهف أبو قصرة، الخميس، أن "
        "الاتفاقيات بشأن قاعدتي حميميم وطرطوس ستخضع للمراجعة."
    )
    claims = _claims(text)
    assert [c.speaker.name_en for c in claims] == ["Sergey Lavrov", "Murhaf Abu Qasra"]
    assert len({(c.span, c.stated, c.stance) for c in claims}) == 1
    english = (
        "Murhaf Abu Qasra and Russian Foreign Minister Sergey Lavrov said on Thursday that the "
        "Hmeimim agreement would be reviewed."
    )
    assert {c.speaker.name_en for c in _claims(english, "en")} == {
        "Murhaf Abu Qasra",
        "Sergey Lavrov",
    }
    alone = "وأكد لافروف خلال لقائه مع أبو قصرة أن القاعدتين باقيتان."
    assert [c.speaker.name_en for c in _claims(alone)] == ["Sergey Lavrov"]


def test_a_quotation_before_its_speaker_is_the_statement_whatever_follows_the_verb() -> None:
    """`"…," a senior Russian official told Reuters on condition of anonymity`: the words are the
    quotation the attribution follows, not `condition of anonymity` after the verb."""
    text = (
        '"The bases are not going anywhere," a senior Russian official told Reuters on condition '
        "of anonymity."
    )
    (claim,) = _claims(text, "en")
    assert (claim.span.of(text), claim.direct, claim.stance, claim.via) == (
        "The bases are not going anywhere",
        True,
        "stay",
        ("Reuters",),
    )


def test_according_to_what_an_agency_relayed_from_a_speaker_is_the_speakers_claim() -> None:
    """`وبحسب ما نقلته وكالة تاس عن لافروف، فإن …`: Lavrov said it, TASS relayed it (a nested
    speaker is the inner one, the reporter in `via`)."""
    text = "وبحسب ما نقلته وكالة تاس عن لافروف، فإن القاعدتين الروسيتين باقيتان في سوريا."
    (claim,) = _claims(text)
    assert (claim.speaker.name_en, claim.via) == ("Sergey Lavrov", ("TASS",))
    assert claim.span.of(text) == "القاعدتين الروسيتين باقيتان في سوريا"


def test_the_one_asked_is_the_one_who_answers() -> None:
    """`سُئل لافروف عن مصير قاعدة طرطوس، فأجاب: «…»`: the answer is Lavrov's, named in the
    sentence, not the speaker of the sentence before."""
    text = (
        "وقالت زاخاروفا إن القوات الروسية باقية في حميميم.\n"
        "وفي مقابلة مع وكالة تاس، سُئل لافروف عن مصير قاعدة طرطوس، فأجاب: «لا تغيير في وضع القاعدة»."
    )
    assert [c.speaker.name_en for c in _claims(text)] == ["Maria Zakharova", "Sergey Lavrov"]


def test_zero_width_spaces_change_no_claim() -> None:
    """Pages put zero-width spaces (U+200B), word joiners (U+2060) and stray zero-width no-break
    spaces (U+FEFF) between words to let lines break: the claims are the same, and no span starts
    with one."""
    text = "وقال المتحدث باسم الكرملين دميتري بيسكوف إن روسيا لا تخطط لسحب قواتها من قاعدة حميميم."
    plain = [(c.speaker.name_en, c.span.of(text)) for c in _claims(text)]
    for mark in ("\u200b", "\u2060", "\ufeff"):
        marked = text.replace(" ", " " + mark)
        assert [(c.speaker.name_en, c.span.of(marked)) for c in _claims(marked)] == [
            (name, words.replace(" ", " " + mark)) for name, words in plain
        ]


def test_the_base_in_a_quotation_is_the_one_its_paragraph_named() -> None:
    """`«لن ننسحب من القاعدة»` after a sentence on Hmeimim is about Hmeimim; a quotation on
    something else, or `the base` where the paragraph named no base or both, is not given one."""
    cases = [
        (
            "وزار وزير الدفاع السوري مرهف أبو قصرة قاعدة حميميم الجوية، الأربعاء، برفقة وفد عسكري. "
            "وقال المتحدث باسم الكرملين دميتري بيسكوف: «لن ننسحب من القاعدة».",
            "ar",
            [("لن ننسحب من القاعدة", ("hmeimim",))],
        ),
        (
            'Russian warships docked at Tartus on Friday. "We will not leave the base," Kremlin '
            "spokesman Dmitry Peskov said.",
            "en",
            [("We will not leave the base", ("tartus",))],
        ),
        (
            "تعرضت قاعدة حميميم لهجوم بطائرات مسيرة ليلة الأحد. وقال بيسكوف: «سنواصل الحوار مع دمشق».",
            "ar",
            [],
        ),
        (
            "وصلت سفن روسية إلى طرطوس وحطت طائرات في حميميم. وقال بيسكوف: «لن ننسحب من القاعدة».",
            "ar",
            [],
        ),
        ("زار الوفد دمشق الأربعاء. وقال بيسكوف: «لن ننسحب من القاعدة».", "ar", []),
    ]
    for text, language, claims in cases:
        found = _claims(text, language)
        assert [(c.span.of(text), c.bases) for c in found] == claims, text


def test_a_spokesman_named_only_by_a_title_the_registry_lacks_is_an_unnamed_official() -> None:
    """`المتحدث باسم وزارة الدفاع الروسية` with no name and no registry title: the claim is
    proposed, the title as written for the speaker's name (not the day after it), the side of
    the institution as the affiliation, in a document the loader accepts; a name in apposition
    still speaks."""
    for when in ("، الخميس،", " الخميس"):
        article: dict[str, Any] = {
            "key": "example-2",
            "url": None,
            "outlet": "عنب بلدي",
            "title": "عنوان",
            "published_on": "2025-04-19",
            "text": f"وقال المتحدث باسم وزارة الدفاع الروسية{when} إن القوات باقية في قاعدة حميميم.",
        }
        document = ArticleDocument.model_validate(extract_document(article, lexicon=LEXICON))
        (claim,) = document.claims
        assert (claim.speaker.name, claim.speaker.kind, claim.speaker.affiliation) == (
            "المتحدث باسم وزارة الدفاع الروسية",
            "anonymous",
            "RU",
        ), when
        assert (claim.quote, claim.stated_on) == (
            "القوات باقية في قاعدة حميميم",
            dt.date(2025, 4, 17),
        ), when
    text = "وقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن القوات باقية في قاعدة حميميم."
    assert [c.speaker.name_en for c in _claims(text)] == ["Maria Zakharova"]


def test_the_one_met_before_the_verb_is_not_its_subject() -> None:
    """`بعد لقائه لافروف، خرج أبو قصرة مؤكداً …`: Lavrov is the object of the meeting (`لقائه`,
    his meeting), Abu Qasra the subject of the verb the participle goes with."""
    for meeting in ("لقائه", "اتصاله مع", "استقباله"):
        text = f"وبعد {meeting} لافروف، خرج أبو قصرة مؤكداً أن القوات الروسية باقية في قاعدة حميميم."
        assert [c.speaker.name_en for c in _claims(text)] == ["Murhaf Abu Qasra"], text
