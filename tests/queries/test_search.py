from pathlib import Path

from sqlalchemy import bindparam, func, literal, literal_column, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.extract.search_text import search_text
from app.ingest.batch import load_paths
from app.queries.search import all_of, highlight, matching_words, query_words
from tests.factories import article_doc, statements_sent, write_json

TEXTS = ["قال إن القوات الروسية باقية في قاعدة حميميم", "Moscow will not withdraw from Hmeimim"]


def test_matching_words_asks_the_database_once_per_search_and_word(session: Session) -> None:
    with statements_sent(session) as asked:
        first = matching_words(session, TEXTS, "حميميم withdrawal")
        assert first == {"حميميم", "Hmeimim", "withdraw"}
        assert matching_words(session, TEXTS, "حميميم withdrawal") == first
        assert matching_words(session, [*TEXTS, "Tartus"], "حميميم withdrawal") == first
        assert sum("unnest" in sql for sql in asked) == 2  # the first page, then the new word
        assert matching_words(session, TEXTS, "طرطوس") == set()


def test_highlight_marks_whole_written_words_only() -> None:
    text = "قاعدةٌ والقاعدة، قاعدة_x withdraw withdrawal (withdraw) Rewithdraw ـقاعدة قاعدة"
    pieces = highlight(text, frozenset({"قاعدة", "withdraw", "القاعدة"}))
    assert "".join(piece for piece, _ in pieces) == text
    # A word carrying a diacritic or tatweel, or joined by "_", is another written word.
    assert [piece for piece, marked in pieces if marked] == ["withdraw", "withdraw", "قاعدة"]
    assert highlight(text, frozenset()) == ((text, False),)


