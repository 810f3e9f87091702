"""Attribution frames: for each speech cue, who speaks, through whom, and which words are theirs.

One frame per cue (a verb, a participle or `وفق/according to`). The words are found after a
complementiser (أن، إن، that), a colon or an opening quotation mark, or, when the cue comes after
them (`"…," Peskov said`), before it. The speaker stands after an Arabic verb, before an English
one, or is the subject carried over from the clause before (`وأضاف`, participles, `and said`).
All positions are in the normalised text.
"""

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import takewhile

from app.extract.cues import Cue
from app.extract.dates import DateExpression
from app.extract.normalize import normalize
from app.extract.quotes import inside_quote
from app.extract.segment import trim
from app.extract.speakers import resolve
from app.extract.types import Quote, Span, Speaker, SpeakerMention, Wanted, quote_at, starting_in

_AR_COMPLEMENTISERS = {
    prefix + "ان" + pronoun: len(prefix) + 2
    for prefix in ("", "ب", "و", "ف")
    for pronoun in ("", "ه", "ها", "هم", "هما", "نا", "ني", "هن")
}
"""أن/إن (normalised ان), with ب/و/ف before and a pronoun after: word → where the words start
inside it (the pronoun stays: `أنها تدير` → `ها تدير`)."""
_DIRECT_LEAD = re.compile(normalize(r"[\s:،,]*(?:(?:إلى|على|عن|ب?أن\w{0,2}|that)[\s:،,]*)*"), re.I)
"""What may stand between a participle and its words when it goes on with the same topic
(`مشيراً إلى أن`), unlike a new object (`واصفاً اللقاء بأنه`)."""
_AR_OBJECT_LEAD = re.compile(normalize(r"(?<!\w)(?:على|عن|إلى|ب)$"))
_AR_OBJECT_PREPOSITION = re.compile(normalize(r"[\s،,]*(?:عن|على|إلى|ب)?\s*"))
_RELAY = frozenset({normalize("عن"), "citing", "quoting"})
"""`نقلت تاس عن مصدر`, `citing sources`: the name after it is the speaker, the one before relays."""
_ROUTE = frozenset(normalize("مع لقاء مقابلة تصريح تصريحات حديث").split())
"""`في مقابلة مع قناة …`: the name after it is where the words were said, not who said them."""
_AND = re.compile(
    normalize(
        r"\s*،?\s*و(?:(?:نظير|وزير|رئيس|نائب|المتحدث|الناطق|سفير|المبعوث|مبعوث)\w*"
        r"(?:\s+(?:ال\w+|باسم))*)?\s*"
    )
    + r"|\s*,?\s*and\s+(?:(?:his|her)\s+(?:\w+\s+)?counterpart,?\s+)?(?:[A-Z][\w'-]*\s+){0,4}"
)
"""What joins two subjects of one verb: `و`, `ونظيره السوري`, `ووزير الدفاع السوري`, `and`, `and
his Syrian counterpart`, `and Russian Foreign Minister`; any other word between them (`خلال
لقائه مع`) makes the second no subject."""
_MEETING_WITH_HIM = [
    normalize(noun + pronoun)
    for noun in "لقائ لقاء اتصال استقبال اجتماع مباحثات محادثات مكالمت".split()
    for pronoun in ("ه", "ها", "هما", "هم")
]
"""A meeting's verbal noun with its pronoun (`لقائه`, his meeting): the name after it is the one
met, an object (`بعد لقائه بوتين، خرج الشرع مؤكداً`: al-Sharaa speaks)."""
_PREPOSITION = frozenset(
    normalize("في من إلى على عن مع لدى باسم حول بشأن منذ").split()
    + _MEETING_WITH_HIM
    + "in to with from at on of by for about whether since visit".split()
)
"""A name after a preposition, or a meeting's noun (`_MEETING_WITH_HIM`), is not a subject:
`وفي موسكو، قال …`, `المتحدث باسم الخارجية`, `بعد لقائه بوتين`."""
_ARTICLE = frozenset({"the", "a", "an"})
_AR_SUBJECT_GAP = re.compile(normalize(r"[\s،,]*(?:(?:قد|كان|كانت|لقد|وقد)[\s،,]*)*"))
_EN_SUBJECT_GAP = re.compile(
    r"\s*(?:,[^.;:\"“”]{0,100},)?\s*(?:(?:has|had|have|also|later|then|previously|repeatedly|earlier"
    r"|would|will|again|on \w+day|statement|spokesman|spokeswoman|spokesperson)\s+)*",
    re.IGNORECASE,
)
# Phrases before the words they start with: alternation takes the first that fits.
_EN_ADVERBIAL = re.compile(
    r"[\s,]*(?:news conference|press conference|on|late|early|in|at|to|the|later|also|separately"
    r"|before|after|during|with|reporters|journalists|state|news|agency|television|tv|talks|meeting"
    r"|visit|call|summit|a|an|statement|interview|briefing|conference|channel|network|newspaper|daily"
    r"|website|station|radio|as saying that|as saying)\b[\s,]*",
    re.IGNORECASE,
)
_EN_PREPOSITIONS = frozenset("on in at to before after during with".split())
_EN_OCCASION = re.compile(
    r"(?:news conference|press conference|talks|meeting|visit|call|summit|statement|interview"
    r"|briefing|conference)"
)
"""Occasions the words were said at (`said in a statement`, `told reporters after talks`); right
after `said the`, with no preposition, the noun is the subject of the words (`said the talks were`)."""
_WORD = re.compile(r"\w+")
_PUNCTUATION = re.compile(r"[،,.;:؛!?؟]")
_DATELINE = re.compile(
    r"[A-Z][A-Z/ ]+(?:,\s*[A-Z][a-z]{2,}\.? \d{1,2})?\s*(?:\([^)]*\))?\s*[-–—]+\s*"
    + normalize(r"|[\w ]{2,20}\s*[-–—]\s*(?:سانا|\(سانا\))\s*")
)
_TOPIC_OPENING = re.compile(normalize(r"[وف]?أما\s"))
"""`أما X، ف…` (as for X): X is what the rest of the sentence is about, and its subject."""
_PARENTHETICAL = re.compile(r"(?:(?<=,[\"”’])|,)\s*(?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*\s+){0,5}$")
"""`…, the navy chief said`, `…, Foreign Minister Asaad al-Shaibani said`: the attribution comes
after the words, set off by a comma (inside the closing mark of a quotation: `"…," Peskov said`);
an article or a title before the name belongs to it."""
_FROM = re.compile(normalize(r"\s+عن\s+"))
_COMMA_QUOTED = (',"', ",”", ",’")
_EN_PLACE = re.compile(r"(?:in|at|from)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?[\s,]*")
"""`said in Ankara`, `told reporters in New York`: a place between the verb and its words."""
_CONNECTIVES = " \t\n،,.:;؛-–—"
_NARRATOR_ASIDE = re.compile(
    normalize(r"[،,]\s*(?:و|لكن\s+)?(?:من\s+)?(?:دون|بدون)\s+(?:أن|ان)(?!\w)")
    + r"|,\s*(?:but\s+)?without\s+\w+ing\b"
    + r"|,\s*but\s+(?:gave|offered|provided)\s+no\b"
    + r"|,\s*but\s+(?:did not|didn't|would not|wouldn't|declined to)\s+(?:say|elaborate|give|comment"
    + r"|specify|explain|provide)\b",
    re.IGNORECASE,
)
"""`…، دون أن تقدم تفاصيل`, `…, without giving details`, `…, but gave no indication`: the narrator
speaking of what the speaker did not say; the words end before it."""
_AR_TAIL = re.compile(
    normalize(r"(?:\s+(?:و|لكن|بينما|فيما|في حين|كما))+\s*$") + r"|\s+(?:and|but|while)\s*$"
)
_ACCORDING_LEAD = re.compile(normalize(r"[\s،,]*(?:(?:ف|و)?(?:إن|أن)|that)?\s*"), re.IGNORECASE)
_AR_NOUN_PHRASE = re.compile(normalize(r"(?:[وفبل]?ال\w+|و)(?:\s+(?:[وفبل]?ال\w+|و))*"))
"""Only definite words (`القواعد العسكرية والضمانات الأمنية`): a noun phrase, a subheading run into
the sentence; a statement needs a predicate (a verb, an indefinite word: `القوات باقية`)."""
_SOURCE_REACH = 45
_SOURCE_GAP = re.compile(
    normalize(
        r"[\s«»\"“”(]*(?:(?:ل?(?:بيان|بيانات|تصريحات|ما|صحيفة|وكالة)|a|an|the|statement|by|from)"
        r"[\s«»\"“”(]*)*"
    ),
    re.IGNORECASE,
)


