"""Editors' routes over HTTP: editing every field, conflicts, the queue, history, actors, import,
and the guards on every mutating route."""

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.batch import load_paths
from app.ingest.export import export_registry
from app.messages import REVERTED_BY_ID, as_written
from app.models import Actor, ActorRedirect, Article, Claim, Outlet, ReviewDecision, Revision
from app.models.editor import RejectReason
from app.models.vocab import Role
from app.queries.editor import QUEUE_PAGE
from app.queries.quality import report_card
from app.services.claim_edits import apply_edit
from app.web.security import SESSION_COOKIE
from tests.editors import make_user, sign_in
from tests.factories import TEXT, article_doc, write_json

HTMX = {"HX-Request": "true"}


def save(
    client: TestClient,
    claim_id: int,
    csrf: str,
    version: int,
    target: str | None = None,
    **fields: Any,
) -> Response:
    data: dict[str, Any] = {"version": str(version), "fields": " ".join(fields)} | fields
    headers = HTMX | {"X-CSRF-Token": csrf, "HX-Target": target or f"editor-{claim_id}"}
    return client.post(f"/claims/{claim_id}/edit", data=data, headers=headers)


def seen(client: TestClient, slug: str) -> str:
    """The version of the actor its edit form was made from."""
    page = BeautifulSoup(client.get(f"/actors/{slug}/edit").text, "html.parser")
    return str(page.select_one("input[name=seen]")["value"])


def claim_row(session: Session, claim_id: int) -> Claim:
    session.expire_all()
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return claim


def revisions(session: Session, claim_id: int) -> list[Revision]:
    return list(
        session.scalars(
            select(Revision)
            .where(Revision.claim_id == claim_id, Revision.source == "editor")
            .order_by(Revision.id)
        )
    )


def text_of(tag: Any) -> str:
    """A tag's text with its white space collapsed, as a reader sees it."""
    return " ".join(tag.text.split())


def found_by(client: TestClient, q: str) -> int:
    """How many claims a search for `q` lists."""
    page = BeautifulSoup(client.get("/", params={"q": q}).text, "html.parser")
    return len(page.select("article.claim"))


def new_claim_problems(response: Any) -> dict[str, list[str]]:
    """The new-claim form sent back: each refused part's legend, and the notes beside it."""
    form = BeautifulSoup(response.text, "html.parser").select_one("form#new_claim")
    return {
        fieldset.select_one("legend").text: [e.text for e in fieldset.select(".field-error")]
        for fieldset in form.select("fieldset.has-error")
    }


