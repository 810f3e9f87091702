"""Dates: when a statement was made, resolved against the publication date, and the publication
date itself when the text carries one.

Expressions are found in normalised text. Each has a kind and resolves on its own:
`الخميس` → the latest Thursday on or before publication; `الشهر الماضي` → the month before, and so on.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.extract.normalize import ASCII_DIGITS, normalize
from app.extract.types import UNKNOWN_DATE, Span, StatedDate
from app.extract.words import alternation, lowered, text_words

_AR_WEEKDAYS = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
}
_EN_WEEKDAYS = {
    d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
_AR_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4, "إبريل": 4,
    "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "يونيه": 6, "حزيران": 6, "يوليو": 7, "يوليه": 7,
    "تموز": 7, "أغسطس": 8, "آب": 8, "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12,
}  # fmt: skip
_EN_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_AR_UNITS = "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر".split()
_AR_ORDINALS = {
    **{normalize(w): i for i, w in enumerate(_AR_UNITS, start=1)},
    normalize("الحادي عشر"): 11,
    **{normalize(f"{w} عشر"): 10 + i for i, w in enumerate(_AR_UNITS[1:9], start=2)},
    normalize("العشرين"): 20,
    normalize("الثلاثين"): 30,
    **{
        normalize(f"{w} والعشرين"): 20 + i
        for i, w in enumerate(["الحادي", *_AR_UNITS[1:9]], start=1)
    },
    normalize("الحادي والثلاثين"): 31,
}

MONTHS = {normalize(k): v for k, v in _AR_MONTHS.items()} | _EN_MONTHS
WEEKDAYS = {normalize(k): v for k, v in _AR_WEEKDAYS.items()} | _EN_WEEKDAYS


_MONTH = rf"(?P<month>{alternation(MONTHS)})\.?(?:\s*/\s*(?:{alternation(MONTHS)}))?"
_WORDLIKE_MONTHS = {"may", "march", "mar", normalize("آب"), normalize("مارس")}
"""Month names that are also common words (the modal "may"; مارس "exerted"): only with a day."""
_MONTH_ALONE = _MONTH.replace(alternation(MONTHS), alternation(set(MONTHS) - _WORDLIKE_MONTHS), 1)
_DAY = rf"(?P<day>\d{{1,2}}|{alternation(_AR_ORDINALS)})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


_Resolver = Callable[[dt.date | None], StatedDate]


def _matchable(text: str) -> str:
    """The text as the date patterns read it, offsets unchanged: lower case, ASCII digits."""
    return lowered(text).translate(ASCII_DIGITS)  # a `19|20` year asks for ASCII


@dataclass(frozen=True, slots=True)
class DateExpression:
    """A time expression and how it resolves: `أمس` resolves to the day before publication."""

    span: Span
    resolve: _Resolver
    deictic: bool = False
    """Said from the day of writing (أمس، الخميس، الشهر الماضي، earlier): such a date can carry over
    to the next statement on the same occasion; a calendar date in the narration (a dateline) does
    not."""


def _day(value: dt.date | None) -> StatedDate:
    return StatedDate(value, "day") if value else UNKNOWN_DATE


def _month(value: dt.date | None) -> StatedDate:
    return StatedDate(value.replace(day=1), "month") if value else UNKNOWN_DATE


def weekday_before(published: dt.date, weekday: int, *, strictly: bool = False) -> dt.date:
    """The latest such weekday on or before publication: Thursday against Sat 19 Apr → 17 Apr."""
    back = (published.weekday() - weekday) % 7
    return published - dt.timedelta(days=back or (7 if strictly else 0))


def month_before(published: dt.date, month: int, *, strictly: bool = False) -> dt.date:
    """The latest such month on or before publication: December against Feb 2025 → Dec 2024."""
    later = month > published.month or (strictly and month == published.month)
    return dt.date(published.year - later, month, 1)


def day_before(published: dt.date, month: int, day: int) -> dt.date | None:
    """The latest such day of the year on or before publication: 28 January against Feb → this year."""
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate <= published:
            return candidate
    return None


def _shift(days: int) -> Callable[[dt.date | None], StatedDate]:
    return lambda published: _day(published + dt.timedelta(days=days) if published else None)


def _weekday(weekday: int, strictly: bool) -> Callable[[dt.date | None], StatedDate]:
    return lambda published: _day(
        weekday_before(published, weekday, strictly=strictly) if published else None
    )


def _month_named(
    month: int, year: int | None, strictly: bool
) -> Callable[[dt.date | None], StatedDate]:
    def resolve(published: dt.date | None) -> StatedDate:
        if year:
            return StatedDate(dt.date(year, month, 1), "month")
        return _month(month_before(published, month, strictly=strictly) if published else None)

    return resolve


def _day_named(month: int, day: int, year: int | None) -> Callable[[dt.date | None], StatedDate]:
    def resolve(published: dt.date | None) -> StatedDate:
        if year:
            return _day(_safe_date(year, month, day))
        return _day(day_before(published, month, day) if published else None)

    return resolve


def _months_back(months: int) -> Callable[[dt.date | None], StatedDate]:
    def resolve(published: dt.date | None) -> StatedDate:
        if not published:
            return UNKNOWN_DATE
        index = published.year * 12 + published.month - 1 - months
        return StatedDate(dt.date(index // 12, index % 12 + 1, 1), "month")

    return resolve


def _year(year: int) -> Callable[[dt.date | None], StatedDate]:
    return lambda published: StatedDate(dt.date(year, 1, 1), "year")


def _unknown(published: dt.date | None) -> StatedDate:
    return UNKNOWN_DATE


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_number(text: str) -> int:
    return int(text) if text.isdigit() else _AR_ORDINALS[text]


_W = r"(?<!\w)"
_MONTH_WORDS = frozenset(k.split()[0] for k in MONTHS)
_WEEKDAY_WORDS = frozenset({*WEEKDAYS, *(w[2:] for w in WEEKDAYS if w.startswith("ال"))})
_YESTERDAY = frozenset(
    {normalize("أمس"), normalize("البارحة"), normalize("الليلة"), "yesterday", "night"}
)
_TODAY = frozenset({normalize("اليوم"), "today"})
_MONTH_NOUN = frozenset({normalize("الشهر"), "month"})
_WEEK_NOUN = frozenset({normalize("الأسبوع"), "week"})
_YEAR_WORDS = frozenset({"0"})
_EARLIER = frozenset(
    normalize("وقت سابقاً سبق مراراً مناسبات").split()
    + ["earlier", "previously", "repeatedly", "past", "said"]
)
_NAMED_DAY = (
    rf"(?:\s+(?P<named>{alternation(k for k in WEEKDAYS if k.startswith('ال'))})|\s+ال\w+)?(?!\w)"
)
"""The word after `أمس` / `اليوم`: a weekday (`اليوم الأربعاء`), or another (`اليوم الثاني`)."""


def _named_day_or(match: re.Match[str], days: int) -> _Resolver:
    """`اليوم الأربعاء` is the Wednesday even when the page is dated a day later (time zones, a
    late upload): the weekday is the more exact; without one, `days` from publication."""
    named = match.group("named")
    return _weekday(WEEKDAYS[named], False) if named else _shift(days)


_PATTERNS: list[
    tuple[re.Pattern[str], Callable[[re.Match[str]], _Resolver], bool, frozenset[str]]
] = [
    (  # أول أمس، أمس الأول، the day before yesterday
        re.compile(normalize(rf"{_W}(?:أول أمس|أمس الأول)") + r"|\bthe day before yesterday\b"),
        lambda m: _shift(-2),
        True,
        _YESTERDAY,
    ),
    (  # أمس، البارحة، الليلة الماضية، yesterday, last night (a weekday after it agrees)
        re.compile(
            normalize(rf"{_W}(?:[وف]?(?:مساء |صباح )?أمس|البارحة|الليلة الماضية)")
            + _NAMED_DAY
            + r"|\b(?:yesterday|last night)\b"
        ),
        lambda m: _named_day_or(m, -1),
        True,
        _YESTERDAY,
    ),
    (  # اليوم، اليوم الأربعاء، today, earlier today
        re.compile(normalize(rf"{_W}(?:[وف]?(?:مساء |صباح )?اليوم)") + _NAMED_DAY + r"|\btoday\b"),
        lambda m: _named_day_or(m, 0),
        True,
        _TODAY,
    ),
    (  # الخميس، يوم الأحد الماضي، on Thursday, last Sunday
        re.compile(
            rf"{_W}(?:[وفب]?(?:يوم\s+)?)(?P<wd>{alternation(k for k in WEEKDAYS if k.startswith('ال'))})"
            + normalize(r"(?P<past>\s+الماضي)?(?!\w)")
            + rf"|\b(?P<last>last\s+)?(?P<en>{alternation(_EN_WEEKDAYS)})\b"
        ),
        lambda m: _weekday(
            WEEKDAYS[(m.group("wd") or m.group("en")).lower()],
            bool(m.group("past") or m.group("last")),
        ),
        True,
        _WEEKDAY_WORDS,
    ),
    (  # 12 شباط 2025، الثاني عشر من شباط الماضي، Dec. 13, 13 December
        re.compile(rf"{_W}{_DAY}(?:\s+من)?\s+{_MONTH}(?:\s+{_YEAR})?"),
        lambda m: _day_named(
            MONTHS[m.group("month").lower()], _day_number(m.group("day")), _int(m.group("year"))
        ),
        False,
        _MONTH_WORDS,
    ),
    (
        re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?"),
        lambda m: _day_named(
            MONTHS[m.group("month").lower()], int(m.group("day")), _int(m.group("year"))
        ),
        False,
        _MONTH_WORDS,
    ),
    (  # May 2024, آذار 2025
        re.compile(rf"{_W}[وفب]?{_MONTH}\s+{_YEAR}"),
        lambda m: _month_named(MONTHS[m.group("month").lower()], int(m.group("year")), False),
        False,
        _MONTH_WORDS,
    ),
    (  # أواخر ديسمبر الماضي، في يناير، in late December
        re.compile(rf"{_W}[وفب]?{_MONTH_ALONE}(?!\w)" + normalize(r"(?P<past>\s+الماضي)?")),
        lambda m: _month_named(MONTHS[m.group("month").lower()], None, bool(m.group("past"))),
        False,
        _MONTH_WORDS,
    ),
    (  # الشهر الماضي، last month
        re.compile(normalize(r"الشهر (?:الماضي|المنصرم|الفائت)") + r"|\blast month\b"),
        lambda m: _months_back(1),
        True,
        _MONTH_NOUN,
    ),
    (  # هذا الشهر، earlier this month
        re.compile(normalize(r"(?:هذا الشهر|الشهر الجاري|الشهر الحالي)") + r"|\bthis month\b"),
        lambda m: _months_back(0),
        True,
        _MONTH_NOUN,
    ),
    (  # الأسبوع الماضي، last week → the month of the week before publication
        re.compile(normalize(r"الأسبوع (?:الماضي|المنصرم|الفائت)") + r"|\blast week\b"),
        lambda m: _last_week,
        True,
        _WEEK_NOUN,
    ),
    (  # عام 2017، in 2017
        re.compile(normalize(rf"(?:{_W}(?:عام|العام|سنة)|\bin)\s+") + _YEAR + r"\b"),
        lambda m: _year(int(m.group("year"))),
        False,
        _YEAR_WORDS,
    ),
    (  # في وقت سابق، سبق أن، مراراً, earlier, has said, repeatedly
        re.compile(
            normalize(
                r"(?<!\w)(?:في وقت سابق|وقت سابق|سابقاً|سبق أن|سبق و|سبق ل\w+ أن|مراراً|في مناسبات عدة)"
            )
            + r"|\b(?:earlier|previously|repeatedly|in the past|has said|have said|has repeatedly)\b"
        ),
        lambda m: _unknown,
        True,
        _EARLIER,
    ),
]


def period_end(stated: StatedDate) -> dt.date | None:
    """The last day of the period a date stands for: the day itself, or the month's last day."""
    if stated.value is None or stated.precision not in ("day", "month"):
        return None
    if stated.precision == "day":
        return stated.value
    next_month = stated.value.replace(day=28) + dt.timedelta(days=4)
    return next_month - dt.timedelta(days=next_month.day)


