"""Time expressions resolved against the publication date, and the publication date itself."""

import datetime as dt

import pytest

from app.extract.dates import find_date_expressions, find_publication_date
from app.extract.normalize import normalize

SATURDAY = dt.date(2025, 4, 19)


def _resolve(phrase: str, published: dt.date = SATURDAY) -> tuple[str | None, str]:
    (expression,) = find_date_expressions(normalize(phrase))
    stated = expression.resolve(published)
    return (stated.value.isoformat() if stated.value else None), stated.precision


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("الخميس", ("2025-04-17", "day")),
        ("السبت", ("2025-04-19", "day")),
        ("السبت الماضي", ("2025-04-12", "day")),
        ("أمس الجمعة", ("2025-04-18", "day")),
        ("اليوم", ("2025-04-19", "day")),
        ("الشهر الماضي", ("2025-03-01", "month")),
        ("الأسبوع الماضي", ("2025-04-01", "month")),
        ("أواخر ديسمبر الماضي", ("2024-12-01", "month")),
        ("في الثاني عشر من شباط", ("2025-02-12", "day")),
        ("عام 2017", ("2017-01-01", "year")),
        ("في وقت سابق", (None, "unknown")),
        ("سبق أن", (None, "unknown")),
        ("on Thursday", ("2025-04-17", "day")),
        ("last week", ("2025-04-01", "month")),
        ("in late December", ("2024-12-01", "month")),
        ("on Jan. 28", ("2025-01-28", "day")),
        ("the day before yesterday", ("2025-04-17", "day")),
        ("has said", (None, "unknown")),
        # Arabic-Indic digits, and both series of Arabic month names
        ("في ١٢ شباط ٢٠٢٤", ("2024-02-12", "day")),
        ("في ٣ كانون الثاني ٢٠٢٤", ("2024-01-03", "day")),
        ("في ٣ يناير ٢٠٢٤", ("2024-01-03", "day")),
        ("في آذار ٢٠٢٣", ("2023-03-01", "month")),
        ("عام ٢٠١٧", ("2017-01-01", "year")),
        ("في ١٠ أبريل", ("2025-04-10", "day")),
        ("كانون الأول الماضي", ("2024-12-01", "month")),
        ("مساء أمس", ("2025-04-18", "day")),
        ("اليوم الخميس", ("2025-04-17", "day")),
        ("اليوم الثاني", ("2025-04-19", "day")),
        ("يوم الثلاثاء", ("2025-04-15", "day")),
        ("yesterday", ("2025-04-18", "day")),
    ],
)
def test_expressions_resolve_against_publication(
    phrase: str, expected: tuple[str | None, str]
) -> None:
    assert _resolve(phrase) == expected


def test_words_that_only_look_like_dates_are_not_dates() -> None:
    assert find_date_expressions(normalize("ليس موجها ضد أحد، والقوات may remain")) == []


def test_without_a_publication_date_relative_expressions_are_unknown() -> None:
    (expression,) = find_date_expressions(normalize("الخميس"))
    assert expression.resolve(None).precision == "unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("السبت, أبريل 19, 2025\nروسيا تؤكد", dt.date(2025, 4, 19)),
        ("العنوان\nتاريخ النشر: 7th, February 2025 GMT\nالنص", dt.date(2025, 2, 7)),
        ("نص بلا تاريخ كامل، الخميس الماضي.", None),
        ("الثلاثاء ١١ شباط ٢٠٢٥\nالنص", dt.date(2025, 2, 11)),
        ("تاريخ النشر: ١١ فبراير ٢٠٢٥\nالنص", dt.date(2025, 2, 11)),
        ("نشر في ١١/٠٢/٢٠٢٥\nالنص", dt.date(2025, 2, 11)),
        # day-month-year with dashes or dots, and year/month/day, as many sites write them
        ("آخر تحديث: 14-11-2025 | 10:30\nالنص", dt.date(2025, 11, 14)),
        ("تاريخ النشر: 2025/11/14\nالنص", dt.date(2025, 11, 14)),
        ("МОСКВА, 14.11.2025\nтекст", dt.date(2025, 11, 14)),
        ("هاتف 12-34-5678\nالنص", None),
    ],
)
def test_the_publication_date_is_found_in_the_text(text: str, expected: dt.date | None) -> None:
    assert find_publication_date(text) == expected
