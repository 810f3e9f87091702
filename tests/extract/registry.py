"""A small actor registry for the extractor tests (plain dicts, as the registry file holds them)."""

from app.extract.lexicon import Lexicon


def _actor(
    slug: str,
    kind: str,
    ar: str,
    en: str,
    role: str | None,
    side: str | None,
    aliases: list[str],
    titles: list[str],
) -> dict[str, object]:
    return {
        "slug": slug, "kind": kind, "name_ar": ar, "name_en": en, "name_ru": None, "role": role,
        "affiliation": side, "aliases": aliases, "titles": titles,
    }  # fmt: skip


REGISTRY = {
    "format": "actor-registry/1",
    "actors": [
        _actor("dmitry-peskov", "person", "ديمتري بيسكوف", "Dmitry Peskov", "Kremlin spokesman", "RU",
               ["بيسكوف", "Peskov"], ["المتحدث باسم الكرملين", "Kremlin spokesman"]),
        _actor("maria-zakharova", "person", "ماريا زاخاروفا", "Maria Zakharova",
               "Spokeswoman of the Russian Foreign Ministry", "RU", ["زاخاروفا", "Zakharova"],
               ["الناطقة باسم الخارجية الروسية"]),
        _actor("murhaf-abu-qasra", "person", "مرهف أبو قصرة", "Murhaf Abu Qasra",
               "Syrian Minister of Defence", "SY", ["أبو قصرة", "Abu Qasra"], ["وزير الدفاع السوري"]),
        _actor("sergey-lavrov", "person", "سيرغي لافروف", "Sergey Lavrov", "Russian Foreign Minister", "RU",
               ["لافروف", "Lavrov", "Sergei Lavrov"], ["وزير الخارجية الروسي"]),
        _actor("kremlin", "institution", "الكرملين", "Kremlin", "Office of the President of Russia", "RU",
               ["The Kremlin"], []),
        _actor("russian-ministry-of-defence", "institution", "وزارة الدفاع الروسية",
               "Russian Ministry of Defence", None, "RU", ["Russian Defence Ministry"], []),
        _actor("syrian-ministry-of-foreign-affairs", "institution", "وزارة الخارجية والمغتربين السورية",
               "Syrian Ministry of Foreign Affairs", None, "SY", ["Syrian Foreign Ministry"], []),
        _actor("tass", "media", "تاس", "TASS", "Russian state news agency", "RU", ["وكالة تاس"], []),
        _actor("reuters", "media", "رويترز", "Reuters", "News agency", None, ["وكالة رويترز"], []),
        _actor("bloomberg", "media", "بلومبرغ", "Bloomberg", "News agency", None, ["وكالة بلومبرغ"], []),
    ],
}  # fmt: skip

LEXICON = Lexicon.from_registries(REGISTRY)