@dataclass
class Frame:
    """One attribution: the cue, its speaker and route (`via`), and its words (`content`)."""

    cue: Cue
    sentence: Span
    anchor: int
    """Where the attribution begins: a subject standing before its verb, else the cue."""
    zone: Span
    """The attribution around the cue (speaker, route, time), where the words are not."""
    content: Span
    speaker: Speaker
    via: list[str] = field(default_factory=list)
    parent: "Frame | None" = None
    """The frame a participle or a subjectless verb goes on from, in the same sentence."""
    object_complement: bool = False
    """The words are the verb's object (`أعرب عن …`), not a clause after أن/that or a colon."""
    continues: bool = False
    """The same speaker going on about the same thing: `…، مشيراً إلى أن …`, `لكنه شدد على أن …`."""


@dataclass
class Reader:
    """One normalised document and what is found in it, ready to frame sentence by sentence."""

    text: str
    language: str
    quotes: Sequence[Quote]
    mentions: Sequence[SpeakerMention]
    cues: Sequence[Cue]
    dates: Sequence[DateExpression]
    paragraphs: Sequence[Span]
    frames: list[Frame] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._mention_starts = [m.span.start for m in self.mentions]

    def cues_in(self, span: Span) -> Sequence[Cue]:
        """Cues starting inside a span (`cues` are in text order)."""
        return starting_in(self.cues, span, lambda cue: cue.span.start)

    # --- mentions -------------------------------------------------------------------------

    def mentions_in(self, span: Span) -> list[SpeakerMention]:
        """Mentions starting inside a span, outside quotations (a name alone in quotation marks,
        `«بلومبرغ»`, still counts)."""
        i = bisect_left(self._mention_starts, span.start)
        found = []
        while i < len(self.mentions) and self.mentions[i].span.start < span.end:
            if not self._quoted_words(self.mentions[i]):
                found.append(self.mentions[i])
            i += 1
        return found

    def _quoted_words(self, mention: SpeakerMention) -> bool:
        """Whether a mention is part of someone's quoted words (not just a quoted name)."""
        quote = quote_at(self.quotes, mention.span.start)
        if quote is None:
            return False
        inner = trim(self.text, quote.inner, " ")
        return not (mention.span.start <= inner.start and inner.end <= mention.span.end + 1)

    def mention_covering(self, position: int) -> SpeakerMention | None:
        i = bisect_left(self._mention_starts, position + 1) - 1
        if i >= 0 and position < self.mentions[i].span.end:
            return self.mentions[i]
        return None

    def speaker_of(
        self, mention: SpeakerMention, before: int, recent: Sequence[Frame] = ()
    ) -> Speaker | None:
        """A mention's speaker; second mentions and pronouns point back to the nearest fitting one,
        the sentence's own earlier frames (`recent`) first."""
        if mention.speaker is not None:
            return mention.speaker
        assert mention.wants is not None
        here = [f.speaker for f in reversed(recent)]
        return resolve(mention.wants, here + self.antecedents(before))

    def antecedents(self, before: int) -> list[Speaker]:
        """Speakers to point back to, nearest first: earlier frames, then names before `before`."""
        framed = [f.speaker for f in reversed(self.frames) if f.cue.span.start < before]
        named = [m.speaker for m in reversed(self.mentions_in(Span(0, before))) if m.speaker]
        return framed + named

    def route_of(
        self, mention: SpeakerMention | None, speaker: Speaker, recent: Sequence[Frame]
    ) -> list[str]:
        """A second mention (`المصادر`, `the officials`) keeps the route its speaker came through."""
        if mention is None or mention.speaker is not None:
            return []
        earlier = [f for f in [*self.frames, *recent] if f.speaker == speaker]
        return list(earlier[-1].via) if earlier else []

    def topic_subject(self, cue: Cue, sentence: Span) -> Speaker | None:
        """The topic of `أما …، ف…` as the subject of the verbs after it: `أما الوفد الروسي، الذي
        قاده ميخائيل بوغدانوف، فلم يعلق …، وأعرب عن …` → Bogdanov, the one named in the topic."""
        if not _TOPIC_OPENING.match(self.text, sentence.start, cue.span.start):
            return None
        named = [
            m
            for m in self.mentions_in(Span(sentence.start, cue.span.start))
            if m.speaker is not None and not m.clitic and not self._preceded_by(_PREPOSITION, m)
        ]
        return named[0].speaker if named else None

    def sentence_subject(self, cue: Cue, sentence: Span) -> Speaker | None:
        """The one named first in the sentence before a participle that has no speech verb to go
        on from, of its gender: `ورفض الكرملين التقارير …، قائلاً` → the Kremlin, the subject of the
        verb the participle goes with (not an object: `لوكالة`, `مع لافروف`)."""
        wanted = Wanted(
            frozenset({"person", "institution", "media", "anonymous"}), (), None, cue.feminine, None
        )
        named = [
            m.speaker
            for m in self.mentions_in(Span(sentence.start, cue.span.start))
            if m.speaker is not None and not m.clitic and not self._preceded_by(_PREPOSITION, m)
        ]
        return resolve(wanted, named[:1])

    def coordinated(self, frame: Frame) -> list[Speaker]:
        """The speakers joined to a verb's subject by و/and in its attribution: `قال لافروف ونظيره
        السوري الشيباني`, `Abu Qasra and Lavrov said` (not `لافروف خلال لقائه مع الشيباني`)."""
        if frame.cue.kind != "verb" or frame.object_complement:
            return []
        named = [(m, m.speaker) for m in self.mentions_in(frame.zone) if m.speaker is not None]
        chains: list[list[Speaker]] = []
        for i, (mention, speaker) in enumerate(named):
            if i and self._joined(named[i - 1][0], mention):
                chains[-1].append(speaker)
            else:
                chains.append([speaker])
        chain = next((c for c in chains if frame.speaker in c), [])
        return [s for s in dict.fromkeys(chain) if s != frame.speaker]

    def _joined(self, before: SpeakerMention, after: SpeakerMention) -> bool:
        """Two subjects joined by `و`/`and`, or one speaker's title and name side by side."""
        gap = self.text[before.span.end : after.span.start]
        if before.speaker == after.speaker and not gap.strip(" ،,"):
            return True
        return _AND.fullmatch(gap) is not None

    def carried_subject(self, cue: Cue) -> Speaker | None:
        """The subject of `وأضاف` / `he added`: the nearest earlier speaker of the verb's gender."""
        wanted = Wanted(
            frozenset({"person", "institution", "media", "anonymous"}), (), None, cue.feminine, None
        )
        here = self._paragraph_index(cue.span.start)
        # Frames are kept sentence by sentence and no sentence crosses a line, so once one lies
        # before the previous paragraph, all before it do: a long report is not read back whole
        # for every `وأضاف`.
        recent = takewhile(
            lambda f: here - self._paragraph_index(f.cue.span.start) <= 1, reversed(self.frames)
        )
        return resolve(wanted, [f.speaker for f in recent])

    def paragraph_of(self, position: int) -> Span:
        """The paragraph a position lies in (the last one, past the end of the text)."""
        return self.paragraphs[min(self._paragraph_index(position), len(self.paragraphs) - 1)]

    def _paragraph_index(self, position: int) -> int:
        return bisect_left(self.paragraphs, position, key=lambda paragraph: paragraph.end)

    # --- complements ----------------------------------------------------------------------

    def complement(self, cue: Cue, limit: int) -> tuple[int, int] | None:
        """(where the attribution ends, where the words start): after أن/إن/that or a colon; else at
        an opening quotation mark (in English, only one that follows the verb directly). A quotation
        closed before the complementiser is part of the attribution (`عبر "تلغرام" إن`)."""
        after = cue.span.end
        attribution_end = (
            after
            if self.language == "ar"
            else self.skip_english_adverbials(after, limit, objects=cue.takes_object)
        )
        marked = self._complementiser(after, limit, attribution_end)
        if marked:
            return marked
        for quote in self.quotes:
            if after <= quote.outer.start < limit and not self.mention_covering(quote.outer.start):
                if self.language == "ar":
                    direct = self._opens_words(after, quote.outer.start)
                else:
                    direct = attribution_end >= quote.outer.start
                return (quote.outer.start, quote.outer.start) if direct else None
        return None

    def _opens_words(self, after: int, mark: int) -> bool:
        """`وتابع “…”`, `قال الوزير: “…”`, `أكد … على “…”`: nothing but the verb, a name, a colon or a
        preposition before the mark; `انفتاح بلاده على إبقاء القواعد ”طالما…”` is a fragment."""
        before = self.text[after:mark].rstrip()
        if not before or before.endswith((":", "،", ",")):
            return True
        mention = self.mention_covering(len(before) + after - 1)
        return mention is not None or bool(_AR_OBJECT_LEAD.search(before))

    def _complementiser(
        self, after: int, limit: int, attribution_end: int
    ) -> tuple[int, int] | None:
        complementisers = _AR_COMPLEMENTISERS if self.language == "ar" else {"that": 4}
        candidates = []
        for m in _WORD.finditer(self.text, after, limit):
            inside = complementisers.get(m.group().lower())
            if inside is None or self.mention_covering(m.start()):
                continue
            if inside_quote(self.quotes, m.start()):
                continue
            if self.language != "ar" and attribution_end < m.start():
                break
            candidates.append((m.start(), m.start() + inside))
            break
        colon = self.text.find(":", after, limit)
        if colon >= 0 and not inside_quote(self.quotes, colon):
            candidates.append((colon, colon + 1))
        return min(candidates) if candidates else None

    def skip_english_adverbials(self, position: int, limit: int, *, objects: bool = True) -> int:
        """Past adverbials after an English verb, and past its object or outlet (`told reporters on
        Tuesday`, `said in a statement`); `objects=False` keeps a name that may start the words
        (`said the ministry was…`). An article that nothing skippable follows starts the words:
        `said the two sides discussed …`."""
        position += len(self.text[position:limit]) - len(self.text[position:limit].lstrip(" ,"))
        article_at: int | None = None
        governed = False  # the last word skipped was a preposition (or an article after one)
        while position < limit:
            mention = self.mention_covering(position) or self._mention_at(position)
            if mention and not objects and not self._is_outlet(mention):
                mention = None
            date = next((d for d in self.dates if d.span.start == position), None)
            adverbial = _EN_PLACE.match(self.text, position, limit) or _EN_ADVERBIAL.match(
                self.text, position, limit
            )
            if mention:
                position, article_at, governed = mention.span.end, None, False
            elif date:
                position, article_at, governed = date.span.end, None, False
            elif adverbial and adverbial.end() > position:
                word = adverbial.group().strip(" ,").lower()
                if article_at is not None and not (objects or governed):
                    if _EN_OCCASION.fullmatch(word):
                        break
                only_article = word in _ARTICLE
                article_at = position if only_article else None
                governed = word in _EN_PREPOSITIONS or (only_article and governed)
                position = adverbial.end()
            else:
                break
            position += len(self.text[position:limit]) - len(self.text[position:limit].lstrip(" ,"))
        return position if article_at is None else article_at

    def _is_outlet(self, mention: SpeakerMention) -> bool:
        return mention.speaker is not None and mention.speaker.kind == "media"

    def _mention_at(self, position: int) -> SpeakerMention | None:
        i = bisect_left(self._mention_starts, position)
        if i < len(self.mentions) and self.mentions[i].span.start == position:
            return self.mentions[i]
        return None

    def trim_content(self, span: Span) -> Span:
        """Without edge punctuation, a dateline (`MOSCOW, Dec 13 (Reuters) -`, `دمشق-سانا`), the
        narrator's aside on what the speaker left unsaid (`…، دون أن تقدم تفاصيل`, `…, but gave no
        indication`) or a dangling connective (`… و`, `… and`)."""
        span = trim(self.text, span, _CONNECTIVES)
        dateline = _DATELINE.match(self.text, span.start, span.end)
        if dateline:
            span = Span(dateline.end(), span.end)
        aside = next(
            (
                m
                for m in _NARRATOR_ASIDE.finditer(self.text, span.start, span.end)
                if not inside_quote(self.quotes, m.start())
            ),
            None,
        )
        if aside:
            span = trim(self.text, Span(span.start, aside.start()), _CONNECTIVES)
        tail = _AR_TAIL.search(self.text, max(span.start, span.end - 20), span.end)
        return trim(self.text, Span(span.start, tail.start()), _CONNECTIVES) if tail else span

    # --- subjects -------------------------------------------------------------------------

    def subject_before(self, cue: Cue, floor: int) -> tuple[SpeakerMention, int] | None:
        """A subject standing before its verb, and where it starts (with a title just before it).

        `وكانت الناطقة …، ماريا زاخاروفا، قالت` → Zakharova; `Bogdanov, who led …, told` → Bogdanov.
        """
        if cue.kind != "verb" or cue.conjoined:
            return None
        candidates = [
            m
            for m in self.mentions_in(Span(floor, cue.span.start))
            if not m.clitic and not self._preceded_by(_PREPOSITION, m)
        ]
        for mention in reversed(candidates[-3:]):
            if self._subject_gap(mention, cue):
                return mention, self._with_title(mention, candidates)
        return None

    def _subject_gap(self, mention: SpeakerMention, cue: Cue) -> bool:
        gap = self.text[mention.span.end : cue.span.start]
        if self.language == "ar":
            return _AR_SUBJECT_GAP.fullmatch(gap) is not None
        if _EN_SUBJECT_GAP.fullmatch(gap):
            return True
        return gap.strip() == "," and self.text[: mention.span.start].rstrip().endswith(",")

    def _with_title(self, mention: SpeakerMention, candidates: Sequence[SpeakerMention]) -> int:
        """Extend a name back over the title just before it: `Kremlin spokesman Dmitry Peskov`."""
        start = mention.span.start
        for earlier in reversed([m for m in candidates if m.span.end <= start]):
            same = (
                earlier.speaker and mention.speaker and earlier.speaker.slug == mention.speaker.slug
            )
            if not same or self.text[earlier.span.end : start].strip(" ,،"):
                break
            start = earlier.span.start
        return start

    def subject_end(self, mention: SpeakerMention) -> int:
        """Where a subject ends, with the name just after its title: `وزير الدفاع … مرهف أبو قصرة`."""
        end = mention.span.end
        for later in self.mentions_in(Span(end, end + 80)):
            same = later.speaker and mention.speaker and later.speaker.slug == mention.speaker.slug
            if not same or self.text[end : later.span.start].strip(" ,،"):
                break
            end = later.span.end
        return end

    def subject_after(
        self, cue: Cue, stop: int
    ) -> tuple[SpeakerMention | None, bool, list[SpeakerMention]]:
        """An Arabic verb's subject (`قال بيسكوف`) or an inverted English one (`said Peskov`), whether
        it was relayed, and the other names in the attribution. `نقلت تاس عن مصدر` → the source
        (relayed: TASS is passed on); `reported, citing sources` → the sources. A name in apposition
        beats the title before it (`الباحث … سامر الأحمد`); `في مقابلة مع قناة` names a route."""
        found = self.mentions_in(Span(cue.span.end, stop))
        relayed = [m for m in found if self._preceded_by(_RELAY, m)]
        if relayed:
            return relayed[0], True, found
        if self.language != "ar":
            first = found[0] if found and found[0].span.start - cue.span.end <= 2 else None
            if cue.relay:  # `RIA quoted Deputy Foreign Minister Bogdanov as saying`
                return (found[0], True, found) if found else (None, False, found)
            return first, False, found
        subjects = [
            m
            for m in found
            if not m.clitic
            and not self._preceded_by(_ROUTE, m, reach=2)
            and not self._preceded_by(_PREPOSITION, m)
        ]
        named = [m for m in subjects if m.speaker is not None]
        preferred = named or subjects
        return (preferred[0] if preferred else None), False, found

    def _preceded_by(self, words: frozenset[str], mention: SpeakerMention, reach: int = 1) -> bool:
        """Whether one of the `reach` words before a mention (an article and a conjunction aside)
        is among `words`: `وفي موسكو`, `citing the`, `في مقابلة مع`."""
        window = self.text[max(0, mention.span.start - 40) : mention.span.start]
        window = _PUNCTUATION.split(window)[-1]  # `…asks it to, a Kremlin source told`: not `to`'s
        before = [w.lower() for w in _WORD.findall(window) if w.lower() not in _ARTICLE][-reach:]
        return any(w in words or (w[:1] in "وف" and w[1:] in words) for w in before)

    def via_of(
        self,
        speaker: SpeakerMention | None,
        others: Sequence[SpeakerMention],
        before: int,
        *,
        relayed: bool = False,
    ) -> list[str]:
        """Outlets the words came through, and whoever relayed them (`نقلت تاس عن …`), nearest to the
        article first."""
        via: list[str] = []
        for mention in others:
            if mention is speaker or mention.how == "pronoun":
                continue
            passed_on = relayed and speaker is not None and mention.span.start < speaker.span.start
            resolved = self.speaker_of(mention, before)
            if resolved and (resolved.kind == "media" or passed_on) and resolved.name_en not in via:
                via.append(resolved.name_en)
        return via

    def source_after(self, cue: Cue, sentence: Span) -> SpeakerMention | None:
        """Whom `وفق/بحسب/according to` names: a name right after it (`بحسب بيان الرئاسة السورية`)."""
        reach = Span(cue.span.end, min(sentence.end, cue.span.end + _SOURCE_REACH))
        found = self.mentions_in(reach)
        if found and _SOURCE_GAP.fullmatch(self.text, cue.span.end, found[0].span.start):
            return found[0]
        return None

    def relayed_from(
        self, source: SpeakerMention, named: Sequence[SpeakerMention]
    ) -> SpeakerMention | None:
        """The speaker an according-to source relayed: `بحسب ما نقلته وكالة تاس عن لافروف` →
        لافروف, the one who said it (TASS is the route)."""
        if named and _FROM.fullmatch(self.text, source.span.end, named[0].span.start):
            return named[0]
        return None

    def according_content(self, source: SpeakerMention, limit: int) -> int:
        """Where the words start after `وبحسب مصادر «بلومبرغ»، فإن …`: past the names and فإن."""
        position = source.span.end
        for mention in self.mentions_in(Span(source.span.end, limit)):
            if self.text[position : mention.span.start].strip(' «»"“”،,()'):
                break
            position = mention.span.end
        comma = re.compile(r"[^،,]*[،,]").match(self.text, position, limit)
        position = comma.end() if comma else position
        lead = _ACCORDING_LEAD.match(self.text, position, limit)
        return lead.end() if lead else position

    def object_start(self, after: int, limit: int) -> int:
        """Where an object complement starts: `أعرب … عن انفتاح` → at انفتاح."""
        lead = _AR_OBJECT_PREPOSITION.match(self.text, after, limit)
        return lead.end() if lead else after

    def states_something(self, span: Span) -> bool:
        """Whether words can be a statement: an Arabic string of definite nouns alone cannot."""
        if self.language != "ar":
            return True
        return _AR_NOUN_PHRASE.fullmatch(self.text, span.start, span.end) is None

    def words_count(self, span: Span) -> int:
        return len(_WORD.findall(self.text, span.start, span.end))


