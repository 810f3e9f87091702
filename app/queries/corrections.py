"""The corrections log, newsroom style: "Date corrected from 13 to 12 February 2025 on
3 March 2025", one line per public field that changed, read from the revision history."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.ingest.records import Record
from app.messages import N_
from app.models.vocab import ClaimStatus
from app.queries.claims import RevisionRow, records_by_version

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

LABELS = {
    "speaker": N_("Speaker"),
    "speaker_name": N_("Speaker"),
    "role": N_("Speaker's role"),
    "affiliation": N_("Side"),
    "via": N_("Source chain"),
    "quote": N_("Quote"),
    "direct": N_("Direct quotation"),
    "stated_on": N_("Date"),
    "bases": N_("Bases"),
    "stance": N_("Stance"),
    "summary_en": N_("English summary"),
}
"""The fields a reader sees, in page order; offsets, tags and the extractor's notes are not.
English in the log (a newsroom's corrections read in one language); the editors' pages show
the same labels in their interface language. `speaker` is the actor a claim is attributed to,
logged by address when only it changed (an actor merge): `speaker_name`, when it changed too,
already says who."""

QUOTED = {"quote", "summary_en"}

STATUS_CHANGES = {
    ClaimStatus.REJECTED: "Withdrawn from the record",
    ClaimStatus.VERIFIED: "Checked and published",
}


@dataclass(frozen=True)
class Correction:
    version: int
    on: date
    label: str
    field: str | None = None
    """The record field corrected; None for a change of status."""
    before: tuple[str, ...] | None = None
    after: tuple[str, ...] | None = None
    """The old and new values, a list's items apart, so that the page isolates each one (an
    Arabic source chain in an English line keeps its order). Without them, the label says it
    all ("Withdrawn from the record")."""
    quoted: bool = False
    """Old and new are passages of text, shown in quotation marks."""

    @property
    def old(self) -> str | None:
        return None if self.before is None else ", ".join(self.before)

    @property
    def new(self) -> str | None:
        return None if self.after is None else ", ".join(self.after)

    @property
    def on_text(self) -> str:
        return long_date(self.on)


def long_date(value: date | None, precision: str = "day") -> str:
    """`12 February 2025`, `February 2025`, `2025`, or `date unknown`."""
    if value is None or precision == "unknown":
        return "date unknown"
    if precision == "year":
        return str(value.year)
    month = f"{MONTHS[value.month - 1]} {value.year}"
    return month if precision == "month" else f"{value.day} {month}"


def date_change(old: Record, new: Record) -> tuple[str, str]:
    """Both dates, the old one shortened where it shares the new one's month and year."""
    before, after = (_date(r.get("stated_on")) for r in (old, new))
    precisions = old.get("stated_on_precision", "day"), new.get("stated_on_precision", "day")
    if before and after and precisions == ("day", "day") and before.year == after.year:
        if before.month == after.month:
            return str(before.day), long_date(after)
        return f"{before.day} {MONTHS[before.month - 1]}", long_date(after)
    return long_date(before, precisions[0]), long_date(after, precisions[1])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def shown_values(field: str, value: Any) -> tuple[str, ...]:
    """A value as the log shows it: a list item by item, anything else as one."""
    if isinstance(value, list):
        items = tuple(str(v).capitalize() if field == "bases" else str(v) for v in value)
        return items or ("none",)
    if isinstance(value, bool):
        return ("yes" if value else "no",)
    return ("none" if value in (None, "") else str(value),)


def corrections(revisions: list[RevisionRow]) -> list[Correction]:
    """Every public change after the claim was first published, oldest first. What editors
    changed in the extractor's proposal before publishing it corrected no published value
    (their history page has it); a claim never published is all proposal, logged from the
    start under its notice that no editor has checked it."""
    records = records_by_version(revisions)
    when = _version_dates(revisions)
    log: list[Correction] = []
    for version in sorted(records)[_first_published(records) :]:  # 1, 2, …: those after it
        log += _changes(records[version - 1], records[version], version, when[version])
    return log


def _first_published(records: dict[int, Record]) -> int:
    """The first version that was published, or 1 when none was."""
    published = (v for v, r in records.items() if r.get("status") == ClaimStatus.VERIFIED)
    return min(published, default=1)


def _version_dates(revisions: list[RevisionRow]) -> dict[int, date]:
    dates: dict[int, datetime] = {}
    for revision in revisions:
        dates.setdefault(revision.version, revision.at)
    if not dates:
        return {}
    # A claim stored without its first revision (bulk-copied) dates version 1 by its first change.
    first = min(dates.values())
    return {
        v: (dates.get(v) or max((d for k, d in dates.items() if k < v), default=first)).date()
        for v in range(1, max(dates) + 1)
    }


def _changed_fields(old: Record, new: Record) -> list[str]:
    changed = [field for field in LABELS if old.get(field) != new.get(field)]
    if "stated_on" not in changed and (
        old.get("stated_on_precision") != new.get("stated_on_precision")
    ):
        changed.append("stated_on")
    if "speaker_name" in changed and "speaker" in changed:
        changed.remove("speaker")  # the name says who: the actor's address would say it twice
    return sorted(changed, key=list(LABELS).index)


def _field_change(field: str, old: Record, new: Record, version: int, on: date) -> Correction:
    before: tuple[str, ...]
    after: tuple[str, ...]
    if field == "stated_on":
        old_date, new_date = date_change(old, new)
        before, after = (old_date,), (new_date,)
    else:
        before, after = shown_values(field, old.get(field)), shown_values(field, new.get(field))
    label = f"{LABELS[field]} corrected"
    return Correction(version, on, label, field, before, after, quoted=field in QUOTED)


def _changes(old: Record, new: Record, version: int, on: date) -> list[Correction]:
    log = [_field_change(field, old, new, version, on) for field in _changed_fields(old, new)]
    status, merged_into = new.get("status"), new.get("merged_into_id")
    was_merged_into = old.get("merged_into_id")
    if merged_into and merged_into != was_merged_into:
        # the withdrawal goes without saying
        log.append(Correction(version, on, f"Merged into claim {merged_into}"))
    elif was_merged_into and not merged_into:  # and back with the status it had before
        log.append(Correction(version, on, f"Merge into claim {was_merged_into} undone"))
    elif status != old.get("status") and status in STATUS_CHANGES:
        log.append(Correction(version, on, STATUS_CHANGES[ClaimStatus(status)]))
    return log