def _last_week(published: dt.date | None) -> StatedDate:
    return _month(published - dt.timedelta(days=7) if published else None)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


_DIGITS = "0"
"""The trigger key standing for any number."""


def _trigger_index() -> dict[str, frozenset[int]]:
    """Trigger word → the patterns that may match around it."""
    index: dict[str, set[int]] = {}
    for i, (_, _, _, words) in enumerate(_PATTERNS):
        for word in words:
            index.setdefault(word, set()).add(i)
    return {word: frozenset(patterns) for word, patterns in index.items()}


_TRIGGERS = _trigger_index()
_BEFORE, _AFTER = 3, 6


def _trigger(key: str) -> frozenset[int]:
    """The patterns a word can start or anchor (a clitic و/ف/ب aside; numbers as one key)."""
    if key.isdigit():
        key = _DIGITS
    found = _TRIGGERS.get(key)
    if found is None and key[:1] in "وفب":
        found = _TRIGGERS.get(key[1:])
    return found or frozenset()


def _windows(text: str) -> list[tuple[int, int, frozenset[int]]]:
    """Stretches of a few words around each trigger word, merged, with the patterns to try there."""
    words, keys = text_words(text)
    windows: list[tuple[int, int, frozenset[int]]] = []
    for i, key in enumerate(keys):
        patterns = _trigger(key)
        if not patterns:
            continue
        start = words[max(0, i - _BEFORE)].start()
        end = words[min(len(words) - 1, i + _AFTER)].end()
        if windows and start <= windows[-1][1]:
            last = windows[-1]
            windows[-1] = (last[0], max(end, last[1]), last[2] | patterns)
        else:
            windows.append((start, end, patterns))
    return windows