@dataclass
class _Clause:
    """Where the sentence stands while its cues are framed one by one."""

    sentence: Span
    start: int
    here: list[Frame] = field(default_factory=list)
    pending_via: list[str] = field(default_factory=list)
    also: list[Frame] = field(default_factory=list)
    """The same words for a second subject of the verb (`لافروف ونظيره الشيباني`), kept out of
    `here`: what follows goes on from the first."""


def _absorb_relays(reader: Reader, cues: list[Cue]) -> list[Cue]:
    """Drop `نقلاً عن / citing` cues that sit inside a verb's attribution, before its complement."""
    kept: list[Cue] = []
    for cue in cues:
        previous = kept[-1] if kept else None
        inside = (
            cue.kind == "according"
            and previous is not None
            and previous.kind == "verb"
            and reader.complement(previous, cue.span.start) is None
        )
        if not inside:
            kept.append(cue)
    return kept


_CALL = re.compile(normalize(r"[وف]?(?:دعا|دعت|دعوا|طالب|طالبت|طالبوا|داعيا|داعية|مطالبا|مطالبة)"))
_CALL_FOR = re.compile(normalize(r"(?:\s+\S+){0,3}?\s+(?:إلى|ب\w+)"))
"""`دعا … إلى`, `طالب … بـ`: a call, not `إذا دعت الحاجة` (if need be)."""
_RELAY_AHEAD = re.compile(normalize(r"[^.،,]{0,60}?(?<!\w)عن(?!\w)"))
_EN_RELAY_AHEAD = re.compile(r"[^.;:]{0,80}?\bas saying\b", re.IGNORECASE)


