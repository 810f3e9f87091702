"""The actor registry (docs/actor-registry.md) as a lexicon: names, aliases and titles to match.

Built from the registry's plain dicts, so the caller decides where they come from. Phrases are
matched as sequences of normalised, lower-cased word tokens; an Arabic clitic (و، ف، ب، ل، ك) may
precede the first word.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from app.extract.normalize import normalize
from app.extract.types import Kind, Span, Speaker
from app.extract.words import WORD, text_words

_BREAK = re.compile(r"[،,.;:؛!?؟()\n]")
_AR_NATIONALITY = re.compile(
    normalize(
        r"^(?:ال)?(?:روسية?|سورية?|تركية?|أمريكية?|أميركية?|إسرائيلية?|أوكرانية?|إيرانية?|قطرية?)$"
    )
)
_EN_NATIONALITY = {
    "russian": "russia's",
    "syrian": "syria's",
    "turkish": "turkey's",
    "american": "america's",
    "ukrainian": "ukraine's",
    "israeli": "israel's",
    "iranian": "iran's",
}
_UNDER_THE_OFFICE = frozenset(normalize("نائب مساعد مستشار").split())
"""Words before a title (with or without a clitic: `ونائب`) that make it another office: `نائب
وزير الخارجية الروسي` (his deputy) is not the minister."""
_FEMININE_SURNAME = re.compile(r"(?:ova|eva|ina|aya|skaya)$")
_MALE_NAMES_IN_A = frozenset(
    "hamza mustafa musa yahya taha osama usama isa nikita ilya luka".split()
)
_FEMININE_HEAD = re.compile(normalize(r"^(?:ال)?\w+ة$|^(?:ال)?خارجية$"))
_PLURAL_HEAD = re.compile(normalize(r"^(?:مصادر|مسؤولون|مسؤولين|\w+ين|\w+ون)$"))


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The tokens a phrase is matched by: `وزارة الدفاع` → ("وزاره", "الدفاع")."""
    return tuple(word.lower() for word in WORD.findall(normalize(phrase)))


def clitic_variants(key: str) -> list[tuple[str, str]]:
    """A word and the same word without an Arabic clitic: للجزيرة → [(للجزيره, ""), (الجزيره, "ل"), …]."""
    variants = [(key, "")]
    if key.startswith(("ولل", "فلل")) and len(key) > 4:
        variants.append(("ال" + key[3:], key[:2]))
    if key.startswith("لل") and len(key) > 3:
        variants.append(("ال" + key[2:], "ل"))
    if len(key) > 3 and key[0] in "وف" and key[1] in "بلك":
        variants.append((key[2:], key[:2]))
    if len(key) > 2 and key[0] in "وفبلك":
        variants.append((key[1:], key[0]))
    return variants


@dataclass(frozen=True, slots=True)
class Actor:
    """One registry entry."""

    slug: str
    kind: Kind
    name_ar: str
    name_en: str
    name_ru: str | None
    role: str | None
    affiliation: str | None
    aliases: tuple[str, ...]
    titles: tuple[str, ...]
    feminine: bool = False
    """Grammatical gender for agreement: زاخاروفا، الوكالة، وزارة الدفاع are feminine."""
    plural: bool = False
    """Whether the name is a plural (مسؤولون سوريون, unnamed sources)."""

    def speaker(self, language: str, written: str) -> Speaker:
        """The speaker record: persons and outlets by their registry name, the others as written."""
        full = {"ar": self.name_ar, "ru": self.name_ru}.get(language) or self.name_en
        return Speaker(
            name=full if self.kind in ("person", "media") else written,
            name_en=self.name_en,
            kind=self.kind,
            role=self.role,
            affiliation=self.affiliation,
            slug=self.slug,
            feminine=self.feminine,
            plural=self.plural,
        )


def _actor(entry: Mapping[str, Any]) -> Actor:
    kind = cast(Kind, entry["kind"])
    return Actor(
        slug=entry["slug"],
        kind=kind,
        name_ar=entry["name_ar"],
        name_en=entry["name_en"],
        name_ru=entry.get("name_ru"),
        role=entry.get("role"),
        affiliation=entry.get("affiliation"),
        aliases=tuple(entry.get("aliases", ())),
        titles=tuple(entry.get("titles", ())),
        feminine=_feminine(kind, entry["name_ar"], entry["name_en"]),
        plural=kind == "anonymous"
        and bool(_PLURAL_HEAD.match(normalize(entry["name_ar"].split()[0]))),
    )


def _feminine(kind: Kind, name_ar: str, name_en: str) -> bool:
    """Outlets (الوكالة), feminine institutions (وزارة), and women by their names."""
    if kind == "media":
        return True
    if kind == "person":
        names = name_en.lower().split() or [""]
        first, last = names[0], names[-1]  # one and the same for a person known by one name
        return bool(_FEMININE_SURNAME.search(last)) or (
            first.endswith("a") and first not in _MALE_NAMES_IN_A
        )
    return bool(_FEMININE_HEAD.match(normalize(name_ar.split()[0])))