def find_date_expressions(text: str) -> list[DateExpression]:
    """Every time expression in a normalised text, in order; overlaps keep the earlier, longer one."""
    text = _matchable(text)
    found = sorted(
        (
            (
                m.start(),
                -(m.end() - m.start()),
                DateExpression(Span(m.start(), m.end()), build(m), deictic),
            )
            for start, end, patterns in _windows(text)
            for pattern, build, deictic, _ in (_PATTERNS[i] for i in sorted(patterns))
            for m in pattern.finditer(text, start, end)
        ),
        key=lambda item: (item[0], item[1]),
    )
    kept: list[DateExpression] = []
    for _, _, expression in found:
        if not kept or expression.span.start >= kept[-1].span.end:
            kept.append(expression)
    return kept


_FULL_DATES = [
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+{_YEAR}"),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_MONTH},?\s+{_YEAR}"),
    re.compile(r"(?P<year>20\d\d)-(?P<mm>\d\d)-(?P<day>\d\d)"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})([/.-])(?P<mm>\d{1,2})\2(?P<year>20\d\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>20\d\d)/(?P<mm>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
]
_LABEL = re.compile(normalize(r"تاريخ النشر|نشر في|آخر تحديث|") + r"published|updated")
_HEADER = 300


def _full_dates(text: str) -> Iterable[tuple[int, dt.date]]:
    """Complete dates with a year: `السبت, أبريل 19, 2025`, `7th, February 2025`, `2025-02-12`."""
    for pattern in _FULL_DATES:
        for m in pattern.finditer(text):
            month = (
                int(m.group("mm")) if "mm" in m.groupdict() else MONTHS[m.group("month").lower()]
            )
            value = _safe_date(int(m.group("year")), month, int(m.group("day")))
            if value:
                yield m.start(), value


def find_publication_date(text: str) -> dt.date | None:
    """The date the article gives for itself: a labelled date, else one in its first lines, else the
    latest complete date it mentions. `تاريخ النشر: 7th, February 2025` → 2025-02-07."""
    normalized = _matchable(normalize(text))
    dates = sorted(_full_dates(normalized))
    if not dates:
        return None
    for label in _LABEL.finditer(normalized):
        following = [d for at, d in dates if 0 <= at - label.end() < 40]
        if label.group() and following:
            return following[0]
    header = [d for at, d in dates if at < _HEADER]
    return header[0] if header else max(d for _, d in dates)