def _usable(reader: Reader, cue: Cue, sentence: Span) -> bool:
    """`وفق/according to` needs a source right after it; `نقل` is a speech verb only with عن,
    `quoted` only with `as saying`."""
    if cue.kind == "according":
        return reader.source_after(cue, sentence) is not None
    if cue.relay:
        ahead = _RELAY_AHEAD if reader.language == "ar" else _EN_RELAY_AHEAD
        return ahead.match(reader.text, cue.span.end, sentence.end) is not None
    if _CALL.fullmatch(reader.text, cue.span.start, cue.span.end):
        return _CALL_FOR.match(reader.text, cue.span.end, sentence.end) is not None
    return True


def frame_sentence(reader: Reader, sentence: Span) -> None:
    """Frame every cue of a sentence, in order, appending to `reader.frames`.

    A cue that frames nothing (no speaker can be found) is taken out and the sentence framed again,
    so that it does not cut the words of the cue before it (`موسكو لا ترى …`).
    """
    cues = [c for c in reader.cues_in(sentence) if _usable(reader, c, sentence)]
    cues = _absorb_relays(reader, cues)
    while True:
        frames, inert = _frame_cues(reader, sentence, cues)
        if inert is None:
            reader.frames.extend(frames)
            return
        cues = [c for c in cues if c is not inert]