def _surface_keys(actor: Actor) -> Iterable[tuple[tuple[str, ...], bool, bool]]:
    """(key, is_title, derived) for every way the registry writes this actor."""
    names = [
        actor.name_ar,
        actor.name_en,
        *([actor.name_ru] if actor.name_ru else []),
        *actor.aliases,
    ]
    for phrase, is_title in [*((n, False) for n in names), *((t, True) for t in actor.titles)]:
        key = phrase_key(phrase)
        if not key:
            continue
        yield key, is_title, False
        if len(key) > 2 and _AR_NATIONALITY.match(key[-1]):
            yield key[:-1], is_title, True
        if len(key) > 1 and key[0] in _EN_NATIONALITY:
            yield (_EN_NATIONALITY[key[0]], *key[1:]), is_title, True


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A registry phrase found in a text."""

    span: Span
    actor: Actor
    is_title: bool
    clitic: str


@dataclass(frozen=True)
class Lexicon:
    """Actors and the phrases that name them; an ambiguous phrase names no one."""

    actors: tuple[Actor, ...]
    phrases: Mapping[tuple[str, ...], tuple[int, bool]] = field(repr=False)
    firsts: Mapping[str, int] = field(repr=False)
    """First word of a phrase → the most words a phrase starting with it has."""
    starts: frozenset[str] = field(repr=False)
    """First words as they may appear in a text, clitics included: a word not here starts nothing."""
    shortened: frozenset[tuple[str, ...]] = field(repr=False)
    """Phrases known only without their nationality (`وزير الدفاع` of `وزير الدفاع السوري`)."""

    @classmethod
    def from_registries(cls, *registries: Mapping[str, Any]) -> "Lexicon":
        """Merge registries (actor-registry/1 dicts); a later entry with a known slug adds its names."""
        merged: dict[str, dict[str, Any]] = {}
        for registry in registries:
            for entry in registry["actors"]:
                known = merged.setdefault(entry["slug"], {**entry, "aliases": [], "titles": []})
                for field_name in ("aliases", "titles"):
                    known[field_name] += [
                        n for n in entry.get(field_name, ()) if n not in known[field_name]
                    ]
        actors = tuple(_actor(entry) for entry in merged.values())
        return cls(actors, *_index(actors))

    def find(self, text: str) -> list[PhraseMatch]:
        """Every registry phrase in a normalised text, none across punctuation; of two that overlap
        the longer wins, wherever it starts: `the Kremlin spokesman` is the spokesman (a title),
        not `the Kremlin` (an alias) followed by a stray word."""
        words, keys = text_words(text)
        breaks = [m.start() for m in _BREAK.finditer(text)]
        found: list[PhraseMatch] = []
        for i in (i for i, key in enumerate(keys) if key in self.starts):
            match = self._match_at(keys, words, breaks, i)
            if match is None:
                continue
            if found and match.span.start < found[-1].span.end:
                if len(match.span) > len(found[-1].span):
                    found[-1] = match
                continue
            found.append(match)
        return found

    def _match_at(
        self, keys: Sequence[str], words: Sequence[re.Match[str]], breaks: Sequence[int], i: int
    ) -> PhraseMatch | None:
        """The longest phrase starting at word `i` (its first word may carry a clitic), not
        reaching across punctuation."""
        segment = bisect_left(breaks, words[i].start())
        for first, clitic in clitic_variants(keys[i]):
            for n in range(min(self.firsts.get(first, 0), len(keys) - i), 0, -1):
                if bisect_left(breaks, words[i + n - 1].start()) != segment:
                    continue
                key = (first, *keys[i + 1 : i + n])
                found = self.phrases.get(key)
                if found and not self._another_office(keys, i, n, key, is_title=found[1]):
                    span = Span(words[i].start() + len(clitic), words[i + n - 1].end())
                    return PhraseMatch(span, self.actors[found[0]], found[1], clitic)
        return None

    def _another_office(
        self, keys: Sequence[str], i: int, n: int, key: tuple[str, ...], *, is_title: bool
    ) -> bool:
        """Whether the phrase of `n` words at word `i` names another office than the registry's:
        a title under another (`نائب وزير الخارجية الروسي`: the minister's deputy), or a phrase
        known only without its nationality followed by another one (`وزير الدفاع الروسي`, where
        the registry knows `وزير الدفاع السوري`)."""
        before = clitic_variants(keys[i - 1]) if i > 0 else []
        if is_title and any(word in _UNDER_THE_OFFICE for word, _ in before):
            return True
        following = keys[i + n] if i + n < len(keys) else ""
        return key in self.shortened and bool(_AR_NATIONALITY.match(following))

    def actor_named(self, name: str) -> Actor | None:
        """The actor a whole name, alias or title denotes: `بيسكوف` → dmitry-peskov."""
        found = self.phrases.get(phrase_key(name))
        return self.actors[found[0]] if found else None


def _index(
    actors: Sequence[Actor],
) -> tuple[
    dict[tuple[str, ...], tuple[int, bool]],
    dict[str, int],
    frozenset[str],
    frozenset[tuple[str, ...]],
]:
    """Phrase → (actor, is_title), the most words a phrase has by its first word, the words that
    start one, and the phrases only derived. Explicit phrases win over derived ones; ambiguous
    ones are dropped."""
    owners: dict[tuple[str, ...], set[int]] = {}
    explicit: dict[tuple[str, ...], tuple[int, bool]] = {}
    derived: dict[tuple[str, ...], tuple[int, bool]] = {}
    for index, actor in enumerate(actors):
        for key, is_title, is_derived in _surface_keys(actor):
            owners.setdefault(key, set()).add(index)
            (derived if is_derived else explicit).setdefault(key, (index, is_title))
    phrases = {k: v for k, v in (derived | explicit).items() if len(owners[k]) == 1}
    firsts: dict[str, int] = {}
    for key in phrases:
        firsts[key[0]] = max(firsts.get(key[0], 0), len(key))
    shortened = frozenset(derived.keys() - explicit.keys())
    return phrases, firsts, frozenset(_with_clitics(firsts)), shortened


def _with_clitics(words: Iterable[str]) -> Iterable[str]:
    """Each word and the forms `clitic_variants` reduces to it: الجزيرة → للجزيرة، والجزيرة …"""
    for word in words:
        yield word
        for clitic in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"):
            yield clitic + word
        if word.startswith("ال"):
            yield from ("لل" + word[2:], "ولل" + word[2:], "فلل" + word[2:])
