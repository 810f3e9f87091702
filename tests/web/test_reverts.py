"""Reverting a row of a claim's history (app/services/claim_revert.py), as an editor does it from
the history page: what comes back with the row, and what the page refuses and why."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid
from app.models import Actor, Claim, Revision
from app.services.claim_edits import apply_edit
from tests.editors import make_user
from tests.web.test_editor import HTMX, claim_row, revisions, save

PESKOV = ("dmitry-peskov", "ديمتري بيسكوف", "Kremlin spokesman", "RU")


def revert(client: TestClient, session: Session, csrf: str, revision: Revision) -> Response:
    """Press Revert on `revision`'s row of a history opened just now."""
    version = claim_row(session, revision.claim_id).version
    return client.post(
        f"/claims/{revision.claim_id}/history/{revision.id}/revert",
        data={"version": str(version)},
        headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": "history"},
    )


def row(session: Session, claim_id: int, field: str, version: int | None = None) -> Revision:
    """The claim's first revision of `field` (at `version`, if given)."""
    return next(
        r for r in revisions(session, claim_id) if r.field == field and version in (None, r.version)
    )


def speaker_of(session: Session, claim_id: int) -> tuple[str, str, str | None, str | None]:
    claim = claim_row(session, claim_id)
    actor = session.get(Actor, claim.speaker_id)
    assert actor is not None
    return actor.slug, claim.speaker_name, claim.speaker_role, claim.speaker_affiliation


def alert(response: Response) -> str:
    found = BeautifulSoup(response.text, "html.parser").select_one("#history [role=alert]")
    return found.text if found else ""


@pytest.mark.parametrize("field", ["speaker", "speaker_name", "role", "affiliation"])
def test_any_row_of_a_speaker_change_puts_the_old_speaker_back_whole(
    client: TestClient, session: Session, claims: list[int], csrf: str, field: str
) -> None:
    """A new speaker brings their name, role and side: reverting any of those four rows puts
    back Peskov as he was, never Abu Qasra's claim under Peskov's name."""
    save(client, claims[0], csrf, 1, speaker="murhaf-abu-qasra")
    assert revert(client, session, csrf, row(session, claims[0], field)).status_code == 200
    assert speaker_of(session, claims[0]) == PESKOV


def test_a_name_corrected_without_changing_the_speaker_is_reverted_alone(
    client: TestClient, session: Session, claims: list[int], csrf: str
) -> None:
    """The name as the article writes it, corrected on its own, comes back on its own: the role
    corrected since stays."""
    save(client, claims[0], csrf, 1, speaker_name="بيسكوف")
    save(client, claims[0], csrf, 2, role="Press secretary")
    assert revert(client, session, csrf, row(session, claims[0], "speaker_name")).status_code == 200
    assert speaker_of(session, claims[0]) == (*PESKOV[:2], "Press secretary", "RU")


def test_a_date_comes_back_with_the_precision_it_had_then(
    client: TestClient, session: Session, claims: list[int], csrf: str
) -> None:
    """Version 2 moved the day from the 6th to the 5th; version 3 made it "February 2025".
    Reverting version 2 puts back the 6th to the day, as the claim said before it."""
    save(client, claims[0], csrf, 1, stated_on="2025-02-05", stated_on_precision="day")
    save(client, claims[0], csrf, 2, stated_on="2025-02", stated_on_precision="month")
    response = revert(client, session, csrf, row(session, claims[0], "stated_on", version=2))
    assert (response.status_code, alert(response)) == (200, "")
    claim = claim_row(session, claims[0])
    assert (claim.stated_on, claim.stated_on_precision) == (date(2025, 2, 6), "day")


def test_a_summary_reverted_to_the_extractor_s_words_is_labelled_the_machine_s_again(
    client: TestClient, session: Session, claims: list[int], csrf: str
) -> None:
    """An editor's summary is no longer the machine's; reverting it put the extractor's words
    back, but the public page went on showing them as an editor's."""
    session.execute(update(Claim).where(Claim.id == claims[0]).values(summary_machine=True))
    session.commit()
    machine = claim_row(session, claims[0]).summary_en
    save(client, claims[0], csrf, 1, summary_en="An editor's words.")
    assert revert(client, session, csrf, row(session, claims[0], "summary_en")).status_code == 200
    claim = claim_row(session, claims[0])
    assert (claim.summary_en, claim.summary_machine) == (machine, True)


def test_a_date_that_does_not_fit_its_precision_is_refused_in_the_editor_s_words(
    session: Session, claims: list[int]
) -> None:
    """What the database's checks refuse reaches the editor as a sentence, not as PostgreSQL's
    message naming its tables and constraints."""
    editor = make_user(session)
    edit = {"stated_on": "2025-02-05", "stated_on_precision": "month"}  # parse_edit would refuse
    with pytest.raises(FieldsInvalid) as refused:
        apply_edit(session, claims[0], edit, editor=editor, base_version=1)
    assert refused.value.errors == {"stated_on": "the date does not fit its precision"}


def test_an_actor_merge_is_not_offered_for_revert_and_is_refused_if_posted(
    client: TestClient, session: Session, claims: list[int], csrf: str
) -> None:
    """Abu Qasra merged into Peskov is no longer an actor of his own: his claim cannot be given
    back to him, so the history offers no Revert there and says why if asked anyway."""
    merged = client.post(
        "/actors/murhaf-abu-qasra/merge",
        data={"csrf_token": csrf, "into": "dmitry-peskov"},
        follow_redirects=False,
    )
    assert merged.status_code == 303
    merge = row(session, claims[2], "speaker")
    page = BeautifulSoup(client.get(f"/claims/{claims[2]}/history").text, "html.parser")
    assert page.select_one(f"#revision-{merge.id} form") is None
    response = revert(client, session, csrf, merge)
    assert response.status_code == 422
    assert alert(response) == (
        "revision: the actor murhaf-abu-qasra was merged into dmitry-peskov: it cannot be put back"
    )
    assert claim_row(session, claims[2]).version == 2


def test_reverting_a_change_undone_since_says_there_is_nothing_to_revert(
    client: TestClient, session: Session, claims: list[int], csrf: str
) -> None:
    """The stance went to "leave" and back to "stay": reverting the first change would change
    nothing, and the editor is told so rather than shown a history that did not move."""
    save(client, claims[0], csrf, 1, stance="leave")
    save(client, claims[0], csrf, 2, stance="stay")
    response = revert(client, session, csrf, row(session, claims[0], "stance", version=2))
    assert response.status_code == 422
    assert "nothing to revert" in alert(response)
    assert claim_row(session, claims[0]).version == 3