def _frame_cues(reader: Reader, sentence: Span, cues: list[Cue]) -> tuple[list[Frame], Cue | None]:
    """The frames of a sentence's cues, or the first cue that frames nothing."""
    floors = [sentence.start, *(c.span.end for c in cues)]
    subjects = [reader.subject_before(c, floor) for c, floor in zip(cues, floors, strict=False)]
    anchors = [s[1] if s else c.span.start for c, s in zip(cues, subjects, strict=True)]
    clause = _Clause(sentence, sentence.start)
    for i, cue in enumerate(cues):
        limit = anchors[i + 1] if i + 1 < len(cues) else sentence.end
        if cue.kind == "according":
            later_verb = any(c.kind == "verb" for c in cues[i + 1 :])
            frame = _according_frame(reader, cue, clause, limit, later_verb)
            if frame is None:
                continue
        else:
            if cue.kind == "participle":
                frame = _participle_frame(reader, cue, clause, limit)
            else:
                frame = _verb_frame(reader, cue, clause, anchors[i], subjects[i], limit)
            if frame is None:
                return [], cue
        if reader.words_count(frame.content) == 0:
            clause.pending_via = [*clause.pending_via, frame.speaker.name_en]
            continue
        frame.via = list(dict.fromkeys([*clause.pending_via, *frame.via]))
        clause.pending_via = []
        clause.also += [replace(frame, speaker=s) for s in reader.coordinated(frame)]
        clause.here.append(frame)
        postposed = frame.zone.start >= frame.content.end
        clause.start = limit if postposed else frame.content.end
    return sorted([*clause.here, *clause.also], key=lambda f: f.content.start), None


