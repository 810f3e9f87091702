"""The controlled vocabularies of the annotated-article format, shared by models, schema and pages."""

from enum import StrEnum


class Stance(StrEnum):
    STAY = "stay"
    LEAVE = "leave"
    CONDITIONAL = "conditional"
    NEGOTIATING = "negotiating"
    REVIEW = "review"
    UNCLEAR = "unclear"


class MilitaryBase(StrEnum):
    HMEIMIM = "hmeimim"
    TARTUS = "tartus"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


class ClaimStatus(StrEnum):
    EXTRACTED = "extracted"
    VERIFIED = "verified"
    REJECTED = "rejected"


class ActorKind(StrEnum):
    PERSON = "person"
    INSTITUTION = "institution"
    MEDIA = "media"
    ANONYMOUS = "anonymous"


class Role(StrEnum):
    EDITOR = "editor"
    ADMIN = "admin"


class ChangeSource(StrEnum):
    """Who or what made a change recorded in the revision history."""

    LOADER = "loader"
    EXTRACTOR = "extractor"
    EDITOR = "editor"


ARTICLE_LANGUAGES = ["ar", "en", "ru"]
"""The languages basewatch reads articles in, as the pages' language filters offer them."""


def sql_in(values: type[StrEnum]) -> str:
    """`'a', 'b'` for a CHECK constraint over an enum's values."""
    return ", ".join(f"'{v.value}'" for v in values)
