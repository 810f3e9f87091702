"""A claim as a flat record in the annotated-article vocabulary: what the loader compares,
the revision history stores, and the export writes back."""

from datetime import date
from typing import Any

from app.ingest.schema import ClaimIn, Speaker
from app.models import Claim
from app.models.vocab import ActorKind, ClaimStatus, MilitaryBase, Precision, Stance

Record = dict[str, Any]

# Record field → Claim column, for the fields that are plain columns.
COLUMNS = {
    "speaker_name": "speaker_name",
    "role": "speaker_role",
    "affiliation": "speaker_affiliation",
    "via": "via",
    "quote": "quote",
    "start": "span_start",
    "end": "span_end",
    "direct": "direct",
    "stated_on": "stated_on",
    "stated_on_precision": "stated_on_precision",
    "bases": "bases",
    "stance": "stance",
    "summary_en": "summary_en",
    "summary_machine": "summary_machine",
    "status": "status",
    "extractor": "extractor",
}


def record_from_input(claim: ClaimIn, speaker_slug: str) -> Record:
    return {
        "speaker": speaker_slug,
        "speaker_name": claim.speaker.name,
        "role": claim.speaker.role,
        "affiliation": claim.speaker.affiliation,
        "via": list(claim.via),
        "quote": claim.quote,
        "start": claim.start,
        "end": claim.end,
        "direct": claim.direct,
        "stated_on": _iso(claim.stated_on),
        "stated_on_precision": claim.stated_on_precision.value,
        "bases": [base.value for base in claim.bases],
        "stance": claim.stance.value,
        "summary_en": claim.summary_en,
        "summary_machine": claim.summary_machine,
        "status": claim.status.value,
        "extractor": claim.extractor,
        "tags": sorted(set(claim.tags)),
    }


def record_of(claim: Claim) -> Record:
    """The claim's current record; needs `speaker` and `tags` loaded."""
    record: Record = {"speaker": claim.speaker.slug}
    for field, column in COLUMNS.items():
        value = getattr(claim, column)
        record[field] = _iso(value) if isinstance(value, date) else value
    record["via"] = list(claim.via)
    record["bases"] = list(claim.bases)
    record["tags"] = sorted(tag.name for tag in claim.tags)
    return record


def changed_fields(old: Record, new: Record) -> list[str]:
    return [field for field in new if old.get(field) != new[field]]


def claim_input(claim: Claim) -> ClaimIn:
    """The claim in file form, for export; needs `speaker` and `tags` loaded."""
    return ClaimIn(
        speaker=Speaker(
            name=claim.speaker_name,
            name_en=claim.speaker.name_en,
            kind=ActorKind(claim.speaker.kind),
            role=claim.speaker_role,
            affiliation=claim.speaker_affiliation,
        ),
        via=list(claim.via),
        quote=claim.quote,
        start=claim.span_start,
        end=claim.span_end,
        direct=claim.direct,
        stated_on=claim.stated_on,
        stated_on_precision=Precision(claim.stated_on_precision),
        bases=[MilitaryBase(base) for base in claim.bases],
        stance=Stance(claim.stance),
        summary_en=claim.summary_en,
        summary_machine=claim.summary_machine,
        status=ClaimStatus(claim.status),
        extractor=claim.extractor,
        tags=sorted(tag.name for tag in claim.tags),
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