def _goes_on_with_fa(reader: Reader, cue: Cue) -> bool:
    """`…، فأجاب` / `فقال`: ف goes on with the one the sentence is about (`سُئل لافروف …، فأجاب`)."""
    return reader.language == "ar" and reader.text.startswith("ف", cue.span.start)


def _verb_frame(
    reader: Reader,
    cue: Cue,
    clause: _Clause,
    anchor: int,
    subject_before: tuple[SpeakerMention, int] | None,
    limit: int,
) -> Frame | None:
    """`قال بيسكوف إن …`, `وكانت زاخاروفا قالت إن …`, `Peskov said that …`, `"…," he said`."""
    before = subject_before[0] if subject_before else None
    complement = reader.complement(cue, limit)
    stop = complement[0] if complement else limit
    after, relayed, named = reader.subject_after(cue, stop)
    if cue.relay and not relayed:
        return None
    if relayed or reader.language == "ar":
        subject = after or before
    else:
        subject = before or after
    preface = reader.mentions_in(Span(clause.start, anchor))
    via = reader.via_of(subject, preface, cue.span.start)
    via += [
        v for v in reader.via_of(subject, named, cue.span.start, relayed=relayed) if v not in via
    ]
    if relayed and before is not None and before is not subject:
        passed_on = reader.speaker_of(before, cue.span.start)
        via = [passed_on.name_en, *via] if passed_on else via
    parent = clause.here[-1] if subject is None and clause.here else None
    if subject is not None:
        speaker = reader.speaker_of(subject, cue.span.start, clause.here)
    else:
        speaker = (
            parent.speaker
            if parent
            else reader.topic_subject(cue, clause.sentence)
            or (_goes_on_with_fa(reader, cue) and reader.sentence_subject(cue, clause.sentence))
            or reader.carried_subject(cue)
        )
    if speaker is None:
        return None
    pronoun = subject is not None and subject.how == "pronoun"
    if pronoun and clause.here and clause.here[-1].speaker == speaker:
        parent = clause.here[-1]
    via = (
        via
        or (list(parent.via) if parent else [])
        or reader.route_of(subject, speaker, clause.here)
    )
    if complement:
        content = reader.trim_content(Span(complement[1], limit))
        zone = Span(clause.start, complement[0])
        return Frame(
            cue, clause.sentence, anchor, zone, content, speaker, via, parent,
            continues=pronoun and parent is not None,
        )  # fmt: skip
    return _complement_less(reader, cue, clause, anchor, subject, limit, speaker, via, parent)


