"""The words full-text search sees: normalised, with Arabic clitics unwrapped, in one place.

The stored search text of a claim and the words of a query both go through here, and then
through PostgreSQL's Arabic (snowball) stemmer, so the two sides can never drift apart.

The snowball stemmer removes the article and most prefixes, but not a lone ل (لروسيا), nor the
article once the text is normalised (القاعده); `unwrap` does, and the stored text keeps both
forms, so a query for روسيا finds لروسيا and a query for لبنان still finds لبنان.
"""

import re
import unicodedata

from app.extract.normalize import ASCII_DIGITS, normalize

_WORD = re.compile(r"[a-z](?:\.[a-z])+|\w+")
"""A word; Latin letters joined by dots (U.S., e.g.) are one, as PostgreSQL's parser reads them
(u.s), where it splits Arabic and Cyrillic ones (د.ب.أ, т.е.) into letters."""
_TYPED = str.maketrans("\u06cc\u06a9", "يك") | ASCII_DIGITS
"""Farsi yeh (ی: ي, and ى at a word's end) and keheh (ک: ك), as a Persian keyboard types them,
and digits as ASCII (an Arabic keyboard types ٢٠٢٥, a Persian one ۲۰۲۵): one table, one pass."""
_ARABIC = re.compile("[\u0600-\u06ff]")
_FINAL_HAMZA = re.compile(r"يء(?!\w)")
"""A word's last hamza after ى (ي once normalised), as older and Egyptian usage writes it
(الموانىء، شيء), where others write it on its seat (الموانئ، شئ): one word, written seated."""
# Conjunction, then preposition, then the article: و/ف + ب/ل/ك + ال, each optional.
_PROCLITICS = re.compile("^(?:[وف])?(?:[بلك])?(?:ال)?")
_CONTRACTED = re.compile("^[وف]?لل")
_MIN_STEM = 3
# A feminine noun in the dual or construct state (قاعدتي، القاعدتين، قاعدتا، اتفاقيتها) keeps its ت,
# which the stemmer leaves in place; its singular (قاعده, normalised) is what a search for قاعدة
# means. The construct state takes any attached pronoun (ي، ه، ها، هم، هما، هن، نا، ك، كم، كما، كن).
_CONSTRUCT = re.compile("ت(?:ين|ان|ي|ا|ها|هما|هم|هن|ه|نا|كما|كم|كن|ك)$")

# A verb in the present (يبقى، تبقى، نبقى; يتم) takes the future particle س (سيبقى، سيتم), which the
# stemmer strips only from some verbs (long enough, and not once ى is normalised to ي): a query
# word that may be such a verb is also looked for with it. Only on the query's side, and not
# before ا (أبقى would find السابق: سابق is "former"): stripping س from what is stored would make
# سياسة (politics) a form of يأسه (his despair).
_PRESENT = re.compile(f"[يتن].{{{_MIN_STEM - 1},}}$")

# One name, written in several scripts and transliterations: a query for any finds them all.
NAME_VARIANTS = [
    ("حميميم", "hmeimim", "khmeimim", "hmaimim", "humaymim", "hmeymim", "хмеймим"),
    ("طرطوس", "tartus", "tartous", "tarsus", "тартус"),
    ("روسيا", "russia", "россия"),
    ("سوريا", "سورية", "syria", "сирия"),  # سورية: SANA's and the Syrian government's spelling
    ("موسكو", "moscow", "москва"),
    ("دمشق", "damascus", "дамаск"),
]
_VARIANTS = {normalize(name).casefold(): group for group in NAME_VARIANTS for name in group}
# A hamza written on either seat (مسؤول، مسئول; شؤون، شئون: Levantine and Egyptian usage) is one
# word; the stemmer keeps the seats apart (و, ي), so a query word is also looked for on the other.
_OTHER_SEAT = str.maketrans("ؤئ", "ئؤ")
_ONE_SEAT = str.maketrans("ؤ", "ئ")


def reading(text: str) -> str:
    """`text` as search reads it, normalised and case-folded: `إنَّ القـاعدةَ` → `ان القاعده`.
    Presentation forms (`ﻗﺎﻋﺪﺓ`, as text copied from a PDF comes) are read as the letters they
    draw (NFKC), letters a Persian keyboard types (`روسیا`) as the Arabic ones they look like,
    digits as ASCII (`۲۲۵۴`, `٢٢٥٤` → `2254`), and a final hamza after ى on its seat (`الموانىء`
    → `الموانئ`)."""
    read = normalize(unicodedata.normalize("NFKC", text).translate(_TYPED))
    return _FINAL_HAMZA.sub("ئ", read).casefold()


def words(text: str) -> list[str]:
    """The words of `text` as search reads them: `إنَّ القـاعدةَ` → `['ان', 'القاعده']`."""
    return _WORD.findall(reading(text))


def folded(text: str) -> str:
    """One spelling for all those search takes as one, for what is compared whole (a name's
    key): `reading`, with a hamza on either seat on ئ: `مسؤول`, `مسئول` → `مسئول`."""
    return reading(text).translate(_ONE_SEAT)


def unwrap(word: str) -> str:
    """`وبالقاعده` → `قاعده`, `لروسيا` → `روسيا`; a word left too short is kept whole."""
    if not _ARABIC.match(word):
        return word
    bare = word[_PROCLITICS.match(word).end() :]  # type: ignore[union-attr]  # always matches
    return bare if len(bare) >= _MIN_STEM else word


def after_article(word: str) -> str | None:
    """`للقوات`, `وللقوات` → `قوات`: ل before the article drops the article's alef, which
    `unwrap` would read as ل and a word of its own starting with ل (`للبنان` → `لبنان`, which
    it still gives); None when the word does not start so, or too little is left."""
    match = _CONTRACTED.match(word)
    if match is None or len(word) - match.end() < _MIN_STEM:
        return None
    return word[match.end() :]


def singular(word: str) -> str | None:
    """`قاعدتين`, `اتفاقيتها` → `قاعده`, `اتفاقيه`; None when the word has no dual or construct
    ending."""
    match = _CONSTRUCT.search(word)
    if match is None or match.start() < _MIN_STEM:
        return None
    return word[: match.start()] + "ه"


def forms(word: str) -> list[str]:
    """A normalised word, unwrapped of its clitics (both ways where ل meets the article), and
    its singular, without repeats."""
    bares = [b for b in (after_article(word), unwrap(word)) if b]
    return list(dict.fromkeys(f for f in (word, *bares, *map(singular, bares)) if f))


def search_text(*texts: str) -> str:
    """The text to store for search: each word in all its `forms`."""
    return " ".join(form for text in texts for word in words(text) for form in forms(word))


def query_variants(word: str) -> list[str]:
    """The forms of one query word to look for (any may match): itself, unwrapped, each with a
    hamza on its other seat (`مسئول` → مسؤول), in the future (`يبقى` → سيبقى), and the same name
    in other scripts (`Khmeimim` → حميميم, hmeimim, хмеймим, …)."""
    own = forms(word)
    if not own:  # no word at all (punctuation, or a filter value of symbols only)
        return []
    group = next((_VARIANTS[f] for f in reversed(own) if f in _VARIANTS), ())
    seats = (form.translate(_OTHER_SEAT) for form in own)
    future = ("س" + form for form in own if _PRESENT.match(form))
    names = (normalize(name).casefold() for name in group)
    return list(dict.fromkeys([*own, *seats, *future, *names]))