def test_the_search_vector_is_computed_again_only_when_a_text_of_it_is_written(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """An UPDATE that writes neither the search text nor the summary (an editor's stance, an
    article's language copied to its claims) does not run `to_tsvector`; one that writes either,
    or the vector itself, gets the vector of its texts."""
    path = write_json(tmp_path / "a.json", article_doc())
    assert load_paths(maker, [path], max_bytes=10**7).refused == []
    computed = "strip(to_tsvector('arabic', search_text) || to_tsvector('english', summary_en))"
    session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # no pending events: ALTER TABLE may run

    def make_stale() -> None:
        session.execute(text("ALTER TABLE claims DISABLE TRIGGER claims_search_vector"))
        session.execute(text("UPDATE claims SET search_vector = 'stale'"))
        session.execute(text("ALTER TABLE claims ENABLE TRIGGER claims_search_vector"))

    def all_computed() -> bool | None:
        return session.scalar(text(f"SELECT bool_and(search_vector = {computed}) FROM claims"))

    make_stale()
    session.execute(text("UPDATE claims SET stance = 'leave', language = 'en', version = 2"))
    assert session.scalars(text("SELECT DISTINCT search_vector::text FROM claims")).all() == [
        "'stale'"
    ]
    for written in ("summary_en = summary_en", "search_text = search_text", "search_vector = ''"):
        make_stale()
        assert all_computed() is False
        session.execute(text(f"UPDATE claims SET {written}"))
        assert all_computed(), written


def _found(session: Session, texts: list[str], q: str) -> list[str]:
    """The texts that the search `q` finds, each indexed as a claim's search text is."""
    query = all_of(query_words(q))
    indexed = func.to_tsvector(literal_column("'arabic'::regconfig"), bindparam("indexed"))
    found = select(literal(True)).where(indexed.op("@@")(query))
    return [t for t in texts if session.scalar(found, {"indexed": search_text(t)})]


def test_a_word_finds_what_it_finds_with_the_definite_article(session: Session) -> None:
    """The stemmer cuts a word with its article shorter (الاتفاقيات → اتفاق) than the same word
    without (اتفاقيات → اتفاقيا): typed either way, a search finds the same statements."""
    texts = [
        "استمرار الاتفاق مع دمشق",
        "الاتفاقات حول القاعدتين",
        "اتفاقيات جديدة",
        "الاتفاقيات المبرمة",
        "يتطلب مزيدا من المفاوضات",
        "مفاوضات مستقبلية",
        "مع السلطات السورية",
        "سلطات جديدة",
    ]
    for bare in ["اتفاقيات", "مفاوضات", "سلطات", "اتفاقية", "جديدة"]:
        with_article = _found(session, texts, "ال" + bare)
        assert with_article, bare
        assert _found(session, texts, bare) == with_article, bare


def test_a_hamza_on_either_seat_finds_the_word_spelt_with_the_other(session: Session) -> None:
    """مسؤول and مسئول, شؤون and شئون are one word in two spellings (Levantine and Egyptian
    usage): the stemmer reads ؤ as و and ئ as ي, so a search typed with one seat missed the
    statements written with the other. Both are found, and marked, whichever is typed."""
    texts = ["قال مسؤول روسي", "قال مسئول روسي", "في شؤون القاعدة", "في شئون القاعدة", "رئيس"]
    for q in ["مسؤول", "مسئول", "المسئول"]:
        assert _found(session, texts, q) == texts[:2], q
    assert _found(session, texts, "شئون") == texts[2:4]
    assert _found(session, texts, "رئيس") == ["رئيس"]
    assert matching_words(session, texts, "مسئولين مسؤول") == {"مسؤول", "مسئول"}


def test_the_article_after_the_preposition_li_is_unwrapped_as_any_other(session: Session) -> None:
    """ل before the article drops its alef (للقوات: for the forces): a search for قوات or
    القوات missed it, and one typed as للقوات found the word only with the article. Every form
    finds every other; a word of its own that starts with ل keeps it (للبنان: for Lebanon)."""
    for word in ["قوات", "مفاوضات", "حكومة"]:
        texts = [word, "ال" + word, "لل" + word, "بال" + word, "ولل" + word, "فال" + word]
        for q in texts:
            assert _found(session, texts, q) == texts, q
    for q in ["لبنان", "للبنان"]:
        assert _found(session, ["للبنان", "لبنان"], q) == ["للبنان", "لبنان"], q


def test_a_feminine_noun_with_a_pronoun_after_it_is_found_by_the_noun(session: Session) -> None:
    """Before a pronoun (اتفاقيتها: its agreement) ة is written ت, as in the dual: the stemmer
    cuts اتفاقيتها to اتفاقي and اتفاقية to اتفاق, so a search for the agreement missed every
    statement that spoke of "its" or "our" agreement."""
    texts = ["اتفاقيتها", "اتفاقيته", "اتفاقيتهم", "اتفاقيتنا", "اتفاقيتكم", "الاتفاقية"]
    for q in ["اتفاقية", "الاتفاقية", "اتفاقيتنا"]:
        assert _found(session, texts, q) == texts, q
    assert matching_words(session, ["وقعت اتفاقيتها"], "الاتفاقية") == {"اتفاقيتها"}


def test_letters_typed_on_a_persian_keyboard_read_as_the_arabic_they_look_like(
    session: Session,
) -> None:
    """A Persian keyboard types ی (U+06CC) for ي and ى, and ک (U+06A9) for ك: روسیا looks like
    روسيا but found nothing, whichever side it was written on."""
    texts = ["قال إن روسيا باقية", "قال إن روسیا باقیة في الکرملين", "مستشفى الكرملين"]
    assert _found(session, texts, "روسيا") == texts[:2]
    assert _found(session, texts, "روسیا") == texts[:2]
    assert _found(session, texts, "الکرملين") == texts[1:]
    assert _found(session, texts, "مستشفی") == texts[2:]


def test_a_final_hamza_after_ya_is_found_as_on_its_seat(session: Session) -> None:
    """A word's last hamza is written on a seat (الموانئ: the ports) or, in older and Egyptian
    usage, after ى (الموانىء): the two found nothing of each other."""
    texts = ["في الموانئ السورية", "في الموانىء السورية", "في المواني السورية", "لا شيء"]
    assert _found(session, texts, "الموانئ") == texts[:2]
    assert _found(session, texts, "موانىء") == texts[:2]
    assert _found(session, texts, "شئ") == texts[3:]


def test_a_verb_in_the_present_finds_it_in_the_future(session: Session) -> None:
    """The future particle س (سيبقى: will stay) is stripped by the stemmer from some verbs only:
    not from a short one (سيتم) nor, once ى is normalised to ي, from سيبقى. A search for the verb
    finds it said in the future too, and marks it; أبقى does not find السابق (the former)."""
    texts = ["سيبقى الجنود", "يبقى الجنود", "وستبقى القوات", "سيتم الانسحاب", "يتم الانسحاب"]
    assert _found(session, texts, "يبقى") == texts[:2]
    assert _found(session, texts, "تبقى") == texts[2:3]
    assert _found(session, texts, "يتم") == texts[3:]
    assert _found(session, ["الرئيس السابق", "ابقى"], "أبقى") == ["ابقى"]
    assert matching_words(session, ["سيتم الانسحاب"], "يتم") == {"سيتم"}