def _complement_less(
    reader: Reader,
    cue: Cue,
    clause: _Clause,
    anchor: int,
    subject: SpeakerMention | None,
    limit: int,
    speaker: Speaker,
    via: list[str],
    parent: Frame | None,
) -> Frame | None:
    """No أن/that/colon/quotation after the verb: an object (`أعرب عن …`), bare English words after
    the adverbials (`said on Tuesday Russia …`), or words before the verb (`"…," Peskov said`,
    `Russia has resumed …, the navy chief said on Monday, three months after …`)."""
    after = max(cue.span.end, reader.subject_end(subject) if subject else 0)
    start = reader.skip_english_adverbials(after, limit, objects=cue.takes_object)
    lead_in = _PARENTHETICAL.search(reader.text, clause.start, anchor)
    parenthetical = reader.language != "ar" and lead_in is not None
    # `…, the navy chief said`: the words end at the comma, the article belongs to the speaker;
    # words straight after the verb are its own (`In an interview with Izvestia, Bogdanov said the
    # base …`), unless a comma parts them from it (`…, he said on Monday, three months after …`).
    before = Span(clause.start, lead_in.start() if lead_in and parenthetical else anchor)
    # `"…," a Russian official told Reuters on condition of anonymity`: a quotation closed on its
    # comma just before the speaker is the words, whatever comes after the verb.
    quoted_before = parenthetical and reader.text[before.end - 2 : before.end] in _COMMA_QUOTED
    if (
        reader.words_count(Span(start, limit)) == 0
        or (reader.language == "ar" and not cue.takes_object)
        or (
            parenthetical
            and reader.words_count(before) >= 3
            and ("," in reader.text[after:start] or quoted_before)
        )
    ):
        content = reader.trim_content(before)
        if subject is None or reader.words_count(content) < 2:
            return None
        return Frame(
            cue, clause.sentence, anchor, Span(anchor, limit), content, speaker, via, parent
        )
    if reader.language == "ar":
        start = reader.object_start(after, limit)
    content = reader.trim_content(Span(start, limit))
    return Frame(
        cue, clause.sentence, anchor, Span(clause.start, start), content, speaker, via, parent,
        object_complement=True,
    )  # fmt: skip


