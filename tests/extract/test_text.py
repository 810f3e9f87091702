"""Normalisation with offsets, language by script, sentences and quotations."""

from app.extract.language import detect_language
from app.extract.normalize import normalize, normalize_with_offsets
from app.extract.quotes import find_quotes, quoted_parts
from app.extract.search_text import words
from app.extract.segment import split_sentences
from app.extract.types import Span


def test_normalised_spans_map_back_to_the_original_letters() -> None:
    original = "قالَ إنّ القـاعدةَ باقية"
    normalized = normalize_with_offsets(original)
    assert normalized.text == normalize(original) == "قال ان القاعده باقيه"
    start = normalized.text.index("القاعده")
    span = normalized.original(Span(start, start + len("القاعده")))
    assert span.of(original) == "القـاعدةَ"


def test_invisible_marks_are_no_part_of_the_words() -> None:
    """Direction marks (after a comma, around a name) and joiners change how text is drawn, not
    what it says: a word with a joiner inside is still one word, for matching and for search."""
    assert normalize("الروسية،\u200f ماريا \u2067Hmeimim\u2069") == "الروسيه، ماريا Hmeimim"
    assert words("قاعدة حمي\u200dميم") == ["قاعده", "حميميم"]


def test_language_follows_the_script() -> None:
    assert detect_language("قال بيسكوف (Peskov) إن القاعدتين باقيتان") == "ar"
    assert detect_language("Peskov said the bases would stay") == "en"


def test_sentences_end_at_terminators_but_not_inside_quotations_or_abbreviations() -> None:
    text = 'قال. وأضاف: «لا. نعم». The U.S. State Department declined. "We stay. Always," he said.'
    sentences = [s.of(text) for s in split_sentences(text, find_quotes(text))]
    assert sentences == [
        "قال.",
        "وأضاف: «لا. نعم».",
        "The U.S. State Department declined.",
        '"We stay. Always," he said.',
    ]


def test_quotation_marks_pair_by_context_and_close_within_the_paragraph() -> None:
    text = "عن انفتاح بلاده ”طالما هناك اتفاق”، و«مفاوضات» و“تاس”\n“مفتوح"
    quoted = [q.inner.of(text) for q in find_quotes(text)]
    assert quoted == ["طالما هناك اتفاق", "مفاوضات", "تاس"]


def test_single_quotation_marks_pair_as_brackets_and_the_apostrophe_is_no_mark() -> None:
    text = "‘Syria’s bases stay,’ he said. “We keep ‘both’ bases.” It’s ‘over’"
    quoted = [q.inner.of(text) for q in find_quotes(text)]
    assert quoted == ["Syria’s bases stay,", "We keep ‘both’ bases.", "over"]


def _parts(text: str) -> list[tuple[str, bool]]:
    text = normalize(text)
    parts = quoted_parts(text, Span(0, len(text)), find_quotes(text))
    return [(p.span.of(text), p.quoted) for p in parts]


def test_a_quotation_and_a_reported_clause_under_one_verb_are_split() -> None:
    assert _parts('"الأمور لم تتغير"، وأنها اتفقت على المشاورات') == [
        ("الامور لم تتغير", True),
        ("ها اتفقت علي المشاورات", False),
    ]


def test_a_coordinated_clause_without_a_pronoun_starts_at_its_first_word() -> None:
    assert _parts('"الأمور لم تتغير"، وأن الطرفين اتفقا على المشاورات') == [
        ("الامور لم تتغير", True),
        ("الطرفين اتفقا علي المشاورات", False),
    ]


def test_a_quoted_fragment_stays_inside_its_reported_clause() -> None:
    assert _parts("روسيا «لن تغادر» سوريا") == [("روسيا «لن تغادر» سوريا", False)]


def test_a_long_quotation_after_a_reported_clause_is_its_own_statement() -> None:
    text = 'روسيا تنظر في وجود قواعدها لكن قبل ذلك "يجب النظر كيف ستتطور العلاقات حيث أن بقاءنا سيعتمد"'
    assert [quoted for _, quoted in _parts(text)] == [False, True]