class TestEditEveryField:
    @pytest.mark.parametrize(
        ("fields", "column", "expected"),
        [
            ({"stance": "leave"}, "stance", "leave"),
            ({"bases": ["tartus"]}, "bases", ["tartus"]),
            (
                {"stated_on": "2025-02", "stated_on_precision": "month"},
                "stated_on_precision",
                "month",
            ),
            ({"direct": "true"}, "direct", True),
            ({"via": ["TASS", "", "RTVI"]}, "via", ["TASS", "RTVI"]),
            ({"summary_en": "Peskov: the forces stay."}, "summary_en", "Peskov: the forces stay."),
            ({"note": "check the date"}, "note", "check the date"),
            # Text copied from a PDF brings an invisible NUL, which PostgreSQL cannot store: the
            # save was answered with the database's error page, in the editor's place.
            (
                {"summary_en": "Peskov:\x00 the forces stay."},
                "summary_en",
                "Peskov: the forces stay.",
            ),
            ({"note": "from the PDF\x00"}, "note", "from the PDF"),
            ({"via": ["TA\x00SS"]}, "via", ["TASS"]),
            ({"speaker": "murhaf-abu-qasra"}, "speaker_name", "مرهف أبو قصرة"),
            ({"role": "Kremlin press secretary"}, "speaker_role", "Kremlin press secretary"),
        ],
    )
    def test_a_field_saves_and_swaps_back_the_editor(
        self,
        client: TestClient,
        session: Session,
        claims: list[int],
        csrf: str,
        fields: dict[str, Any],
        column: str,
        expected: Any,
    ) -> None:
        response = save(client, claims[0], csrf, 1, **fields)
        assert response.status_code == 200, response.text
        fragment = BeautifulSoup(response.text, "html.parser")
        assert fragment.select_one(f"section#editor-{claims[0]}") is not None
        assert fragment.select_one("html") is None
        assert {v["value"] for v in fragment.select("input[name=version]")} == {"2"}
        assert "claim-saved" in response.headers["HX-Trigger"]
        claim = claim_row(session, claims[0])
        assert getattr(claim, column) == expected and claim.version == 2
        changed = revisions(session, claims[0])
        assert changed and all(r.user_id is not None and r.version == 2 for r in changed)

    def test_search_finds_a_claim_by_its_corrected_summary(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        """The search vector follows an edit: a trigger keeps it, not a generated column."""
        assert (found_by(client, "evacuated"), found_by(client, "remain")) == (0, 1)
        save(client, claims[0], csrf, 1, summary_en="Peskov: the forces will be evacuated.")
        assert (found_by(client, "evacuated"), found_by(client, "remain")) == (1, 0)

    def test_search_finds_a_claim_by_the_words_its_quote_was_moved_to(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        """The search text of a quote is written by the loader, and again by an edit of the
        span: it was not, and the claim was found by the words it no longer quotes."""
        words = "وقال وزير الدفاع السوري مرهف أبو قصرة إن دمشق منفتحة"
        start = TEXT.index(words)
        assert (found_by(client, "وزير"), found_by(client, "مصالح")) == (0, 1)
        save(client, claims[2], csrf, 1, start=str(start), end=str(start + len(words)))
        assert (found_by(client, "وزير"), found_by(client, "مصالح")) == (1, 0)

    def test_an_editor_s_summary_is_no_longer_the_machine_s(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The public page labels a summary "(machine summary)" only while the extractor's
        words stand: an editor who rewrites it makes it theirs."""
        session.execute(update(Claim).where(Claim.id == claims[0]).values(summary_machine=True))
        save(client, claims[0], csrf, 1, summary_en="Peskov: the forces stay, he says.")
        assert claim_row(session, claims[0]).summary_machine is False
        assert "summary_machine" in [r.field for r in revisions(session, claims[0])]

    def test_the_span_follows_a_selection_and_sets_the_quote(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        words = "نخطط لسحب"
        start = TEXT.index(words)
        # A selection that took a space on either side is trimmed to the words.
        response = save(
            client, claims[1], csrf, 1, start=str(start - 1), end=str(start + len(words) + 1)
        )
        assert response.status_code == 200
        claim = claim_row(session, claims[1])
        assert (claim.span_start, claim.span_end, claim.quote) == (start, start + len(words), words)
        assert {r.field for r in revisions(session, claims[1])} == {"start", "end", "quote"}

    def test_a_speaker_from_a_new_actor_typed_in_place(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        # As the speaker form posts it: the name as written, role and side as they were.
        response = client.post(
            f"/claims/{claims[0]}/edit",
            data={
                "version": "1",
                "fields": "speaker speaker_name role affiliation",
                "speaker": "new",
                "new_name_en": "Maria Zakharova",
                "new_name_ar": "ماريا زاخاروفا",
                "new_kind": "person",
                "speaker_name": "ديمتري بيسكوف",
                "role": "Kremlin spokesman",
                "affiliation": "RU",
            },
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": f"editor-{claims[0]}"},
        )
        assert response.status_code == 200, response.text
        claim = claim_row(session, claims[0])
        actor = session.get(Actor, claim.speaker_id)
        assert actor is not None and actor.slug == "maria-zakharova"
        # Left as they were, the name as written, role and side follow the new speaker.
        assert (claim.speaker_name, claim.speaker_role) == ("ماريا زاخاروفا", None)

    @pytest.mark.parametrize(
        ("version", "role", "status"), [("1", "x" * 400, 422), ("0", "Spokesman", 409)]
    )
    def test_a_refused_save_makes_no_new_actor(
        self,
        client: TestClient,
        session: Session,
        claims: list[int],
        csrf: str,
        version: str,
        role: str,
        status: int,
    ) -> None:
        """A save refused for a bad field or for a newer version stores nothing, not even the
        actor its speaker form described."""
        response = client.post(
            f"/claims/{claims[0]}/edit",
            data={
                "version": version,
                "fields": "speaker speaker_name role affiliation",
                "speaker": "new",
                "new_name_en": "Ghost Spokesman",
                "new_name_ar": "متحدث شبح",
                "new_kind": "person",
                "speaker_name": "ديمتري بيسكوف",
                "role": role,
                "affiliation": "RU",
            },
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": f"editor-{claims[0]}"},
        )
        assert response.status_code == status, response.text
        assert session.scalar(select(Actor).where(Actor.slug == "ghost-spokesman")) is None
        assert claim_row(session, claims[0]).version == 1

    def test_tags_are_added_and_removed(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        added = save(client, claims[0], csrf, 1, tags=["agreements", "hmeimim-2025"])
        assert [t.text for t in BeautifulSoup(added.text, "html.parser").select(".tag bdi")] == [
            "agreements",
            "hmeimim-2025",
        ]
        suggested = client.get("/review/tags", params={"tags": "agree"}, headers=HTMX)
        assert [
            o["value"] for o in BeautifulSoup(suggested.text, "html.parser").select("option")
        ] == ["agreements"]
        removed = save(client, claims[0], csrf, 2, tags=["hmeimim-2025"])
        assert removed.status_code == 200
        emptied = save(client, claims[0], csrf, 3, tags=[])
        assert emptied.status_code == 200
        assert claim_row(session, claims[0]).version == 4  # a tags-only edit moves the version too
        assert [(r.old_value, r.new_value) for r in revisions(session, claims[0])] == [
            ([], ["agreements", "hmeimim-2025"]),
            (["agreements", "hmeimim-2025"], ["hmeimim-2025"]),
            (["hmeimim-2025"], []),
        ]

    def test_speaker_type_ahead_finds_aliases(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        response = client.get("/review/speakers", params={"q": "بيسكوف"}, headers=HTMX)
        values = [
            i["value"]
            for i in BeautifulSoup(response.text, "html.parser").select("input[name=speaker]")
        ]
        assert values == ["dmitry-peskov"]


class TestInvalidInput:
    def test_a_tag_or_relay_longer_than_the_file_format_takes_is_refused(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        """Tags are held to the loader's 200 characters (a backup reloads), via links too."""
        for field in ("tags", "via"):
            response = save(client, claims[0], csrf, 1, **{field: ["ق" * 201]})
            assert response.status_code == 422
            error = BeautifulSoup(response.text, "html.parser").select_one(
                f"#error-{claims[0]}-{field}"
            )
            assert error is not None and "under 200 characters" in error.text

    def test_a_refused_tag_comes_back_in_the_box_it_was_typed_in(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        """Refused as too long, the new tag was gone from "add a tag": the editor's typing lost."""
        save(client, claims[0], csrf, 1, tags=["agreements"])
        typed = "ق" * 201
        response = save(client, claims[0], csrf, 2, tags=["agreements", typed])
        assert response.status_code == 422
        box = BeautifulSoup(response.text, "html.parser").select_one(f"#tag-{claims[0]}")
        assert box is not None and box.get("value") == typed
        assert [t.text for t in BeautifulSoup(response.text, "html.parser").select(".tag bdi")] == [
            "agreements"
        ]

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"stance": "maybe"}, "stance", "choose one of stay"),
            ({"stated_on": "12/02/2025", "stated_on_precision": "day"}, "stated_on", "2025-02-12"),
            ({"stated_on": "2025", "stated_on_precision": "day"}, "stated_on", "a full date"),
            (
                {"stated_on": "2025-02-30", "stated_on_precision": "day"},
                "stated_on",
                "not a day of the calendar",
            ),
            ({"stated_on": "2999-01-01", "stated_on_precision": "day"}, "stated_on", "future"),
            (
                {"stated_on": "2025-02-20", "stated_on_precision": "day"},
                "stated_on",
                "after the article was published (2025-02-07)",
            ),
            ({"stated_on": "0001", "stated_on_precision": "year"}, "stated_on", "before 1900"),
            ({"start": "10", "end": "99999"}, "start", "has only"),
            ({"start": "20", "end": "10"}, "start", "end after it starts"),
            ({"affiliation": "Russia"}, "affiliation", "two-letter"),
            ({"affiliation": "XX"}, "affiliation", "a country's two-letter code"),
            ({"affiliation": "ß"}, "affiliation", "two-letter"),  # not "SS", South Sudan
            ({"speaker": "nobody-at-all"}, "speaker", "no actor"),
            ({"bases": ["aleppo"]}, "bases", "hmeimim and tartus"),
        ],
    )
    def test_the_message_sits_beside_the_field_and_the_input_is_kept(
        self,
        client: TestClient,
        session: Session,
        claims: list[int],
        csrf: str,
        fields: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        response = save(client, claims[0], csrf, 1, **fields)
        assert response.status_code == 422
        fragment = BeautifulSoup(response.text, "html.parser")
        error = fragment.select_one(f"#error-{claims[0]}-{field}")
        assert error is not None and message in error.text
        form = error.find_parent("form")
        assert form is not None and field in form["data-fields"].split()
        kept = form.select_one(f"[name={field}]")
        if (
            kept is not None
            and kept.name == "input"
            and kept.get("type") not in ("radio", "checkbox")
        ):
            assert kept["value"] == str(
                fields[field] if not isinstance(fields[field], list) else fields[field][-1]
            )
        assert claim_row(session, claims[0]).version == 1 and revisions(session, claims[0]) == []

    def test_rejecting_a_proposal_needs_a_reason(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        response = save(client, claims[0], csrf, 1, status="rejected")
        assert response.status_code == 422
        error = BeautifulSoup(response.text, "html.parser").select_one(f"#error-{claims[0]}-reason")
        assert error is not None and "say why" in error.text
        status_form = error.find_parent("form")  # beside the reason's select, not atop the editor
        assert status_form is not None and status_form.select_one("select[name=reason]")
        assert response.text.count("say why") == 1


class TestConflicts:
    def test_a_stale_save_is_refused_with_the_other_change_and_a_way_to_apply_mine(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        assert save(client, claims[0], csrf, 1, stance="leave").status_code == 200
        stale = save(client, claims[0], csrf, 1, summary_en="Mine, from version 1.")
        assert stale.status_code == 409
        fragment = BeautifulSoup(stale.text, "html.parser")
        conflict = fragment.select_one(".conflict")
        assert "Stance" in conflict.select_one(".changes").text and "leave" in conflict.text
        mine = conflict.select_one("form.apply-mine")
        assert mine.select_one("input[name=version]")["value"] == "2"
        resent = {i["name"]: i["value"] for i in mine.select("input[type=hidden]")}
        assert resent["summary_en"] == "Mine, from version 1." and resent["fields"] == "summary_en"
        on_top = save(client, claims[0], csrf, 2, summary_en=resent["summary_en"])
        assert on_top.status_code == 200
        claim = claim_row(session, claims[0])
        assert (claim.stance, claim.summary_en, claim.version) == (
            "leave",
            "Mine, from version 1.",
            3,
        )

    def test_after_a_stale_save_the_fields_show_the_claim_as_saved(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The notice says the fields below show the claim as it is now: they must, or that
        field's Save would undo the other editor's change. The refused value waits in the notice,
        beside "Apply my change on top"."""
        assert save(client, claims[0], csrf, 1, stance="leave").status_code == 200
        stale = save(client, claims[0], csrf, 1, stance="negotiating", note="my note")
        assert stale.status_code == 409
        fragment = BeautifulSoup(stale.text, "html.parser")
        field = fragment.select_one("form.field[data-fields=stance]")
        assert field.select_one("select[name=stance] option[selected]")["value"] == "leave"
        assert field.select_one(".stance").text.strip() == "leave"
        assert field.select_one("input[name=version]")["value"] == "2"
        assert fragment.select_one("textarea[name=note]").text == ""
        mine = fragment.select_one(".conflict form.apply-mine")
        assert mine.select_one("input[name=stance]")["value"] == "negotiating"
        assert (
            text_of(mine.select_one(".yours"))
            == "Yours: Stance = negotiating, Editor's note = my note"
        )


class TestQueue:
    def test_lists_proposals_oldest_first_with_the_count_left(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        page = BeautifulSoup(client.get("/review").text, "html.parser")
        assert [li["id"] for li in page.select("#queue > li.queue-item")] == [
            f"queue-item-{c}" for c in sorted(claims)
        ]
        assert page.select_one("#left strong").text == "3"
        focus = page.select_one(f"#queue-item-{claims[0]} mark.focus")
        assert focus is not None and focus.text in TEXT and focus["data-start"].isdigit()
        narrowed = BeautifulSoup(
            client.get("/review", params={"stance": "conditional"}).text, "html.parser"
        )
        assert len(narrowed.select("#queue > li.queue-item")) == 1
        assert narrowed.select_one("#left strong").text == "1"

    @pytest.mark.parametrize("decide", ["form.inline", "form.reasons"])
    def test_a_plain_form_decision_leads_back_to_the_queue_at_the_next_claim(
        self, client: TestClient, session: Session, claims: list[int], csrf: str, decide: str
    ) -> None:
        """Without JavaScript, approving or rejecting from the queue led to the claim's editor:
        the editor had to find the queue again, and their place in it."""
        queue = "/review?speaker=dmitry-peskov"
        page = BeautifulSoup(client.get(queue).text, "html.parser")
        first, then = [li["data-claim"] for li in page.select("#queue > li.queue-item")]
        form = page.select_one(f"#queue-item-{first} {decide}")
        data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
        if decide == "form.reasons":  # the reason is the button pressed
            data["reason"] = form.select_one("button[name=reason]")["value"]
        response = client.post(form["action"], data=data, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"{queue}#queue-item-{then}"
        assert claim_row(session, int(first)).status in ("verified", "rejected")
        # The last claim decided, the queue is what is left.
        page = BeautifulSoup(client.get(queue).text, "html.parser")
        form = page.select_one(f"#queue-item-{then} form.inline")
        data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
        response = client.post(form["action"], data=data, follow_redirects=False)
        assert response.headers["location"] == queue

    def test_narrows_to_a_speaker_outlet_or_language_and_offers_each_filters_choices(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        def queue(**params: str) -> BeautifulSoup:
            return BeautifulSoup(client.get("/review", params=params).text, "html.parser")

        def offered(page: BeautifulSoup, name: str) -> list[str]:
            return [o["value"] for o in page.select(f"select[name={name}] option")]

        peskov = queue(speaker="dmitry-peskov")
        assert len(peskov.select("#queue > li.queue-item")) == 2
        assert peskov.select_one("#left strong").text == "2"
        for unknown in ({"speaker": "nobody"}, {"outlet": "Nowhere"}, {"language": "en"}):
            empty = queue(**unknown)
            assert not empty.select("#queue > li.queue-item")
            assert empty.select_one("#left strong").text == "0"
        outlet = queue(outlet="Test Outlet", language="ar")
        assert len(outlet.select("#queue > li.queue-item")) == 3
        assert outlet.select_one("#left strong").text == "3"
        assert offered(peskov, "extractor") == ["", "rules-0.1"]
        assert offered(peskov, "language") == ["", "ar", "en", "ru"]
        assert "Test Outlet" in offered(peskov, "outlet")

    def test_a_narrowed_list_brings_its_count_along(
        self, client: TestClient, claims: list[int], csrf: str
    ) -> None:
        """The filters swap the list: the count above it comes in the same answer, out of band."""
        page = BeautifulSoup(client.get("/review").text, "html.parser")
        form = page.select_one("form.filters")
        assert (form["hx-target"], form["hx-swap"]) == ("#queue", "outerHTML")
        assert len(page.select("#left")) == 1 and not page.select_one("#left").has_attr(
            "hx-swap-oob"
        )
        narrowed = client.get(
            "/review", params={"stance": "conditional"}, headers=HTMX | {"HX-Target": "queue"}
        )
        fragment = BeautifulSoup(narrowed.text, "html.parser")
        assert fragment.select_one("html") is None and fragment.select_one("form.filters") is None
        assert len(fragment.select("ol#queue > li.queue-item")) == 1
        left = fragment.select_one("#left")
        assert left["hx-swap-oob"] == "true" and left.select_one("strong").text == "1"
        assert left["hx-get"] == "/review?stance=conditional"  # and it keeps counting these
        recount = client.get(left["hx-get"], headers=HTMX | {"HX-Target": "left"})
        alone = BeautifulSoup(recount.text, "html.parser")
        assert [p["id"] for p in alone.select("[id]")] == ["left"]
        assert not alone.select_one("#left").has_attr("hx-swap-oob")

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", "omar rejected this claim while you had it open. Your approval was not saved."),
            ("ar", "رفض omar هذا التصريح بينما كان مفتوحًا لديك. لم يُحفظ اعتمادك."),
        ],
    )
    def test_a_stale_approval_says_who_decided_and_that_it_was_not_saved(
        self,
        client: TestClient,
        session: Session,
        claims: list[int],
        csrf: str,
        language: str,
        expected: str,
    ) -> None:
        """Two editors have the queue open; omar rejects a claim, then this editor approves it."""
        omar = make_user(session, "omar")
        apply_edit(
            session,
            claims[0],
            {"status": "rejected"},
            editor=omar,
            base_version=1,
            reason=RejectReason.WRONG_SPEAKER,
        )
        session.commit()
        client.cookies.set("lang", language)
        target = f"queue-item-{claims[0]}"
        response = save(client, claims[0], csrf, 1, target=target, status="verified")
        assert response.status_code == 409
        item = BeautifulSoup(response.text, "html.parser").select_one(f"li#{target}")
        assert "status-rejected" in item["class"]
        note = item.select_one(".decided-conflict")
        assert note["role"] == "alert" and note.select_one("bdi").text == "omar"
        assert text_of(note) == expected
        assert claim_row(session, claims[0]).status == "rejected"
        assert {d.user_id for d in session.scalars(select(ReviewDecision))} == {omar.id}

    def test_approve_and_reject_record_the_report_card(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        target = f"queue-item-{claims[0]}"
        assert save(client, claims[0], csrf, 1, target=target, stance="leave").status_code == 200
        approved = save(client, claims[0], csrf, 2, target=target, status="verified")
        assert (
            BeautifulSoup(approved.text, "html.parser").select_one("li.status-verified") is not None
        )
        assert (
            save(
                client, claims[1], csrf, 1, target=f"queue-item-{claims[1]}", status="verified"
            ).status_code
            == 200
        )
        rejected = client.post(
            f"/claims/{claims[2]}/edit",
            data={
                "version": "1",
                "fields": "status",
                "status": "rejected",
                "reason": "wrong_speaker",
            },
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": f"queue-item-{claims[2]}"},
        )
        assert rejected.status_code == 200
        decisions = {
            d.claim_id: (d.decision, d.fields, d.reason)
            for d in session.scalars(select(ReviewDecision))
        }
        assert decisions == {
            claims[0]: ("corrected", ["stance"], None),
            claims[1]: ("approved", [], None),
            claims[2]: ("rejected", [], "wrong_speaker"),
        }
        assert (
            BeautifulSoup(client.get("/review").text, "html.parser").select_one("#left strong").text
            == "0"
        )
        card = BeautifulSoup(client.get("/review/quality").text, "html.parser")
        row = card.select_one("table[data-dimension=extractor] tbody tr")
        assert row.select_one("th").text == "rules-0.1"
        assert row.select_one(".precision").text == "67%"
        assert row.select_one(".fields").text == "stance (1)"
        assert card.select_one("table[data-dimension=language] tbody th").text == "Arabic"
        assert card.select_one("table[data-dimension=outlet] tbody th").text == "Test Outlet"
        arabic = BeautifulSoup(client.get("/review/quality?lang=ar").text, "html.parser")
        assert arabic.select_one("table[data-dimension=language] tbody th").text == "العربية"

    def test_a_proposal_approved_then_rejected_counts_as_rejected(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The report card counts each claim by its latest decision: approved in the queue, then
        withdrawn from the claim editor, a proposal still counted as approved."""
        target = f"queue-item-{claims[0]}"
        assert save(client, claims[0], csrf, 1, target=target, status="verified").status_code == 200
        assert save(client, claims[0], csrf, 2, status="rejected").status_code == 200
        [grade] = report_card(session)["extractor"]
        assert (grade.approved, grade.rejected) == (0, 1)
        # Put back from the editor, it is approved again.
        assert save(client, claims[0], csrf, 3, status="verified").status_code == 200
        [grade] = report_card(session)["extractor"]
        assert (grade.approved, grade.rejected) == (1, 0)

    def test_a_claim_never_proposed_has_no_verdict_however_its_status_moves(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """A claim the loader stored as checked was no proposal: its status is no verdict."""
        session.execute(update(Claim).values(status="verified"))
        session.commit()
        assert save(client, claims[0], csrf, 1, status="rejected").status_code == 200
        assert session.scalars(select(ReviewDecision)).all() == []

    def test_an_actor_merged_into_the_speaker_is_not_a_speaker_the_extractor_got_wrong(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The extractor named a speaker registered twice; editors merged the two actors while
        the claim waited. Approving it is an approval, not a correction of its speaker."""
        merged = client.post(
            "/actors/murhaf-abu-qasra/merge",
            data={"csrf_token": csrf, "into": "dmitry-peskov"},
            follow_redirects=False,
        )
        assert merged.status_code == 303
        approved = save(client, claims[2], csrf, 2, status="verified")
        assert approved.status_code == 200
        decision = session.scalars(select(ReviewDecision)).one()
        assert (decision.claim_id, decision.decision, decision.fields) == (
            claims[2],
            "approved",
            [],
        )


SELECTED = "قاعدتي حميميم وطرطوس"
"""Words of the test article an editor selects to make a claim of."""


class TestNewClaimFromSelection:
    def test_adds_a_verified_claim_with_its_creation_in_the_history(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        words, start = SELECTED, TEXT.index(SELECTED)
        form = client.get(
            f"/articles/test-2025-02-07-peskov/claims/new?start={start}&end={start + len(words)}"
        )
        page = BeautifulSoup(form.text, "html.parser")
        assert page.select_one("#new_claim [data-span-preview]").text == words
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={
                "csrf_token": csrf,
                "start": str(start),
                "end": str(start + len(words)),
                "speaker": "dmitry-peskov",
                "stance": "stay",
                "stated_on": "2025-02-06",
                "stated_on_precision": "day",
                "bases": ["hmeimim", "tartus"],
                "via": ["", ""],
                "tags": [""],
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        claim_id = int(re.search(r"/claims/(\d+)/edit", response.headers["location"]).group(1))
        claim = claim_row(session, claim_id)
        assert (claim.quote, claim.status, claim.origin, claim.speaker_name) == (
            words,
            "verified",
            "editor",
            "ديمتري بيسكوف",
        )
        created = revisions(session, claim_id)
        assert [(r.field, r.new_value["quote"]) for r in created] == [("*", words)]

    def test_a_claim_added_is_found_by_the_words_it_quotes(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Verified at once, the editor's claim is searched like the loader's: its search text
        was never written, and no word it quotes found it."""
        words = "قال الناطق باسم الكرملين ديمتري بيسكوف، الخميس"
        start = TEXT.index(words)
        assert found_by(client, "الخميس") == 0
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "start": str(start), "end": str(start + len(words)),
                  "speaker": "dmitry-peskov", "stance": "stay", "stated_on": "2025-02-06",
                  "stated_on_precision": "day"},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303, response.text
        assert found_by(client, "الخميس") == 1

    def test_a_statement_dated_after_its_article_is_refused(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        words, start = SELECTED, TEXT.index(SELECTED)
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "start": str(start), "end": str(start + len(words)),
                  "speaker": "dmitry-peskov", "stance": "stay", "stated_on": "2025-03-01",
                  "stated_on_precision": "day"},
            headers=HTMX | {"HX-Target": "new_claim"},
        )  # fmt: skip
        assert response.status_code == 422
        assert "after the article was published (2025-02-07)" in response.text
        assert session.scalar(select(Claim.id).where(Claim.origin == "editor")) is None

    def test_missing_fields_are_named_and_nothing_is_added(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={
                "csrf_token": csrf,
                "start": "",
                "end": "",
                "stated_on_precision": "unknown",
                "stated_on": "",
                "speaker": "new",  # described in full, but the claim is refused: no actor either
                "new_name_en": "Ghost Spokesman",
                "new_name_ar": "متحدث شبح",
                "new_kind": "person",
            },
            headers=HTMX | {"HX-Target": "new_claim"},
        )
        assert response.status_code == 422
        fragment = BeautifulSoup(response.text, "html.parser")
        assert fragment.select_one("form#new_claim") is not None
        assert "select the quote" in fragment.text
        assert session.scalar(select(Claim.id).where(Claim.origin == "editor")) is None
        assert session.scalar(select(Actor).where(Actor.slug == "ghost-spokesman")) is None

    def test_every_missing_field_is_named_at_once(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """No speaker picked, no quote, no stance, no date: all four are named on the first
        submit, not the speaker only once the others are right."""
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "start": "", "end": "", "stance": "",
                  "stated_on": "", "stated_on_precision": "day", "direct": "false"},
            headers=HTMX | {"HX-Target": "new_claim"},
        )  # fmt: skip
        assert response.status_code == 422
        problems = new_claim_problems(response)
        assert problems == {
            "Quote": ["select the quote in the text"],
            "Speaker": ["pick the speaker"],
            "Stance": ["choose the stance"],
            "Stated on": [problems["Stated on"][0]],
        }
        assert "give the date" in problems["Stated on"][0]
        # Sent back with the speaker picked, the form keeps the pick.
        again = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "speaker": "dmitry-peskov", "stance": "",
                  "stated_on_precision": "unknown", "start": "", "end": ""},
            headers=HTMX | {"HX-Target": "new_claim"},
        )  # fmt: skip
        kept = BeautifulSoup(again.text, "html.parser")
        assert kept.select_one("#new-speaker-options input[name=speaker][checked]")["value"] == (
            "dmitry-peskov"
        )
        assert "pick the speaker" not in again.text
        assert session.scalar(select(Claim.id).where(Claim.origin == "editor")) is None

    def test_a_refused_form_keeps_the_whole_source_chain_and_the_tag(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Sent back for a missing stance, the form showed only the chain's last step (in the
        first box) and no tag: saved again as it stood, the claim lost Reuters and its tag."""
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "speaker": "dmitry-peskov", "stance": "",
                  "stated_on_precision": "unknown", "stated_on": "", "start": "0", "end": "10",
                  "via": ["Reuters", "TASS"], "tags": ["talks"]},
            headers=HTMX | {"HX-Target": "new_claim"},
        )  # fmt: skip
        assert response.status_code == 422
        form = BeautifulSoup(response.text, "html.parser").select_one("form#new_claim")
        assert [box.get("value", "") for box in form.select("input[name=via]")] == [
            "Reuters",
            "TASS",
            "",
        ]
        assert form.select_one("input[name=tags]")["value"] == "talks"

    @pytest.mark.parametrize(
        ("field", "value", "legend", "message"),
        [
            ("role", "r" * 301, "Speaker", "keep it under 300 characters"),
            ("via", "ق" * 201, "Via (nearest source first)", "keep each name under 200"),
            ("summary_en", "s" * 2001, "English summary", "keep it under 2000 characters"),
            ("tags", "ق" * 201, "Tags", "keep each name under 200"),
        ],
    )
    def test_a_value_too_long_is_named_beside_its_field(
        self,
        client: TestClient,
        session: Session,
        claims: list[int],
        csrf: str,
        field: str,
        value: str,
        legend: str,
        message: str,
    ) -> None:
        """The form said "see the notes beside the fields", and no field had one: a role, relay,
        summary or tag refused as too long was named nowhere, and the editor could not tell
        what to shorten."""
        words, start = SELECTED, TEXT.index(SELECTED)
        response = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "start": str(start), "end": str(start + len(words)),
                  "speaker": "dmitry-peskov", "stance": "stay", "stated_on": "",
                  "stated_on_precision": "unknown", field: value},
            headers=HTMX | {"HX-Target": "new_claim"},
        )  # fmt: skip
        assert response.status_code == 422
        problems = new_claim_problems(response)
        assert list(problems) == [legend] and message in problems[legend][0], problems
        form = BeautifulSoup(response.text, "html.parser").select_one("form#new_claim")
        assert form.select_one(f"[name={field}]").get("value", value) == value  # kept to shorten
        assert session.scalar(select(Claim.id).where(Claim.origin == "editor")) is None

    def test_a_selection_from_the_first_character_keeps_its_start(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Words selected from the very start of the text arrive as start=0, a number like any."""
        form = client.get("/articles/test-2025-02-07-peskov/claims/new?start=0&end=9")
        page = BeautifulSoup(form.text, "html.parser")
        assert page.select_one("#new-start")["value"] == "0"
        assert page.select_one("#new_claim [data-span-preview]").text == TEXT[:9]


class TestOneClaimPerWords:
    """An article's file holds one claim per words and speaker (the loader pairs claims by their
    words), and exports and backups write that file: an article's words belong to one claim."""

    def test_a_span_moved_onto_another_claim_s_words_is_refused(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        first = claim_row(session, claims[0])
        moved = save(client, claims[1], csrf, 1, start=first.span_start, end=first.span_end)
        assert moved.status_code == 422
        assert f"claim {claims[0]} already quotes exactly these words" in moved.text
        assert claim_row(session, claims[1]).version == 1

    def test_a_withdrawn_claim_s_words_are_put_back_not_quoted_again(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        first = claim_row(session, claims[0])
        rejected = client.post(
            f"/claims/{claims[0]}/edit",
            data={"version": "1", "fields": "status", "status": "rejected",
                  "reason": "not_a_statement"},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": f"editor-{claims[0]}"},
        )  # fmt: skip
        assert rejected.status_code == 200
        again = client.post(
            "/articles/test-2025-02-07-peskov/claims",
            data={"csrf_token": csrf, "start": first.span_start, "end": first.span_end,
                  "speaker": "dmitry-peskov", "stance": "stay", "stated_on": "2025-02-06",
                  "stated_on_precision": "day", "bases": ["hmeimim", "tartus"]},
            headers=HTMX | {"HX-Target": "new_claim"},
        )  # fmt: skip
        assert again.status_code == 422
        assert (
            f"claim {claims[0]}, withdrawn, quotes exactly these words: put it back from its"
            " history" in again.text
        )
        assert save(client, claims[0], csrf, 2, status="verified").status_code == 200

    def test_an_article_left_with_two_claims_on_its_words_is_named_by_the_export(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Editors could do it before it was refused: the export says which article to correct
        rather than failing, or writing a file the loader would turn down."""
        first = claim_row(session, claims[0])
        session.execute(
            update(Claim)
            .where(Claim.id == claims[1])
            .values(span_start=first.span_start, span_end=first.span_end, quote=first.quote)
        )
        session.commit()
        response = client.get("/export.articles.zip")
        assert response.status_code == 422
        assert (
            "article test-2025-02-07-peskov cannot be exported: claims[1]: the same words by"
            " the same speaker as claims[0]" in response.text
        )


class TestHistory:
    def test_lists_every_revision_and_reverts_one(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        save(client, claims[0], csrf, 1, stance="leave")
        save(client, claims[0], csrf, 2, summary_en="Changed.")
        page = BeautifulSoup(client.get(f"/claims/{claims[0]}/history").text, "html.parser")
        rows = page.select("#history tbody tr")
        assert [r.select("td")[3].text.strip() for r in rows] == [
            "English summary",
            "Stance",
            "Created",
        ]
        assert "editor" in rows[0].text and "loader" in rows[-1].text
        stance_row = rows[1]
        form = stance_row.select_one("form")
        reverted = client.post(
            form["action"],
            data={"version": "3"},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": "history"},
        )
        assert reverted.status_code == 200
        claim = claim_row(session, claims[0])
        assert (claim.stance, claim.summary_en, claim.version) == ("stay", "Changed.", 4)
        last = revisions(session, claims[0])[-1]
        assert (last.field, last.old_value, last.new_value) == ("stance", "leave", "stay")
        assert last.note and "revert" in last.note
        stale = client.post(
            form["action"],
            data={"version": "3"},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": "history"},
        )
        assert stale.status_code == 409

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            (
                "en",
                [
                    ("Speaker's role", "Kremlin spokesman → none"),
                    ("Tags", "test-tag, وسم → none"),
                    ("Tags", "none → test-tag, وسم"),
                    ("Direct quotation", "no → yes"),
                    ("Bases", "Hmeimim, Tartus → Tartus"),
                    ("Created", "the claim as first stored"),
                ],
            ),
            (
                "ar",
                [
                    ("منصب المتحدث", "Kremlin spokesman ← لا شيء"),
                    ("الوسوم", "test-tag، وسم ← لا شيء"),
                    ("الوسوم", "لا شيء ← test-tag، وسم"),
                    ("الاقتباس المباشر", "لا ← نعم"),
                    ("القواعد", "حميميم، طرطوس ← طرطوس"),
                    ("الإنشاء", "التصريح كما خُزّن أول مرة"),
                ],
            ),
        ],
    )
    def test_values_read_as_an_editor_reads_them(
        self,
        client: TestClient,
        claims: list[int],
        csrf: str,
        language: str,
        expected: list[tuple[str, str]],
    ) -> None:
        """Field labels, yes and no, lists with the interface's comma, "none" for nothing."""
        save(client, claims[0], csrf, 1, bases=["tartus"])
        save(client, claims[0], csrf, 2, direct="true")
        save(client, claims[0], csrf, 3, tags=["test-tag", "وسم"])
        save(client, claims[0], csrf, 4, tags=[])
        save(client, claims[0], csrf, 5, role="")
        page = client.get(f"/claims/{claims[0]}/history", params={"lang": language})
        rows = BeautifulSoup(page.text, "html.parser").select("#history tbody tr")
        shown = [(text_of(r.select("td")[3]), text_of(r.select_one(".change"))) for r in rows]
        assert shown == expected
        assert "[" not in page.text.split('id="history"')[1]

    @pytest.mark.parametrize(
        ("language", "shown"),
        [("en", "12 Feb 2025, 21:30 UTC"), ("ar", "12 فبراير 2025، 21:30 بتوقيت UTC")],
    )
    def test_when_is_said_in_utc_whatever_the_database_s_time_zone(
        self,
        client: TestClient,
        session: Session,
        claims: list[int],
        csrf: str,
        language: str,
        shown: str,
    ) -> None:
        """The history's "When" was in the database server's zone, without saying which: on a
        server in Damascus a change made at 21:30 UTC read as the next day, 00:30."""
        save(client, claims[0], csrf, 1, stance="leave")
        session.execute(update(Revision).values(at="2025-02-12 21:30:00+00"))
        session.execute(text("SET TIME ZONE 'Asia/Damascus'"))  # undone with the test's rollback
        session.commit()
        page = client.get(f"/claims/{claims[0]}/history", params={"lang": language})
        times = BeautifulSoup(page.text, "html.parser").select("#history tbody time")
        assert [t.text for t in times] == [shown, shown]
        assert all(t["datetime"].startswith("2025-02-1") for t in times)

    def test_a_revert_brings_the_heading_s_version_along(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        save(client, claims[0], csrf, 1, stance="leave")
        page = BeautifulSoup(client.get(f"/claims/{claims[0]}/history").text, "html.parser")
        assert page.select_one("#history .now").text == "now at version 2"
        form = page.select_one("#history tbody tr form")
        reverted = client.post(
            form["action"],
            data={"version": "2"},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": "history"},
        )
        fragment = BeautifulSoup(reverted.text, "html.parser")
        assert fragment.select_one("html") is None
        section = fragment.select_one("section#history")
        assert section.select_one("h1").text == f"History of claim {claims[0]}"
        assert section.select_one(".now").text == "now at version 3"
        assert {i["value"] for i in section.select("input[name=version]")} == {"3"}


class TestMergeUndone:
    """A merge made by mistake is undone from the duplicate's history, and can be made again."""

    def merge(self, client: TestClient, csrf: str, duplicate: int, kept: int) -> None:
        merged = client.post(
            f"/claims/{duplicate}/merge",
            data={"into": str(kept), "csrf_token": csrf},
            follow_redirects=False,
        )
        assert merged.status_code == 303

    def revert_row(self, client: TestClient, csrf: str, claim_id: int, field: str) -> Response:
        """Revert the newest revision of `field`, as the history page offers it."""
        page = BeautifulSoup(client.get(f"/claims/{claim_id}/history").text, "html.parser")
        row = next(
            r for r in page.select("#history tbody tr") if r.select_one(f"[data-field={field}]")
        )
        version = page.select_one("#history input[name=version]")["value"]
        return client.post(
            row.select_one("form")["action"],
            data={"version": version},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": "history"},
        )

    def test_a_merged_proposal_counts_as_a_duplicate_until_the_merge_is_undone(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Merging a claim waiting in the queue rejects the extractor's proposal as a duplicate
        on its report card; undone, the claim waits again, with no verdict counted."""
        duplicate, kept = claims[0], claims[1]
        self.merge(client, csrf, duplicate, kept)
        decision = session.scalars(select(ReviewDecision)).one()
        assert (decision.claim_id, decision.decision, decision.reason) == (
            duplicate,
            "rejected",
            "duplicate",
        )
        [grade] = report_card(session)["extractor"]
        assert (grade.rejected, dict(grade.reasons)) == (1, {"duplicate": 1})
        assert self.revert_row(client, csrf, duplicate, "status").status_code == 200
        assert report_card(session)["extractor"] == []

    def test_an_approved_proposal_merged_counts_as_a_duplicate_until_the_merge_is_undone(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Approved in the queue, then merged into another claim: counted as approved still."""
        duplicate, kept = claims[0], claims[1]
        for claim_id in (duplicate, kept):
            assert save(client, claim_id, csrf, 1, status="verified").status_code == 200
        self.merge(client, csrf, duplicate, kept)
        [grade] = report_card(session)["extractor"]
        assert (grade.approved, grade.rejected, dict(grade.reasons)) == (1, 1, {"duplicate": 1})
        assert self.revert_row(client, csrf, duplicate, "status").status_code == 200
        assert claim_row(session, duplicate).status == "verified"
        [grade] = report_card(session)["extractor"]
        assert (grade.approved, grade.rejected) == (2, 0)

    @pytest.mark.parametrize("half", ["merged_into_id", "status"])
    def test_reverting_either_half_of_a_merge_undoes_it(
        self, client: TestClient, session: Session, claims: list[int], csrf: str, half: str
    ) -> None:
        duplicate, kept = claims[0], claims[1]
        self.merge(client, csrf, duplicate, kept)
        assert self.revert_row(client, csrf, duplicate, half).status_code == 200
        claim = claim_row(session, duplicate)
        assert (claim.merged_into_id, claim.status, claim.version) == (None, "extracted", 3)
        undone = revisions(session, duplicate)[-2:]
        assert [(r.field, r.old_value, r.new_value) for r in undone] == [
            ("merged_into_id", kept, None),
            ("status", "rejected", "extracted"),
        ]
        assert all(r.version == 3 and r.note and "revert" in r.note for r in undone)
        client.cookies.clear()  # as a reader sees it: no notice, and the log says both
        page = BeautifulSoup(
            client.get(f"/claims/{duplicate}", follow_redirects=True).text, "html.parser"
        )
        assert page.select_one(".notice-merged") is None
        log = [text_of(li).split(" on ")[0] for li in page.select(".corrections-log li")]
        assert log == [f"Merged into claim {kept}", f"Merge into claim {kept} undone"]

    def test_the_notes_basewatch_writes_read_in_the_editor_s_language(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        duplicate, kept = claims[0], claims[1]
        self.merge(client, csrf, duplicate, kept)
        self.revert_row(client, csrf, duplicate, "merged_into_id")
        merged = revisions(session, duplicate)[0].version  # the merge's row that was reverted
        for language, expected in [
            (
                "en",
                [f"revert of the change that made version {merged}", f"duplicate of claim {kept}"],
            ),
            (
                "ar",
                [f"تراجع عن التعديل الذي أنشأ النسخة {merged}", f"نسخة مكررة من التصريح {kept}"],
            ),
        ]:
            page = client.get(f"/claims/{duplicate}/history", params={"lang": language})
            notes = BeautifulSoup(page.text, "html.parser").select("#history .hint")
            assert [text_of(n) for n in notes][::2][:2] == expected
        assert (
            revisions(session, duplicate)[-1].note
            == f"revert of the change that made version {merged}"
        )
        # A note written before the history named versions still reads in Arabic.
        assert getattr(as_written("revert of revision 48"), "template", None) == (
            REVERTED_BY_ID.template
        )

    def test_reverting_the_undoing_merges_again(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        duplicate, kept = claims[0], claims[1]
        self.merge(client, csrf, duplicate, kept)
        self.revert_row(client, csrf, duplicate, "merged_into_id")
        assert self.revert_row(client, csrf, duplicate, "merged_into_id").status_code == 200
        claim = claim_row(session, duplicate)
        assert (claim.merged_into_id, claim.status, claim.version) == (kept, "rejected", 4)

    def test_a_merge_undone_since_is_not_undone_twice(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        duplicate, kept = claims[0], claims[1]
        self.merge(client, csrf, duplicate, kept)
        self.revert_row(client, csrf, duplicate, "merged_into_id")
        page = BeautifulSoup(client.get(f"/claims/{duplicate}/history").text, "html.parser")
        first_merge = page.select("#history tbody tr form")[-1]  # the oldest revertable row
        response = client.post(
            first_merge["action"],
            data={"version": "3"},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": "history"},
        )
        assert response.status_code == 422
        assert "a later change undid or changed this merge" in response.text
        assert claim_row(session, duplicate).version == 3

    def test_a_merged_claim_s_status_is_not_edited_behind_its_merge(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        duplicate, kept = claims[0], claims[1]
        self.merge(client, csrf, duplicate, kept)
        response = save(client, duplicate, csrf, 2, status="verified")
        assert response.status_code == 422
        assert f"merged into claim {kept}: undo the merge in its history" in response.text
        assert claim_row(session, duplicate).status == "rejected"


class TestActors:
    def test_merge_moves_claims_keeps_names_and_redirects(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        abu_qasra = session.scalar(select(Claim.speaker_id).where(Claim.id == claims[2]))
        response = client.post(
            "/actors/murhaf-abu-qasra/merge",
            data={"csrf_token": csrf, "into": "dmitry-peskov"},
            follow_redirects=False,
        )
        assert (
            response.status_code == 303
            and response.headers["location"] == "/actors/dmitry-peskov/edit"
        )
        session.expire_all()
        assert session.get(Actor, abu_qasra) is None
        claim = claim_row(session, claims[2])
        peskov = session.scalar(select(Actor).where(Actor.slug == "dmitry-peskov"))
        assert claim.speaker_id == peskov.id and claim.speaker_name == "مرهف أبو قصرة"
        assert session.get(ActorRedirect, "murhaf-abu-qasra").actor_id == peskov.id
        moved = client.get("/actors/murhaf-abu-qasra/edit", follow_redirects=False)
        assert (
            moved.status_code == 301 and moved.headers["location"] == "/actors/dmitry-peskov/edit"
        )
        found = client.get("/review/speakers", params={"q": "أبو قصرة"}, headers=HTMX)
        assert "dmitry-peskov" in found.text
        assert [(r.field, r.new_value) for r in revisions(session, claims[2])] == [
            ("speaker", "dmitry-peskov")
        ]

    def test_an_actor_to_check_says_who_added_it(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The loader makes an actor for a speaker it does not know; so does an editor's "new
        actor" in the speaker form. Each is to be checked, and the page says who added it."""
        response = client.post(
            f"/claims/{claims[0]}/edit",
            data={"version": "1", "fields": "speaker", "speaker": "new",
                  "new_name_en": "Maria Zakharova", "new_name_ar": "ماريا زاخاروفا",
                  "new_kind": "person"},
            headers=HTMX | {"X-CSRF-Token": csrf, "HX-Target": f"editor-{claims[0]}"},
        )  # fmt: skip
        assert response.status_code == 200

        def label(slug: str, language: str = "en") -> str:
            page = client.get(f"/actors/{slug}/edit", params={"lang": language})
            found = BeautifulSoup(page.text, "html.parser").select_one(".needs-review")
            return text_of(found) if found else ""

        assert label("maria-zakharova") == (
            "added by editor as a new speaker, not yet checked: check it and save"
        )
        assert label("maria-zakharova", "ar").startswith("أضافها editor متحدثًا جديدًا")
        assert label("murhaf-abu-qasra", "en") == (
            "added by the loader, not yet checked: check it and save"
        )
        # No claim tells who added it (its only claim has moved to another speaker).
        save(client, claims[0], csrf, 2, speaker="dmitry-peskov")
        assert label("maria-zakharova", "en") == "a new actor, not yet checked: check it and save"

    def test_edit_names_aliases_role_and_side(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        response = client.post(
            "/actors/dmitry-peskov/edit",
            data={
                "csrf_token": csrf,
                "seen": seen(client, "dmitry-peskov"),
                "name_ar": "دميتري بيسكوف",
                "name_en": "Dmitry Peskov",
                "name_ru": "Дмитрий Песков",
                "role": "Kremlin spokesman",
                "affiliation": "ru",
                "kind": "person",
                "aliases": "Peskov\nالمتحدث باسم الكرملين",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        found = client.get("/review/speakers", params={"q": "Песков"}, headers=HTMX)
        assert "dmitry-peskov" in found.text
        bad = client.post(
            "/actors/dmitry-peskov/edit",
            data={
                "csrf_token": csrf,
                "seen": seen(client, "dmitry-peskov"),
                "name_ar": "",
                "name_en": "Dmitry Peskov",
                "kind": "person",
                "affiliation": "Russia",
            },
        )
        assert bad.status_code == 422
        assert "cannot be empty" in bad.text and "two-letter" in bad.text

    def test_a_side_typed_as_sharp_s_is_refused_not_saved_as_south_sudan(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """A side typed as ß was upper-cased to SS (South Sudan) and saved: the claim editor's rule."""
        response = client.post(
            "/actors/dmitry-peskov/edit",
            data={"csrf_token": csrf, "seen": seen(client, "dmitry-peskov"),
                  "name_ar": "دميتري بيسكوف", "name_en": "Dmitry Peskov", "kind": "person",
                  "affiliation": "ß"},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 422
        error = BeautifulSoup(response.text, "html.parser").select_one(
            ".has-error #actor-affiliation ~ .field-error"
        )
        assert error is not None and "two-letter" in error.text
        assert session.scalar(select(Actor.affiliation).where(Actor.slug == "dmitry-peskov")) == (
            "RU"
        )

    def test_an_override_in_the_name_stays_in_it_in_the_editor_s_titles(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The tab's title of the actor form and of the new-claim form: an override in the name
        or the article's title reversed "basewatch" after it, as it did on the public pages."""
        session.execute(
            update(Actor).where(Actor.slug == "dmitry-peskov").values(name_en="\u202eX")
        )
        session.execute(update(Article).values(title="\u202eY"))
        session.commit()
        new_claim = "/articles/test-2025-02-07-peskov/claims/new?start=0&end=9"
        for address, name in (("/actors/dmitry-peskov/edit", "X"), (new_claim, "Y")):
            title = BeautifulSoup(client.get(address).text, "html.parser").title.text
            assert f"\u2068\u202e{name}\u2069 · basewatch" in title, (address, title)

    def test_an_alias_that_names_another_actor_is_refused_beside_it(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """The registry lets an alias name one actor alone: stored, Peskov's name as Abu
        Qasra's alias made the registry refused whole, by the backup and by every import (the
        extractor's lexicon). The save is refused, beside the aliases, what was typed kept."""
        form = {"csrf_token": csrf, "seen": seen(client, "murhaf-abu-qasra"),
                "name_ar": "مرهف أبو قصرة", "name_en": "Murhaf Abu Qasra", "kind": "person",
                "affiliation": "SY", "aliases": "Abu Qasra\nDmitry Peskov"}  # fmt: skip
        response = client.post("/actors/murhaf-abu-qasra/edit", data=form)
        assert response.status_code == 422
        page = BeautifulSoup(response.text, "html.parser")
        assert text_of(page.select_one("#actor-aliases + .field-error")) == (
            "'Dmitry Peskov' already names another actor, dmitry-peskov"
        )
        assert page.select_one("#actor-aliases").text == "Abu Qasra\nDmitry Peskov"
        session.expire_all()
        assert export_registry(session).actors  # nothing of the save was stored
        imported = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "Test", "language": "ar",
                  "text": "وقال مصدر " + TEXT[:60]},
            follow_redirects=False,
        )  # fmt: skip
        assert imported.status_code == 303

    def test_a_name_that_is_another_actor_s_alias_is_refused_in_any_spelling(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Matched as the registry matches names: an Arabic spelling variant is the same name."""
        peskov = {"csrf_token": csrf, "name_ar": "ديمتري بيسكوف", "name_en": "Dmitry Peskov",
                  "kind": "person", "affiliation": "RU", "aliases": "بيسكوف"}  # fmt: skip
        saved = client.post(
            "/actors/dmitry-peskov/edit", data=peskov | {"seen": seen(client, "dmitry-peskov")}
        )
        assert saved.status_code == 200
        form = {"csrf_token": csrf, "seen": seen(client, "murhaf-abu-qasra"),
                "name_ar": "بيسْكوف", "name_en": "Murhaf Abu Qasra", "kind": "person"}  # fmt: skip
        response = client.post("/actors/murhaf-abu-qasra/edit", data=form)
        assert response.status_code == 422
        error = BeautifulSoup(response.text, "html.parser").select_one(
            "#actor-name_ar + .field-error"
        )
        assert text_of(error) == "'بيسكوف' already names another actor, dmitry-peskov"
        session.expire_all()
        name = session.scalar(select(Actor.name_ar).where(Actor.slug == "murhaf-abu-qasra"))
        assert name == "مرهف أبو قصرة"

    def test_a_save_over_another_editor_s_is_refused_not_lost(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """Two editors opened the page; the first saves a role, the second a Russian name: the
        second is told, and the first editor's role stays."""
        opened = seen(client, "dmitry-peskov")
        form = {"csrf_token": csrf, "seen": opened, "name_ar": "ديمتري بيسكوف",
                "name_en": "Dmitry Peskov", "kind": "person", "affiliation": "RU"}  # fmt: skip
        first = client.post("/actors/dmitry-peskov/edit", data=form | {"role": "Press secretary"})
        assert first.status_code == 200  # followed to the form again
        second = client.post("/actors/dmitry-peskov/edit", data=form | {"name_ru": "Песков"})
        assert second.status_code == 409
        page = BeautifulSoup(second.text, "html.parser")
        assert (
            "someone saved this actor since you opened it"
            in page.select_one("form .field-error").text
        )
        assert page.select_one("#actor-role")["value"] == "Press secretary"
        session.expire_all()
        peskov = session.scalar(select(Actor).where(Actor.slug == "dmitry-peskov"))
        assert (peskov.role, peskov.name_ru) == ("Press secretary", None)

    def test_a_form_opened_before_a_merge_into_the_actor_keeps_the_merged_names(
        self, client: TestClient, session: Session, claims: list[int], csrf: str
    ) -> None:
        """A merge gives the actor the merged one's names: a form opened before it, saved with
        its older list of names, is refused rather than deleting them."""
        form = {"csrf_token": csrf, "seen": seen(client, "dmitry-peskov"),
                "name_ar": "ديمتري بيسكوف", "name_en": "Dmitry Peskov", "kind": "person",
                "affiliation": "RU", "aliases": ""}  # fmt: skip
        merged = client.post(
            "/actors/murhaf-abu-qasra/merge",
            data={"csrf_token": csrf, "into": "dmitry-peskov"},
            follow_redirects=False,
        )
        assert merged.status_code == 303
        stale = client.post("/actors/dmitry-peskov/edit", data=form | {"role": "Press secretary"})
        assert stale.status_code == 409
        found = client.get("/review/speakers", params={"q": "أبو قصرة"}, headers=HTMX)
        assert "dmitry-peskov" in found.text


class TestImport:
    def test_pasted_text_becomes_an_article_and_its_proposals_wait_in_the_queue(
        self, client: TestClient, session: Session, maker: sessionmaker[Session], csrf: str
    ) -> None:
        registry = Path(__file__).resolve().parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []  # Peskov is known
        response = client.post(
            "/import",
            data={
                "csrf_token": csrf,
                "outlet": "عنب بلدي",
                "language": "ar",
                "published_on": "2025-03-01",
                "text": TEXT,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        article = session.scalar(select(Article).where(Article.text == TEXT.strip()))
        assert article is not None and article.title.startswith("قال الناطق")
        queue = BeautifulSoup(client.get(response.headers["location"]).text, "html.parser")
        notice = queue.select_one(".notice.imported")  # what came of it, and where it is
        assert notice is not None and notice.a["href"] == f"/articles/{article.key}"
        waiting = session.scalar(
            select(func.count()).where(Claim.article_id == article.id, Claim.status == "extracted")
        )
        assert waiting and f"{waiting} claim" in notice.text and "waiting below" in notice.text
        again = client.post(
            "/import",
            data={
                "csrf_token": csrf,
                "outlet": "عنب بلدي",
                "language": "ar",
                "published_on": "2025-03-01",
                "text": TEXT,
            },
        )
        assert again.status_code == 422 and "in the archive already" in again.text

    def test_a_long_article_pasted_whole_is_imported(
        self, client: TestClient, session: Session, maker: sessionmaker[Session], csrf: str
    ) -> None:
        """A long report pasted into the text box, over a megabyte in Arabic (two bytes a
        letter), is well within the request limit: it was refused with a bare 400 and the
        pasted text lost, as the form parser kept Starlette's 1 MB limit on a field."""
        registry = Path(__file__).resolve().parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []
        filler = "\n\n".join(["وتابع التقرير سرد تفاصيل أخرى عن المنطقة."] * 15_000)
        text = TEXT + "\n\n" + filler
        assert len(text.encode()) > 1_100_000
        form = {"csrf_token": csrf, "outlet": "عنب بلدي", "language": "ar", "text": text}
        response = client.post("/import", data=form, follow_redirects=False)
        assert response.status_code == 303
        assert session.scalar(select(func.count()).where(Article.text == text.strip())) == 1

    def test_the_queue_an_import_leads_to_lists_the_article_s_proposals(
        self,
        client: TestClient,
        session: Session,
        maker: sessionmaker[Session],
        tmp_path: Path,
        csrf: str,
    ) -> None:
        """The import led to the queue narrowed to the outlet, oldest first: with a page of the
        outlet's older proposals waiting, the notice said the article's claims were "waiting
        below", and none of them was listed."""
        registry = Path(__file__).resolve().parents[2] / "seeds" / "actors.json"
        older = []
        for n in range(QUEUE_PAGE // 3 + 1):  # three proposals each: more than a page
            doc = article_doc(key=f"older-{n}", outlet="عنب بلدي")
            for claim in doc["claims"]:
                claim["status"] = "extracted"
            older.append(write_json(tmp_path / f"older-{n}.json", doc))
        assert load_paths(maker, [registry, *older], max_bytes=10**7).refused == []
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "عنب بلدي", "language": "ar",
                  "published_on": "2025-03-01", "text": TEXT},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        queue = BeautifulSoup(client.get(response.headers["location"]).text, "html.parser")
        article = session.scalar(select(Article.id).where(Article.key.not_like("older-%")))
        proposed = session.scalars(select(Claim.id).where(Claim.article_id == article)).all()
        listed = [int(li["data-claim"]) for li in queue.select("#queue > li.queue-item")]
        assert proposed and listed == sorted(proposed)
        assert queue.select_one("#left strong").text == str(len(proposed))
        only = queue.select_one("form.filters input[name=article][checked]")
        assert only is not None  # unticked, the filter lists every outlet's proposals again

    def test_an_import_with_nothing_proposed_says_so_and_where_to_add_a_claim(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        text = "A market report from Latakia about fish prices and the weather this week."
        data = {"csrf_token": csrf, "outlet": "Test", "language": "en", "text": text}
        queue = BeautifulSoup(client.post("/import", data=data).text, "html.parser")
        notice = queue.select_one(".notice.imported")
        article = session.scalar(select(Article).where(Article.text == text))
        assert notice is not None and article is not None
        assert "proposed no claim" in notice.text
        assert notice.select("a")[-1]["href"] == f"/articles/{article.key}/claims/new"

    def test_every_problem_of_the_form_is_named_at_once(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "Test", "language": "arabic", "text": "",
                  "url": "ftp://x", "published_on": "2999-05-05"},
        )  # fmt: skip
        assert response.status_code == 422
        page = BeautifulSoup(response.text, "html.parser")
        errors = [" ".join(e.text.split()) for e in page.select(".field-error")]
        for message in [
            "paste the article's text",
            "a two-letter language code",
            "http://",
            "in the future",
        ]:
            assert any(message in error for error in errors), (message, errors)
        assert session.scalar(select(Article.id).where(Article.published_on.is_not(None))) is None

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("2025-02-30", "2025-02-30 is not a day of the calendar"),
            ("2025-2-3", "write the date as 2025-02-12"),
            ("20250212", "write the date as 2025-02-12"),  # date.fromisoformat took it
            ("2025-02", "a day needs a full date"),
        ],
    )
    def test_a_date_is_refused_as_the_claim_editor_refuses_it(
        self, client: TestClient, session: Session, csrf: str, typed: str, message: str
    ) -> None:
        """A day that is not in the calendar was "not written as 2025-02-12" here, and "not a
        day of the calendar" in the claim editor: one rule and one message for a typed date."""
        data = {"csrf_token": csrf, "outlet": "سانا", "published_on": typed, "text": TEXT}
        refused = client.post("/import", data=data)
        assert refused.status_code == 422
        error = BeautifulSoup(refused.text, "html.parser").select_one(".field-error")
        assert error is not None and message in error.text
        assert session.scalar(select(Article.id)) is None

    def test_an_over_long_address_is_named_by_the_form_not_refused_on_storing(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        """The form checks the address as the format does: 2,000 characters at most."""
        url = "https://example.com/" + "a" * 2000
        data = {"csrf_token": csrf, "outlet": "Test", "text": TEXT, "url": url}
        response = client.post("/import", data=data)
        assert response.status_code == 422
        errors = BeautifulSoup(response.text, "html.parser").select(".field-error")
        assert [" ".join(e.text.split()) for e in errors] == [
            "a web address that starts with http:// or https://, without spaces, at most 2,000"
            " characters"
        ]
        assert session.scalar(select(func.count()).select_from(Article)) == 0

    def test_a_saved_web_page_keeps_only_its_main_text(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        body = " ".join([TEXT] * 3)
        html = (
            "<!doctype html><html><head><title>Peskov on the bases</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>Peskov on the bases</h1><p>{body}</p></article>"
            "<footer>Comments (3) · Read next</footer></body></html>"
        )
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "Test", "language": "ar"},
            files={"upload": ("page.html", html.encode(), "text/html")},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        article = session.scalar(select(Article).where(Article.title == "Peskov on the bases"))
        assert article is not None and "بيسكوف" in article.text
        assert "Read next" not in article.text and "World" not in article.text

    def test_pasted_english_text_is_read_as_english_dated_by_its_dateline(
        self, client: TestClient, session: Session, maker: sessionmaker[Session], csrf: str
    ) -> None:
        """Only the outlet given: the language and the date are the text's own, so that the
        extractor reads English as English (read as Arabic, it proposed nothing)."""
        registry = Path(__file__).resolve().parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []
        data = {"csrf_token": csrf, "outlet": "Reuters", "language": "", "text": ENGLISH}
        response = client.post("/import", data=data, follow_redirects=False)
        assert response.status_code == 303, response.text
        article = session.scalar(select(Article).where(Article.title == ENGLISH.split("\n")[0]))
        assert article is not None
        assert (article.language, str(article.published_on)) == ("en", "2025-03-03")
        claimed = session.scalars(select(Claim.summary_en).where(Claim.article_id == article.id))
        assert any("Peskov" in summary for summary in claimed)
        queue = BeautifulSoup(client.get(response.headers["location"]).text, "html.parser")
        found = " ".join(queue.select_one(".notice.imported .imported-as").text.split())
        assert found == "Reuters · English · published 3 Mar 2025"

    def test_a_saved_web_page_names_its_outlet_date_and_language(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "", "language": ""},
            files={"upload": ("page.html", ARABIC_PAGE.encode(), "text/html")},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        article = session.scalar(
            select(Article).where(Article.title == "بيسكوف: روسيا باقية في حميميم")
        )
        assert article is not None and outlet_of(session, article) == "عنب بلدي"
        assert (article.language, str(article.published_on)) == ("ar", "2025-03-10")
        assert article.url == "https://www.enabbaladi.net/archives/123"

    def test_the_editor_s_own_values_win_over_the_page_s(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        form = {"csrf_token": csrf, "outlet": "Enab Baladi", "language": "ar",
                "published_on": "2025-03-11", "title": "Peskov on Hmeimim"}  # fmt: skip
        page = {"upload": ("page.html", ARABIC_PAGE.encode(), "text/html")}
        assert client.post("/import", data=form, files=page, follow_redirects=False).is_redirect
        article = session.scalar(select(Article))
        assert article is not None and outlet_of(session, article) == "Enab Baladi"
        assert (article.title, str(article.published_on)) == ("Peskov on Hmeimim", "2025-03-11")

    def test_a_page_that_does_not_name_its_outlet_asks_for_it_and_stores_nothing(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        unnamed = re.sub(r"<meta property=.og:site_name[^>]*>", "", ARABIC_PAGE)
        unnamed = re.sub(r"<link rel=.canonical[^>]*>", "", unnamed).replace(" | عنب بلدي", "")
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "", "language": ""},
            files={"upload": ("page.html", unnamed.encode(), "text/html")},
        )
        assert response.status_code == 422
        errors = BeautifulSoup(response.text, "html.parser").select(".field-error")
        assert [e.text for e in errors] == [
            "name the outlet that published it",
            "choose the file again: a refused form cannot keep it",
        ]
        assert session.scalar(select(func.count()).select_from(Article)) == 0

    def test_a_page_saved_in_an_arabic_code_page_is_read_as_arabic(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        """Arabic sites still serve windows-1256: read as UTF-8, every letter became �."""
        legacy = ARABIC_PAGE.replace('charset="utf-8"', 'charset="windows-1256"')
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "", "language": ""},
            files={"upload": ("page.html", legacy.encode("cp1256"), "text/html")},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        article = session.scalar(select(Article))
        assert article is not None and "قاعدة حميميم الجوية" in article.text
        assert "\ufffd" not in article.text

    def test_a_text_file_s_byte_order_mark_is_no_part_of_the_article(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        text = "وزير الدفاع السوري: اتفاقية طرطوس قيد المراجعة\n\n" + TEXT
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "سانا"},
            files={"upload": ("a.txt", ("\ufeff" + text).encode(), "text/plain")},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        article = session.scalar(select(Article))
        assert article is not None and article.text == text
        assert article.title == "وزير الدفاع السوري: اتفاقية طرطوس قيد المراجعة"

    def test_arabic_labels_and_messages_keep_the_example_date_in_its_order(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        """`2025-02-12` after Arabic words is laid out right to left as `12-02-2025` unless it is
        isolated: the editor would type the date in the order the form refuses."""
        form = BeautifulSoup(client.get("/import?lang=ar").text, "html.parser")
        label = form.select_one("label[for=import-published_on]")
        assert [bdi.text for bdi in label.select("bdi")] == ["2025-02-12"]
        data = {"csrf_token": csrf, "outlet": "سانا", "published_on": "12-02-2025", "text": TEXT}
        refused = client.post("/import?lang=ar", data=data)
        error = BeautifulSoup(refused.text, "html.parser").select_one(".field-error").text
        assert "\u20662025-02-12\u2069" in error

    def test_a_nul_in_pasted_text_is_left_out(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        """Invisible in the text box, it made the whole import fail and the pasted text lost."""
        data = {"csrf_token": csrf, "outlet": "سانا", "text": TEXT[:40] + "\x00" + TEXT[40:]}
        assert client.post("/import", data=data, follow_redirects=False).is_redirect
        assert session.scalar(select(Article.text)) == TEXT

    def test_a_template_s_name_before_the_text_is_not_its_title(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        """A copied page may start with `news-details`; the title is the first line of words."""
        data = {"csrf_token": csrf, "outlet": "سانا", "text": "news-details\n\n" + TEXT}
        assert client.post("/import", data=data, follow_redirects=False).is_redirect
        title = session.scalar(select(Article.title))
        assert title is not None and title.startswith("قال الناطق باسم الكرملين")

    def test_a_saved_page_with_a_byte_order_mark_is_read_as_a_page(
        self, client: TestClient, session: Session, csrf: str
    ) -> None:
        """Not as plain text: the article was its HTML source, tags and all."""
        response = client.post(
            "/import",
            data={"csrf_token": csrf, "outlet": "", "language": ""},
            files={"upload": ("page.html", ("\ufeff" + ARABIC_PAGE).encode(), "text/html")},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        article = session.scalar(select(Article))
        assert article is not None and "<" not in article.text
        assert article.title == "بيسكوف: روسيا باقية في حميميم"


def outlet_of(session: Session, article: Article) -> str | None:
    return session.scalar(select(Outlet.name).where(Outlet.id == article.outlet_id))


ENGLISH = """Kremlin says Russian forces will stay at Hmeimim

MOSCOW, March 3, 2025 (Reuters) - Kremlin spokesman Dmitry Peskov said on Monday that Russia had \
no plans to withdraw from the Hmeimim air base.

"Our military presence at Hmeimim remains, and we are in contact with the new authorities in \
Damascus about it," Peskov told reporters.
"""

ARABIC_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>بيسكوف: روسيا باقية في حميميم | عنب بلدي</title>
<meta property="og:site_name" content="عنب بلدي">
<link rel="canonical" href="https://www.enabbaladi.net/archives/123">
<meta property="article:published_time" content="2025-03-10T09:30:00+03:00">
</head><body>
<nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a></nav>
<article><h1>بيسكوف: روسيا باقية في حميميم</h1>
<p>قال المتحدث باسم الكرملين ديمتري بيسكوف، الإثنين، إن روسيا لا تنوي سحب قواتها من قاعدة حميميم الجوية.</p>
<p>وأضاف بيسكوف للصحفيين: "وجودنا العسكري في حميميم مستمر، ونحن على اتصال مع السلطات الجديدة في دمشق".</p>
<p>وأشار إلى أن المحادثات حول قاعدة طرطوس البحرية لا تزال جارية.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>
"""

# The guards ------------------------------------------------------------------------------------

OPEN = {"/login", "/logout"}
"""Mutating routes anyone may call (they check the CSRF token, not a session)."""


def mutating_routes(app: FastAPI) -> list[APIRoute]:
    found: list[APIRoute] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                if route.methods - {"GET", "HEAD", "OPTIONS"}:
                    found.append(route)
            elif hasattr(route, "include_context"):
                walk(route.include_context.included_router.routes)

    walk(app.router.routes)
    return found


def concrete(path: str, claims: list[int]) -> str:
    return (
        path.replace("{claim_id}", str(claims[0]))
        .replace("{revision_id}", "1")
        .replace("{user_id}", "1")
        .replace("{key}", "test-2025-02-07-peskov")
        .replace("{slug}", "dmitry-peskov")
        .replace("{claim_id_slug}", str(claims[0]))
    )


def test_the_guard_test_sees_every_mutating_route(client: TestClient) -> None:
    paths = {route.path for route in mutating_routes(client.app)}  # type: ignore[arg-type]
    assert {
        "/login",
        "/logout",
        "/claims/{claim_id}/edit",
        "/actors/{slug}/merge",
        "/import",
    } <= paths


def test_every_mutating_route_refuses_without_a_session_or_a_csrf_token(
    client: TestClient, session: Session, claims: list[int]
) -> None:
    routes = [r for r in mutating_routes(client.app) if r.path not in OPEN]  # type: ignore[arg-type]
    for route in routes:
        for method in route.methods:
            url = concrete(route.path, claims)
            anonymous = client.request(
                method, url, data={"version": "1"}, headers=HTMX, follow_redirects=False
            )
            assert anonymous.status_code == 401, (method, route.path, anonymous.status_code)
    _, csrf = sign_in(client, session, "admin", Role.ADMIN)
    for route in routes:
        for method in route.methods:
            url = concrete(route.path, claims)
            forged = client.request(method, url, data={"version": "1"}, follow_redirects=False)
            assert forged.status_code == 403, (method, route.path, forged.status_code)
            wrong = client.request(
                method, url, data={"version": "1"}, headers={"X-CSRF-Token": "x" * 64}
            )
            assert wrong.status_code == 403, (method, route.path)
            cross = client.request(
                method,
                url,
                data={"version": "1"},
                headers={"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"},
            )
            assert cross.status_code == 403, (method, route.path)
    assert claim_row(session, claims[0]).version == 1


def test_an_editor_may_not_do_what_only_administrators_may(
    client: TestClient, session: Session, claims: list[int]
) -> None:
    _, csrf = sign_in(client, session, "editor", Role.EDITOR)
    assert client.get("/users", follow_redirects=False).status_code == 403
    refused = client.post(
        "/users/1/disabled", data={"disabled": "true"}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 403 and "administrators" in refused.text


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, claims: list[int]) -> None:
    for path in [
        "/review",
        "/review/quality",
        f"/claims/{claims[0]}/edit",
        f"/claims/{claims[0]}/history",
        "/import",
    ]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/login?next=/"
        )
    htmx = client.post(
        f"/claims/{claims[0]}/edit",
        data={},
        headers=HTMX | {"HX-Current-URL": "http://testserver/review?stance=stay"},
    )
    assert (
        htmx.status_code == 401
        and htmx.headers["HX-Redirect"] == "/login?next=/review%3Fstance%3Dstay"
    )
    # A page address urlsplit refuses says nothing of the page: back to the address asked for.
    garbled = client.get(
        f"/claims/{claims[0]}/edit", headers=HTMX | {"HX-Current-URL": "http://[x/review"}
    )
    assert garbled.headers["HX-Redirect"] == f"/login?next=/claims/{claims[0]}/edit"


def test_a_signed_out_cookie_grants_nothing(
    client: TestClient, session: Session, claims: list[int]
) -> None:
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_the_timeline_and_claim_page_open_the_editor_in_place(
    client: TestClient, session: Session, claims: list[int], csrf: str
) -> None:
    save(client, claims[0], csrf, 1, status="verified")
    row = BeautifulSoup(client.get("/").text, "html.parser").select_one(f"#claim-{claims[0]}")
    edit = row.select_one(".edit-controls a.edit")
    assert (
        edit["hx-target"] == f"#editor-{claims[0]}" and edit["href"] == f"/claims/{claims[0]}/edit"
    )
    assert row.select_one(f"div#editor-{claims[0]}.editor-slot") is not None
    opened = client.get(edit["hx-get"], headers=HTMX | {"HX-Target": f"editor-{claims[0]}"})
    fragment = BeautifulSoup(opened.text, "html.parser")
    assert fragment.select_one(f"section#editor-{claims[0]}") is not None
    closed = client.get(fragment.select_one("a.close")["hx-get"], headers=HTMX)
    assert (
        BeautifulSoup(closed.text, "html.parser").select_one(f"div#editor-{claims[0]}").text == ""
    )
    # The page's address as the browser sent it, however odd, is no reason for a 500.
    odd = HTMX | {"HX-Current-URL": "http://h//[x/"}
    assert client.get(fragment.select_one("a.close")["hx-get"], headers=odd).status_code == 200
    client.cookies.clear()
    anonymous = BeautifulSoup(client.get("/").text, "html.parser")
    assert anonymous.select(".edit-controls") == [] and not anonymous.body.has_attr("hx-headers")
