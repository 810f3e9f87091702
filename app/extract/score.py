"""Scoring proposed claims against gold (annotated-article.md, "How extracted claims are scored").

A proposed claim matches a gold claim, one to one and largest overlap first, when the speaker is
the same actor (by name or alias after normalisation; unnamed speakers by the first `via`), the
dates agree (both unknown; within a day; inside the month or year for coarser precision) and the
spans overlap by at least half of the shorter. Over matched pairs, stance, bases, `direct` and the
date (value and precision exactly) are counted right or wrong.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.extract.lexicon import Lexicon
from app.extract.normalize import normalize
from app.extract.types import Span

Claim = Mapping[str, Any]
FIELDS = ("stance", "bases", "direct", "date")


def speaker_key(name: str, lexicon: Lexicon) -> str:
    """The actor a name denotes (`بوتين` → vladimir-putin), or the normalised name itself."""
    actor = lexicon.actor_named(name)
    return actor.slug if actor else " ".join(normalize(name).casefold().split())


def same_speaker(gold: Claim, proposed: Claim, lexicon: Lexicon) -> bool:
    """Same actor by name or English name; two unnamed speakers by their first `via` (or, heard
    directly, by their side)."""
    a, b = gold["speaker"], proposed["speaker"]
    if a["kind"] == "anonymous" and b["kind"] == "anonymous":
        if gold["via"] or proposed["via"]:
            return bool(gold["via"] and proposed["via"]) and speaker_key(
                gold["via"][0], lexicon
            ) == speaker_key(proposed["via"][0], lexicon)
        return bool(a.get("affiliation") == b.get("affiliation"))
    keys_a = {speaker_key(a["name"], lexicon), speaker_key(a["name_en"], lexicon)}
    keys_b = {speaker_key(b["name"], lexicon), speaker_key(b["name_en"], lexicon)}
    return bool(keys_a & keys_b)


def dates_agree(gold: Claim, proposed: Claim) -> bool:
    """Both unknown; inside the same year or month at that precision; else within one day."""
    a, b = _date(gold), _date(proposed)
    if a is None or b is None:
        return a is None and b is None
    precisions = {gold["stated_on_precision"], proposed["stated_on_precision"]}
    if "year" in precisions:
        return a.year == b.year
    if "month" in precisions:
        return (a.year, a.month) == (b.year, b.month)
    return abs((a - b).days) <= 1


def _date(claim: Claim) -> dt.date | None:
    value = claim.get("stated_on")
    return dt.date.fromisoformat(value) if value else None


def _span(claim: Claim) -> Span:
    return Span(int(claim["start"]), int(claim["end"]))


def _overlaps_enough(gold: Claim, proposed: Claim) -> int:
    """The overlap in characters when it covers at least half of the shorter span, else 0."""
    a, b = _span(gold), _span(proposed)
    shared = a.overlap(b)
    return shared if shared * 2 >= min(len(a), len(b)) else 0


def match_claims(
    gold: Sequence[Claim], proposed: Sequence[Claim], lexicon: Lexicon
) -> list[tuple[int, int]]:
    """One-to-one (gold index, proposed index) pairs, largest overlap first."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(proposed):
            shared = _overlaps_enough(g, p)
            if shared and same_speaker(g, p, lexicon) and dates_agree(g, p):
                candidates.append((shared, i, j))
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_proposed: set[int] = set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_gold and j not in used_proposed:
            pairs.append((i, j))
            used_gold.add(i)
            used_proposed.add(j)
    return pairs


def _agrees(name: str, gold: Claim, proposed: Claim) -> bool:
    if name == "bases":
        return set(gold["bases"]) == set(proposed["bases"])
    if name == "date":
        keys = ("stated_on", "stated_on_precision")
        return all(gold.get(k) == proposed.get(k) for k in keys)
    return bool(gold[name] == proposed[name])


@dataclass
class Tally:
    """Counts for a set of articles: claims gold, proposed and matched; fields right over matches."""

    articles: int = 0
    gold: int = 0
    proposed: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.matched if self.matched else 0.0

    def add(self, gold: Sequence[Claim], proposed: Sequence[Claim], lexicon: Lexicon) -> None:
        """Score one article's proposed claims against its gold claims."""
        pairs = match_claims(gold, proposed, lexicon)
        self.articles += 1
        self.gold += len(gold)
        self.proposed += len(proposed)
        self.matched += len(pairs)
        for i, j in pairs:
            for name in FIELDS:
                self.right[name] += _agrees(name, gold[i], proposed[j])


@dataclass
class Report:
    """Tallies per language and over everything."""

    by_language: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)

    def add(
        self, language: str, gold: Sequence[Claim], proposed: Sequence[Claim], lexicon: Lexicon
    ) -> None:
        self.by_language.setdefault(language, Tally()).add(gold, proposed, lexicon)
        self.overall.add(gold, proposed, lexicon)

    def table(self) -> str:
        """The figures as a plain-text table, one row per language and one for all."""
        header = f"{'lang':<5}{'art':>4}{'gold':>6}{'prop':>6}{'match':>6}{'P':>7}{'R':>7}{'F1':>7}"
        header += "".join(f"{name:>8}" for name in FIELDS)
        rows = [header]
        for language, tally in [*sorted(self.by_language.items()), ("all", self.overall)]:
            row = f"{language:<5}{tally.articles:>4}{tally.gold:>6}{tally.proposed:>6}{tally.matched:>6}"
            row += f"{tally.precision:>7.3f}{tally.recall:>7.3f}{tally.f1:>7.3f}"
            row += "".join(f"{_accuracy(tally, name):>8}" for name in FIELDS)
            rows.append(row)
        return "\n".join(rows)


def _accuracy(tally: Tally, name: str) -> str:
    """Over matched claims: with none matched there is nothing to be right about, and 0.000
    would read as every one wrong."""
    return f"{tally.accuracy(name):.3f}" if tally.matched else "n/a"


def score_documents(
    pairs: Iterable[tuple[Mapping[str, Any], Sequence[Claim]]], lexicon: Lexicon
) -> Report:
    """Score (gold annotated-article document, proposed claims) pairs. Gold is what a person
    annotated (`verified`, the default): a rejected claim is no claim, and a proposal still
    waiting for review was never checked (an exported archive holds both)."""
    report = Report()
    for gold, proposed in pairs:
        annotated = [c for c in gold["claims"] if c.get("status", "verified") == "verified"]
        report.add(gold["article"]["language"], annotated, proposed, lexicon)
    return report