def _participle_frame(reader: Reader, cue: Cue, clause: _Clause, limit: int) -> Frame | None:
    """`…، مضيفاً أن …`, `…, adding that …`: the speaker of the clause before."""
    parent = clause.here[-1] if clause.here else None
    speaker = (
        parent.speaker
        if parent
        else reader.sentence_subject(cue, clause.sentence) or reader.carried_subject(cue)
    )
    if speaker is None:
        return None
    complement = reader.complement(cue, min(limit, cue.span.end + 30))
    start = complement[1] if complement else reader.object_start(cue.span.end, limit)
    content = reader.trim_content(Span(start, limit))
    direct = _DIRECT_LEAD.fullmatch(reader.text, cue.span.end, start) is not None
    return Frame(
        cue, clause.sentence, cue.span.start, Span(cue.span.start, start), content, speaker,
        list(parent.via) if parent else [], parent, object_complement=complement is None,
        continues=parent is not None and direct,
    )  # fmt: skip


_CITING = re.compile(normalize(r"[وف]?نقلاً عن") + r"|citing|quoting", re.IGNORECASE)


def _cites(reader: Reader, cue: Cue) -> bool:
    return _CITING.fullmatch(reader.text, cue.span.start, cue.span.end) is not None


def _add_route(frame: Frame, source: Speaker, *, cited: bool) -> None:
    """A source named after the words (`…، بحسب بيان الرئاسة`) is their route; one an outlet cites
    (`…, according to Reuters, citing officials`) is their speaker, and the outlet their route."""
    if cited and frame.speaker.kind == "media":
        frame.via = [frame.speaker.name_en, *(v for v in frame.via if v != source.name_en)]
        frame.speaker = source
    elif source.name_en not in frame.via:
        frame.via.append(source.name_en)


def _according_frame(
    reader: Reader, cue: Cue, clause: _Clause, limit: int, later_verb: bool
) -> Frame | None:
    """`وبحسب مصادر «بلومبرغ»، فإن …` (words after), `…، وفقاً لما أكده مسؤولون` (words before),
    or only a route for the statements around it (`ووفقاً لبيان الرئاسة، أكد الشرع …`)."""
    source = reader.source_after(cue, clause.sentence)
    assert source is not None
    speaker = reader.speaker_of(source, cue.span.start)
    if speaker is None:
        return None
    named = reader.mentions_in(Span(source.span.end, limit))
    via = reader.via_of(source, named, cue.span.start) or reader.route_of(
        source, speaker, clause.here
    )
    inner = reader.relayed_from(source, named)
    if inner is not None and (inner_speaker := reader.speaker_of(inner, cue.span.start)):
        source, speaker, via = inner, inner_speaker, [speaker.name_en, *via]
    before = reader.trim_content(Span(clause.start, cue.span.start))
    if reader.words_count(before) >= 3 and reader.states_something(before):
        return Frame(
            cue, clause.sentence, cue.span.start, Span(cue.span.start, limit), before, speaker, via
        )
    if later_verb:
        clause.pending_via = [*clause.pending_via, speaker.name_en]
        return None
    start = reader.according_content(source, limit)
    content = reader.trim_content(Span(start, limit))
    if reader.words_count(content) == 0:
        for frame in clause.here or reader.frames[-1:]:
            _add_route(frame, speaker, cited=_cites(reader, cue))
        return None
    return Frame(
        cue, clause.sentence, cue.span.start, Span(clause.start, start), content, speaker, via
    )
