"""Matching proposed claims to gold: speaker, date, overlap, one to one."""

from typing import Any

from app.extract.score import Tally, dates_agree, match_claims, score_documents
from tests.extract.registry import LEXICON


def _claim(name: str, start: int, end: int, **fields: Any) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "speaker": {"name": name, "name_en": name, "kind": fields.pop("kind", "person")},
        "via": fields.pop("via", []),
        "start": start,
        "end": end,
        "stated_on": None,
        "stated_on_precision": "unknown",
        "stance": "stay",
        "bases": [],
        "direct": False,
    }
    return claim | fields


def test_speakers_match_through_the_registry_and_spans_by_half_the_shorter() -> None:
    gold = [_claim("ديمتري بيسكوف", 0, 100)]
    assert match_claims(gold, [_claim("Peskov", 40, 90)], LEXICON) == [(0, 0)]
    assert match_claims(gold, [_claim("Peskov", 90, 300)], LEXICON) == []
    assert match_claims(gold, [_claim("Lavrov", 0, 100)], LEXICON) == []


def test_unnamed_speakers_match_on_the_first_via() -> None:
    gold = [_claim("مصدر دبلوماسي", 0, 50, kind="anonymous", via=["TASS"])]
    same = _claim("مصادر", 0, 50, kind="anonymous", via=["تاس"])
    other = _claim("مصدر دبلوماسي", 0, 50, kind="anonymous", via=["Reuters"])
    assert match_claims(gold, [other, same], LEXICON) == [(0, 1)]


def test_dates_agree_within_a_day_or_inside_the_coarser_period() -> None:
    day = {"stated_on": "2025-02-12", "stated_on_precision": "day"}
    assert dates_agree(day, {"stated_on": "2025-02-13", "stated_on_precision": "day"})
    assert not dates_agree(day, {"stated_on": "2025-02-14", "stated_on_precision": "day"})
    assert dates_agree(day, {"stated_on": "2025-02-01", "stated_on_precision": "month"})
    assert not dates_agree(day, {"stated_on": None, "stated_on_precision": "unknown"})


def test_one_to_one_largest_overlap_first_and_field_accuracy() -> None:
    gold = [_claim("Peskov", 0, 100, stance="leave"), _claim("Peskov", 100, 200)]
    proposed = [_claim("Peskov", 10, 190), _claim("Peskov", 0, 100)]
    tally = Tally()
    tally.add(gold, proposed, LEXICON)
    assert (tally.matched, tally.precision, tally.recall) == (2, 1.0, 1.0)
    assert tally.accuracy("stance") == 0.5


def test_only_annotated_claims_are_gold() -> None:
    """An exported archive holds claims an editor rejected and proposals never reviewed: the
    extractor finding those again is no match, and missing them is no miss."""
    proposed = [_claim("Peskov", 0, 100), _claim("Peskov", 200, 300)]
    gold = {
        "article": {"language": "ar"},
        "claims": [
            _claim("Peskov", 0, 100),
            _claim("Peskov", 200, 300, status="rejected"),
            _claim("Peskov", 400, 500, status="extracted"),
        ],
    }
    [tally] = score_documents([(gold, proposed)], LEXICON).by_language.values()
    assert (tally.gold, tally.proposed, tally.matched) == (1, 2, 1)
