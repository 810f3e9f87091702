"""Speaker mentions: registry names with clitics, titles, unnamed sources, second mentions."""

from app.extract.lexicon import Lexicon
from app.extract.normalize import normalize
from app.extract.speakers import find_mentions, resolve
from app.extract.types import Speaker
from tests.extract.registry import LEXICON


def _mentions(text: str, language: str = "ar") -> list[tuple[str, str, str | None]]:
    text = normalize(text)
    return [
        (m.span.of(text), m.how, m.speaker.name_en if m.speaker else None)
        for m in find_mentions(text, LEXICON, language)
    ]


def test_names_titles_and_names_with_a_clitic() -> None:
    assert _mentions("وقال المتحدث باسم الكرملين ديمتري بيسكوف لوكالة تاس") == [
        ("المتحدث باسم الكرملين", "title", "Dmitry Peskov"),
        ("ديمتري بيسكوف", "name", "Dmitry Peskov"),
        ("وكاله تاس", "name", "TASS"),
    ]


def test_of_two_overlapping_registry_phrases_the_longer_wins() -> None:
    """`the Kremlin` (an alias) starts first, but `Kremlin spokesman` (a title) is longer."""
    assert _mentions("The Kremlin spokesman said", "en") == [
        ("Kremlin spokesman", "title", "Dmitry Peskov")
    ]
    assert _mentions("According to the Kremlin, the bases stay", "en") == [
        ("the Kremlin", "name", "Kremlin")
    ]
    assert _mentions("وقال المتحدث باسم الكرملين") == [
        ("المتحدث باسم الكرملين", "title", "Dmitry Peskov")
    ]


def test_a_noun_after_the_preposition_li_points_back_only_with_the_article() -> None:
    """`للصحيفة` (to the newspaper) is a second mention; `لصحيفة الشرق الأوسط` (to a newspaper,
    named next) is not, and must not pick up the last outlet named."""
    assert _mentions("وقال للصحيفة") == [("للصحيفه", "anaphor", None)]
    assert _mentions("وقال مسؤول سوري لصحيفة الشرق الأوسط")[1:] == []


def test_an_unnamed_spokesman_is_an_unnamed_source_of_his_side() -> None:
    assert _mentions("وقال متحدث باسم وزارة الخارجية الأمريكية") == [
        ("متحدث باسم وزاره الخارجيه الامريكيه", "anonymous", "US source (unnamed)")
    ]
    assert _mentions("a State Department spokesman said", "en") == [
        ("a State Department spokesman", "anonymous", "US source (unnamed)")
    ]
    assert _mentions("وقال المتحدث باسم الكرملين") == [
        ("المتحدث باسم الكرملين", "title", "Dmitry Peskov")
    ]


def test_an_institution_named_without_its_nationality_when_that_is_unambiguous() -> None:
    assert _mentions("ذكرت وزارة الخارجية والمغتربين") == [
        ("وزاره الخارجيه والمغتربين", "name", "Syrian Ministry of Foreign Affairs")
    ]


def test_a_title_names_no_one_for_another_office() -> None:
    """The registry knows the Syrian defence minister, and the Russian foreign minister: the
    Russian defence minister is not the first (his title, without its nationality, is followed
    by another), nor is the foreign minister's deputy or assistant the second."""
    assert _mentions("قال وزير الدفاع الروسي إن") == []
    assert _mentions("قال نائب وزير الخارجية الروسي إن") == []
    assert _mentions("وقال مساعد وزير الخارجية الروسي") == []
    assert _mentions("قال وزير الدفاع إن") == [("وزير الدفاع", "title", "Murhaf Abu Qasra")]
    assert _mentions("قال وزير الدفاع السوري")[0][2] == "Murhaf Abu Qasra"
    assert _mentions("قال لافروف الروسي") == [("لافروف", "name", "Sergey Lavrov")]


def test_possessive_english_form_of_a_registry_name() -> None:
    assert (
        _mentions("Syria's foreign ministry said", "en")[0][2]
        == "Syrian Ministry of Foreign Affairs"
    )


def test_unnamed_sources_with_their_side() -> None:
    text = normalize("قال مسؤول عسكري في وزارة الدفاع السورية لعنب بلدي")
    (source,) = find_mentions(text, LEXICON, "ar")
    assert source.how == "anonymous" and source.speaker is not None
    assert source.span.of(text) == "مسؤول عسكري في وزاره الدفاع السوريه"
    assert source.speaker.affiliation == "SY"


def test_a_second_mention_resolves_to_the_nearest_fitting_speaker() -> None:
    text = normalize("وأضاف الوزير السوري")
    (minister,) = find_mentions(text, LEXICON, "ar")
    assert minister.how == "anaphor" and minister.wants is not None
    lavrov = LEXICON.actor_named("لافروف")
    abu_qasra = LEXICON.actor_named("أبو قصرة")
    assert lavrov and abu_qasra
    candidates: list[Speaker] = [lavrov.speaker("ar", ""), abu_qasra.speaker("ar", "")]
    resolved = resolve(minister.wants, candidates)
    assert resolved is not None and resolved.name_en == "Murhaf Abu Qasra"


def test_a_person_known_by_one_name_is_found_and_agrees_by_that_name() -> None:
    """A registry may hold a person by one word (an editor typed just "Khoury"): the lexicon
    still builds, and a woman's single name in -a still reads as feminine."""
    one_word: list[dict[str, object]] = [
        {"slug": slug, "kind": "person", "name_ar": ar, "name_en": en, "name_ru": None,
         "role": None, "affiliation": "SY", "aliases": [], "titles": []}
        for slug, ar, en in [("khoury", "خوري", "Khoury"), ("rania", "رانيا", "Rania")]
    ]  # fmt: skip
    lexicon = Lexicon.from_registries({"format": "actor-registry/1", "actors": one_word})
    feminine = {actor.slug: actor.feminine for actor in lexicon.actors}
    assert feminine == {"khoury": False, "rania": True}
    found = find_mentions(normalize("وقال خوري إن القاعدة باقية"), lexicon, "ar")
    assert [m.speaker.slug for m in found if m.speaker] == ["khoury"]


def test_an_unnamed_source_in_the_accusative_after_inna() -> None:
    """`إن مصدراً أمنياً سورياً أكد`: after إنّ the noun and its adjectives take the accusative."""
    assert _mentions("ذكرت الوكالة أن مسؤولاً عسكرياً سورياً أكد") == [
        ("الوكاله", "anaphor", None),
        ("مسؤولا عسكريا سوريا", "anonymous", "Syrian source (unnamed)"),
    ]


def test_an_unnamed_source_close_to_a_ministry() -> None:
    assert _mentions("An anonymous official close to the Turkish defence ministry said", "en") == [
        (
            "An anonymous official close to the Turkish defence ministry",
            "anonymous",
            "Turkish source (unnamed)",
        )
    ]
