"""An editor at work in a real Chromium: sign in, review with the keyboard, edit every field in
place, tag, add a claim from a selection, resolve a conflict, revert, merge two actors."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect
from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from app.db.engine import make_engine, make_sessionmaker
from app.models import Actor, Article, Claim, Outlet, ReviewDecision, Revision, User
from app.models.vocab import Role
from app.services import auth
from app.services.claim_edits import apply_edit
from tests.browser.conftest import screenshot
from tests.editors import PASSWORD

ARTICLE = "menber-2025-02-12-putin-sharaa-call"
REFUSED_ON_PURPOSE = ("status of 403", "status of 409", "status of 422", "Error Code 422 from")
"""Chromium logs every 4xx answer, and htmx each it does not swap; these tests provoke
conflicts and invalid input on purpose."""


@pytest.fixture
def tolerated_errors() -> tuple[str, ...]:
    return REFUSED_ON_PURPOSE


@pytest.fixture(scope="module")
def db(live_database_url: str) -> Iterator[sessionmaker[Session]]:
    """The live server's database, with two editors and one article's claims back in the queue."""
    engine = make_engine(live_database_url)
    maker = make_sessionmaker(engine)
    with maker.begin() as session:
        auth.add_user(session, "layla", Role.EDITOR, PASSWORD)
        auth.add_user(session, "omar", Role.EDITOR, PASSWORD)
        article = session.scalar(select(Article.id).where(Article.key == ARTICLE))
        session.execute(
            update(Claim)
            .where(Claim.article_id == article)
            .values(status="extracted", extractor="rules-0.1")
        )
    yield maker
    engine.dispose()


def sign_in(page: Page, base: str, name: str = "layla", then: str = "/review") -> None:
    page.goto(f"{base}/login?next={then}")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def select_words(page: Page, scope: str, words: str) -> None:
    """Select `words` inside the article text under `scope`, as a mouse would."""
    page.evaluate(
        """([scope, words]) => {
            const root = document.querySelector(scope + ' [data-selectable]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
            throw new Error('words not found: ' + words);
        }""",
        [scope, words],
    )


def claim(db: sessionmaker[Session], claim_id: int) -> Claim:
    with db() as session:
        found = session.get(Claim, claim_id)
        assert found is not None
        return found


def queue_ids(db: sessionmaker[Session]) -> list[int]:
    with db() as session:
        return list(
            session.scalars(
                select(Claim.id)
                .where(Claim.status == "extracted")
                .order_by(Claim.created_at, Claim.id)
            )
        )


def test_review_with_the_keyboard(page: Page, live_server: str, db: sessionmaker[Session]) -> None:
    waiting = queue_ids(db)
    sign_in(page, live_server)
    expect(page.locator("#left strong")).to_have_text(str(len(waiting)))
    screenshot(page, "editor-queue-desktop")
    first, second, third = (page.locator(f"#queue-item-{i}") for i in waiting[:3])
    expect(first).to_have_class("queue-item status-extracted is-current")
    page.keyboard.press("j")
    expect(second).to_have_class("queue-item status-extracted is-current")
    page.keyboard.press("k")
    expect(first).to_have_class("queue-item status-extracted is-current")
    page.keyboard.press("?")
    expect(page.locator("dialog[data-keys]")).to_be_visible()
    screenshot(page, "editor-queue-keys")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(first.locator(".decided-note")).to_contain_text("Approved")
    expect(second).to_have_class("queue-item status-extracted is-current")
    page.keyboard.press("r")
    expect(second.locator(".reasons button").first).to_be_focused()
    page.keyboard.press("Tab")  # the second reason: wrong speaker
    page.keyboard.press("Enter")
    expect(second.locator(".decided-note")).to_contain_text("Rejected")
    expect(third).to_have_class("queue-item status-extracted is-current")
    expect(page.locator("#left strong")).to_have_text(str(len(waiting) - 2))
    page.keyboard.press("e")
    expect(third.locator(".editor")).to_be_visible()
    screenshot(page, "editor-queue-editing")
    with db() as session:
        decisions = {
            d.claim_id: (d.decision, d.reason) for d in session.scalars(select(ReviewDecision))
        }
    assert decisions[waiting[0]] == ("approved", None)
    assert decisions[waiting[1]] == ("rejected", "wrong_speaker")
    # The count above the queue follows each decision by htmx: leave only once it has come, or
    # the browser aborts that request and logs the abort as an error.
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server}/review/quality")
    expect(page.locator("table[data-dimension=extractor] .precision")).to_have_text("50%")
    screenshot(page, "editor-report-card")


def press_in_layout(page: Page, key: str, code: str, *, shift: bool = False) -> None:
    """A key pressed with another keyboard layout: `key` is what it types, `code` the key's
    place (Playwright's keyboard is a US one, so the event is made here)."""
    page.evaluate(
        """([key, code, shiftKey]) => (document.activeElement || document.body).dispatchEvent(
            new KeyboardEvent('keydown', {key, code, shiftKey, bubbles: true, cancelable: true}))""",
        [key, code, shift],
    )


def test_the_queue_s_keys_work_with_an_arabic_keyboard_layout(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """With an Arabic layout, the key marked J types ت, A types ش and ? types ؟: the keys the
    list names did nothing until the editor switched the layout to Latin."""
    waiting = queue_ids(db)
    sign_in(page, live_server)
    first, second = (page.locator(f"#queue-item-{i}") for i in waiting[:2])
    expect(first).to_have_class(re.compile("is-current"))
    press_in_layout(page, "ت", "KeyJ")
    expect(second).to_have_class(re.compile("is-current"))
    press_in_layout(page, "؟", "Slash", shift=True)
    expect(page.locator("dialog[data-keys]")).to_be_visible()
    page.keyboard.press("Escape")
    press_in_layout(page, "ش", "KeyA")
    expect(second.locator(".decided-note")).to_contain_text("Approved")
    expect(first).to_have_class(re.compile("status-extracted"))
    page.wait_for_load_state("networkidle")
    with db.begin() as session:  # back in the queue, which the tests after this one work from
        session.execute(update(Claim).where(Claim.id == waiting[1]).values(status="extracted"))


def test_edit_every_field_in_place(page: Page, live_server: str, db: sessionmaker[Session]) -> None:
    claim_id = queue_ids(db)[-1]
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    editor = page.locator(f"#editor-{claim_id}")
    version = claim(db, claim_id).version

    def saved_in(legend: str) -> None:
        nonlocal version
        editor.get_by_role("group", name=legend, exact=True).locator("button.save").click()
        version += 1
        expect(editor.locator(".editor-head")).to_contain_text(f"version {version}")

    editor.locator("select[name=stance]").select_option("negotiating")
    saved_in("Stance")
    editor.locator("input[name=bases][value=tartus]").uncheck()
    editor.locator("input[name=bases][value=hmeimim]").check()
    saved_in("Bases")
    editor.locator("input[name=stated_on]").fill("2025-02")
    editor.locator("select[name=stated_on_precision]").select_option("month")
    saved_in("Stated on")
    direct = not claim(db, claim_id).direct
    editor.locator(f"input[name=direct][value={str(direct).lower()}]").check()
    saved_in("Direct or reported")
    editor.get_by_role("group", name="Via (nearest source first)", exact=True).locator(
        "input[name=via]"
    ).last.fill("SANA")
    saved_in("Via (nearest source first)")
    editor.locator("textarea[name=summary_en]").fill("Edited in the browser.")
    saved_in("English summary")
    editor.locator("textarea[name=note]").fill("Checked against the video.")
    saved_in("Editor's note (not public)")
    editor.locator("input[name=q]").fill("بيسكوف")
    editor.locator(".speaker-option", has_text="Dmitry Peskov").locator("input").check()
    saved_in("Speaker")
    # A bad date: the message beside the field, the input kept, nothing saved.
    editor.locator("input[name=stated_on]").fill("12/02/2025")
    editor.get_by_role("group", name="Stated on", exact=True).locator("button.save").click()
    expect(editor.locator(f"#error-{claim_id}-stated_on")).to_contain_text("2025-02-12")
    expect(editor.locator("input[name=stated_on]")).to_have_value("12/02/2025")
    screenshot(page, "editor-claim-422")
    # Tags: add two, remove one.
    for tag in ("agreements", "phone-call"):
        editor.locator("input[name=tags]:not([type=hidden])").fill(tag)
        editor.locator("form.tag-add button").click()
        version += 1
        expect(editor.locator(".tags")).to_contain_text(tag)
    editor.locator(".tag", has_text="agreements").locator("button.remove").click()
    version += 1
    expect(editor.locator(".tags")).not_to_contain_text("agreements")
    # The quote span, from a selection in the article's text.
    select_words(page, ".article-pane", "الاتفاقيات")
    expect(page.locator(".article-pane [data-selection-bar]")).to_be_visible()
    page.locator(".article-pane [data-use-selection]").click()
    saved_in("Quote span")
    screenshot(page, "editor-claim-desktop")
    saved = claim(db, claim_id)
    assert (saved.stance, saved.bases, saved.stated_on_precision, saved.direct) == (
        "negotiating",
        ["hmeimim"],
        "month",
        direct,
    )
    assert saved.via[-1] == "SANA" and saved.summary_en == "Edited in the browser."
    assert saved.note == "Checked against the video." and saved.quote == "الاتفاقيات"
    with db() as session:
        assert session.get(Actor, saved.speaker_id).slug == "dmitry-peskov"  # type: ignore[union-attr]
        tags = session.scalars(
            select(Revision.new_value).where(
                Revision.claim_id == claim_id, Revision.field == "tags"
            )
        ).all()
    assert tags[-1] == ["phone-call"]
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "editor-claim-phone")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_claim_from_a_selection(page: Page, live_server: str, db: sessionmaker[Session]) -> None:
    sign_in(page, live_server, then=f"/articles/{ARTICLE}/claims/new")
    words = "مواصلة الاتصالات لتطوير التعاون الثنائي"
    select_words(page, ".article-pane", words)
    page.locator(".article-pane [data-new-claim]").click()
    page.wait_for_url("**/claims/new?start=*")
    expect(page.locator("#new_claim [data-span-preview]")).to_have_text(words)
    page.locator("#new-speaker-q").fill("Putin")
    page.locator(".speaker-option", has_text="Vladimir Putin").locator("input").check()
    page.locator("#new_claim select[name=stance]").select_option("negotiating")
    screenshot(page, "editor-new-claim")
    page.locator("#new_claim button.primary").click()
    page.wait_for_url("**/claims/*/edit")
    claim_id = int(page.url.rsplit("/", 2)[-2])
    made = claim(db, claim_id)
    assert (made.quote, made.origin, made.status) == (words, "editor", "verified")


def test_two_editors_save_the_same_claim(
    browser: Browser, live_server: str, db: sessionmaker[Session]
) -> None:
    claim_id = queue_ids(db)[0]
    pages = []
    for name in ("layla", "omar"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, live_server, name, then=f"/claims/{claim_id}/edit")
        pages.append(page)
    first, second = (p.locator(f"#editor-{claim_id}") for p in pages)
    version = claim(db, claim_id).version
    first.locator("textarea[name=summary_en]").fill("Layla's summary.")
    first.get_by_role("group", name="English summary", exact=True).locator("button.save").click()
    expect(first.locator(".editor-head")).to_contain_text(f"version {version + 1}")
    second.locator("select[name=stance]").select_option("leave")
    second.get_by_role("group", name="Stance", exact=True).locator("button.save").click()
    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("layla changed English summary")
    screenshot(pages[1], "editor-conflict")
    conflict.locator("button", has_text="Apply my change on top").click()
    expect(second.locator(".conflict")).to_have_count(0)
    saved = claim(db, claim_id)
    assert (saved.summary_en, saved.stance) == ("Layla's summary.", "leave")
    for page in pages:
        page.context.close()


def test_a_save_the_server_refuses_says_so(
    browser: Browser, live_server: str, db: sessionmaker[Session]
) -> None:
    """Signed out and in again in another tab, the page's CSRF token is stale: its Save is
    refused (403), and htmx swaps nothing for that. The page says nothing was changed."""
    claim_id = queue_ids(db)[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, other = context.new_page(), context.new_page()
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    other.goto(f"{live_server}/review")  # the same browser, so already signed in
    other.locator("nav.account button[type=submit]").click()
    sign_in(other, live_server)
    version = claim(db, claim_id).version
    editor = page.locator(f"#editor-{claim_id}")
    editor.locator("textarea[name=summary_en]").fill("Will this be lost?")
    editor.get_by_role("group", name="English summary", exact=True).locator("button.save").click()
    failed = page.locator("#request-failed")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text("your sign-in may have ended. Nothing was changed")
    expect(failed).to_contain_text("(403)")
    screenshot(page, "editor-refused-save")
    assert claim(db, claim_id).version == version
    page.reload()  # with the new session's token, the same save goes through
    editor.locator("textarea[name=summary_en]").fill("Saved after a reload.")
    editor.get_by_role("group", name="English summary", exact=True).locator("button.save").click()
    expect(editor.locator(".editor-head")).to_contain_text(f"version {version + 1}")
    expect(failed).to_be_hidden()
    context.close()


def test_a_refusal_says_so_and_never_puts_a_page_inside_the_statement(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """Joining a number past any claim's id: the note beside the field. A refusal the route does
    not answer with its fragment (here, a form that lost its field) is the site's error page: a
    422, which htmx swaps, put that whole page, its header and all, inside the statement's box.
    It is not swapped, and the page says nothing was changed, as for any other refusal."""
    claim_id = queue_ids(db)[-1]
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    page.goto(f"{live_server}/claims/{claim_id}")
    statement = page.locator("#statement")
    page.fill("#join-other", "9" * 20)
    statement.get_by_role("button", name="Join").click()
    expect(page.locator("#join-error")).to_have_text(f"there is no claim {'9' * 20}")
    page.locator("#join-other").evaluate("field => field.removeAttribute('name')")
    statement.get_by_role("button", name="Join").click()
    failed = page.locator("#request-failed")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text("Nothing was changed")
    expect(failed).to_contain_text("(422)")
    expect(page.locator("header.site")).to_have_count(1)
    expect(statement.locator("#join-error")).to_be_visible()  # as it was


def test_a_claim_number_in_arabic_indic_digits_is_sent(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """An Arabic keyboard types ١٢ for 12, which the routes read: the browser must not stop the
    join or merge form with its own message first."""
    claim_id = queue_ids(db)[-1]
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    page.goto(f"{live_server}/claims/{claim_id}?lang=ar")
    number = "".join(chr(0x0660 + int(d)) for d in "9" * 20)  # no such claim: refused beside it
    for field, error in (("#join-other", "#join-error"), ("#merge-into", "#merge-error")):
        page.fill(field, number)
        assert page.locator(field).evaluate("field => field.checkValidity()")
        page.locator(field).press("Enter")
        expect(page.locator(error)).to_be_visible()


def test_an_edit_on_a_claim_s_page_shows_in_the_page_too(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """The editor opens below the claim on its page; after a save, the facts above it follow."""
    claim_id = queue_ids(db)[-1]
    sign_in(page, live_server)
    page.goto(f"{live_server}/claims/{claim_id}")  # redirected to its address with a slug
    old = claim(db, claim_id).stance
    new = "unclear" if old != "unclear" else "review"
    page.locator(".edit-controls a.edit").click()
    editor = page.locator(f"#editor-{claim_id}")
    editor.locator("select[name=stance]").select_option(new)
    editor.get_by_role("group", name="Stance", exact=True).locator("button.save").click()
    expect(page.locator(f".claim-facts .stance-{new}")).to_have_count(1)
    expect(page.locator(f".claim-facts .stance-{old}")).to_have_count(0)
    expect(editor.locator("select[name=stance]")).to_have_value(new)  # the editor stays open


def test_revert_a_revision(page: Page, live_server: str, db: sessionmaker[Session]) -> None:
    claim_id = queue_ids(db)[0]
    before = claim(db, claim_id)
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    page.locator(f"#editor-{claim_id} select[name=stance]").select_option("unclear")
    page.locator(f"#editor-{claim_id} fieldset", has_text="Stance").locator("button.save").click()
    expect(page.locator(f"#editor-{claim_id} .editor-head")).to_contain_text(
        f"version {before.version + 1}"
    )
    page.goto(f"{live_server}/claims/{claim_id}/history")
    row = page.locator("#history tbody tr").first
    expect(row).to_contain_text("Stance")
    row.locator("button", has_text="Revert").click()
    expect(page.locator("#history tbody tr").first).to_contain_text(
        "revert of the change that made version"
    )
    screenshot(page, "editor-history")
    assert claim(db, claim_id).stance == before.stance


def test_merge_two_actors(page: Page, live_server: str, db: sessionmaker[Session]) -> None:
    with db.begin() as session:
        duplicate = Actor(
            slug="v-putin", kind="person", name_ar="بوتين", name_en="V. Putin", aliases=[]
        )
        session.add(duplicate)
        session.flush()
        moved = session.scalars(
            select(Claim).where(Claim.speaker.has(Actor.slug == "vladimir-putin"))
        ).first()
        assert moved is not None
        moved.speaker_id = duplicate.id
        moved_id = moved.id
    sign_in(page, live_server, then="/actors/v-putin/edit")
    page.fill("#merge-into", "vladimir-putin")
    screenshot(page, "editor-actor")
    page.locator(".merge button").click()
    page.wait_for_url(f"{live_server}/actors/vladimir-putin/edit")
    response = page.request.get(f"{live_server}/actors/v-putin/edit", max_redirects=0)
    assert response.status == 301 and response.headers["location"] == "/actors/vladimir-putin/edit"
    with db() as session:
        speaker = session.scalar(
            select(Actor.slug).join(Claim, Claim.speaker_id == Actor.id).where(Claim.id == moved_id)
        )
    assert speaker == "vladimir-putin"


@pytest.mark.parametrize("width", [1280, 360])
def test_editor_pages_in_arabic(
    page: Page, live_server: str, db: sessionmaker[Session], width: int
) -> None:
    """Every page an editor uses reads in Arabic, right to left, without scrolling sideways."""
    page.set_viewport_size({"width": width, "height": 900})

    def arabic_page(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        screenshot(page, f"{name}-ar-{width}")
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    page.goto(f"{live_server}/login?lang=ar&next=/review")
    expect(page.locator("h1")).to_have_text("تسجيل الدخول")
    expect(page.locator("label[for=password]")).to_have_text("كلمة المرور")
    arabic_page("editor-signin")
    page.fill("#username", "layla")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review")

    expect(page.locator("h1")).to_have_text("قائمة المراجعة")
    expect(page.locator("nav.account")).to_contain_text("كشف الأداء")
    expect(page.locator(".queue-item .approve").first).to_contain_text("اعتمد")
    arabic_page("editor-queue")

    claim_id = queue_ids(db)[0]
    page.goto(f"{live_server}/claims/{claim_id}/edit")
    expect(page.locator("h1")).to_have_text(f"تحرير التصريح {claim_id}")
    stance = page.locator(f"#stance-{claim_id} option")
    expect(stance).to_have_text(["بقاء", "انسحاب", "مشروط", "قيد التفاوض", "مراجعة", "غير واضح"])
    assert stance.evaluate_all("options => options.map(o => o.value)") == [
        "stay",
        "leave",
        "conditional",
        "negotiating",
        "review",
        "unclear",
    ]
    expect(page.locator(f"#precision-{claim_id} option").first).to_have_text("يوم")
    expect(page.locator(".editor .current")).to_contain_text("الآن:")
    arabic_page("editor-claim")

    page.goto(f"{live_server}/claims/{claim_id}/history")
    expect(page.locator("h1")).to_have_text(f"سجل التصريح {claim_id}")
    expect(page.locator("table.history thead th").first).to_have_text("النسخة")
    arabic_page("editor-history")


def focused(page: Page) -> str:
    """The focused element, as `tag#id.class` and its text's first words."""
    return str(
        page.evaluate(
            """() => { const a = document.activeElement;
                return a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + ' '
                    + a.textContent.trim().split(/\\s+/).slice(0, 3).join(' '); }"""
        )
    )


def test_focus_stays_with_the_work_after_each_swap(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """htmx replaces the element that had focus; the keyboard user goes on from the field just
    saved, the field refused, the conflict notice, or the swapped region's heading."""
    claim_id = queue_ids(db)[-1]
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    editor = page.locator(f"#editor-{claim_id}")
    version = claim(db, claim_id).version
    stance = editor.get_by_role("group", name="Stance", exact=True)
    editor.locator("select[name=stance]").select_option("review")
    stance.locator("button.save").focus()
    page.keyboard.press("Enter")
    expect(editor.locator(".editor-head")).to_contain_text(f"version {version + 1}")
    expect(stance).to_be_focused()
    page.keyboard.press("Tab")  # on into the field just saved, not from the top of the page
    expect(editor.locator("select[name=stance]")).to_be_focused()
    # Refused: focus on the field to correct.
    editor.locator("input[name=stated_on]").fill("12/02/2025")
    editor.get_by_role("group", name="Stated on", exact=True).locator("button.save").click()
    expect(editor.locator("input[name=stated_on]")).to_be_focused()
    expect(editor.locator("input[name=stated_on]")).to_have_attribute("aria-invalid", "true")
    # Someone else saved meanwhile: focus on the notice, which names the field they changed.
    with db.begin() as session:
        omar = session.scalar(select(User).where(User.username == "omar"))
        assert omar is not None
        changed = apply_edit(
            session,
            claim_id,
            {"summary_en": "Changed meanwhile."},
            editor=omar,
            base_version=version + 1,
        )
        assert isinstance(changed, Claim)
    editor.locator("textarea[name=note]").fill("Mine.")
    editor.get_by_role("group", name="Editor's note (not public)", exact=True).locator(
        "button.save"
    ).click()
    expect(editor.locator(".conflict h3")).to_be_focused()
    # Apply my change on top: focus on the field it saved.
    editor.locator(".conflict button", has_text="Apply my change on top").click()
    expect(editor.locator(".conflict")).to_have_count(0)
    expect(
        editor.get_by_role("group", name="Editor's note (not public)", exact=True)
    ).to_be_focused()
    # The tags: Enter in the new-tag box leaves focus there, for the next tag.
    editor.locator("input[name=tags]:not([type=hidden])").fill("focus-tag")
    page.keyboard.press("Enter")
    expect(editor.locator(".tags")).to_contain_text("focus-tag")
    expect(editor.locator("input[name=tags]:not([type=hidden])")).to_be_focused()
    screenshot(page, "editor-focus-after-save")

    # The review queue: a field saved in place keeps the keyboard in that item.
    page.goto(f"{live_server}/review")
    page.keyboard.press("e")
    item = page.locator("[data-queue] > .queue-item.is-current")
    expect(item.locator(".editor")).to_be_visible()
    summary = item.get_by_role("group", name="English summary", exact=True)
    summary.locator("textarea").fill("Saved from the queue.")
    summary.locator("button.save").click()
    expect(summary).to_be_focused()
    expect(item.locator("textarea[name=summary_en]")).to_have_value("Saved from the queue.")

    # The claim page's "Not the same statement": focus on the statement's heading.
    with db() as session:
        other = aliased(Claim)
        first, second = session.execute(
            select(Claim.id, other.id)
            .join(other, and_(other.speaker_id == Claim.speaker_id, other.id > Claim.id))
            .where(Claim.article_id != other.article_id, other.status == "verified")
            .where(Claim.status == "verified")  # a proposal is no report until it is checked
            .order_by(Claim.id, other.id)
            .limit(1)
        ).one()
    page.goto(f"{live_server}/claims/{first}")
    page.fill("#join-other", str(second))
    page.locator("#statement button", has_text="Join").click()
    split = page.locator("#statement button", has_text="Not the same statement")
    expect(split.first).to_be_visible()
    reports = split.count()
    split.first.click()
    expect(split).to_have_count(reports - 1)
    expect(page.locator("#statement-heading")).to_be_focused()
    page.keyboard.press("Tab")  # on within the statement's tools
    assert page.evaluate("document.activeElement.closest('#statement') !== null")


def test_the_queue_s_count_and_filters_follow_its_list(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """A filter narrows the list and its count together; Back and Forward bring the filters
    back with the list they narrowed."""
    with db.begin() as session:  # another outlet's article in the queue too
        outlet = session.scalar(select(Outlet.name).join(Article).where(Article.key == ARTICLE))
        elsewhere = select(Article.id).join(Outlet).where(Outlet.name != outlet).limit(1)
        session.execute(
            update(Claim)
            .where(Claim.article_id == elsewhere.scalar_subquery())
            .values(status="extracted", extractor="rules-0.1")
        )
    assert outlet is not None
    sign_in(page, live_server)
    waiting = len(queue_ids(db))
    items = page.locator("#queue > li.queue-item")
    expect(page.locator("#left strong")).to_have_text(str(waiting))
    page.locator("select[name=outlet]").select_option(outlet)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/review?*outlet=*")
    narrowed = items.count()
    assert 0 < narrowed < waiting
    expect(page.locator("#left strong")).to_have_text(str(narrowed))
    expect(page.locator("#queue")).to_have_count(1)
    # The language switch keeps the filtered view the address now names.
    expect(page.locator("a.lang-switch")).to_have_attribute("href", re.compile(r"outlet=.*lang=ar"))
    page.locator("select[name=language]").select_option("en")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**language=en*")
    expect(page.locator("#left strong")).to_have_text("0")
    page.go_back()
    page.wait_for_url(lambda url: "language=en" not in url)
    expect(items).to_have_count(narrowed)
    expect(page.locator("select[name=outlet]")).to_have_value(outlet)
    expect(page.locator("select[name=language]")).to_have_value("")
    expect(page.locator("#left strong")).to_have_text(str(narrowed))
    page.go_back()
    page.wait_for_url(f"{live_server}/review")
    expect(page.locator("select[name=outlet]")).to_have_value("")
    page.go_forward()
    page.wait_for_url("**outlet=*")
    expect(page.locator("select[name=outlet]")).to_have_value(outlet)
    expect(items).to_have_count(narrowed)


def test_back_after_a_decision_lists_the_queue_as_it_is_now(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """Back from a filtered queue in which a claim was approved: the queue before the filter is
    asked for again. htmx restored its own copy of the page, as listed before the approval: the
    claim was waiting there still, under the count of before, and a second `a` was refused."""
    sign_in(page, live_server)
    waiting = queue_ids(db)
    with db() as session:
        outlet = session.scalar(
            select(Outlet.name).join(Article).join(Claim).where(Claim.id == waiting[0])
        )
    assert outlet is not None
    page.locator("select[name=outlet]").select_option(outlet)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/review?*outlet=*")
    narrowed = int(page.locator("#left strong").inner_text())
    page.keyboard.press("a")
    expect(page.locator(f"#queue-item-{waiting[0]} .decided-note")).to_contain_text("Approved")
    expect(page.locator("#left strong")).to_have_text(str(narrowed - 1))
    page.go_back()
    page.wait_for_url(f"{live_server}/review")
    expect(page.locator("#left strong")).to_have_text(str(len(waiting) - 1))
    expect(page.locator(f"#queue-item-{waiting[0]}")).to_have_count(0)


def test_back_never_brings_a_page_as_read_before_signing_in(
    browser: Browser, live_server: str, db: sessionmaker[Session]
) -> None:
    """htmx kept its copy of the timeline as a reader saw it, in the tab, past the sign-in: Back
    on the timeline brought it to the editor, without its Edit controls."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for signed_in in (False, True):
        if signed_in:
            sign_in(page, live_server, then="/")
        else:
            page.goto(f"{live_server}/")
        page.locator("a.month-link").first.click()
        page.wait_for_url("**from=**")
    page.go_back()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator(".edit-controls").first).to_be_visible()
    context.close()


def test_a_stale_approval_says_who_decided(
    browser: Browser, live_server: str, db: sessionmaker[Session]
) -> None:
    """Layla and Omar have the queue open; Omar rejects the first claim, then Layla presses a."""
    pages = []
    for name in ("layla", "omar"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, live_server, name)
        pages.append(page)
    layla, omar = pages
    claim_id = queue_ids(db)[0]
    omar.keyboard.press("r")
    omar.keyboard.press("Enter")
    expect(omar.locator(f"#queue-item-{claim_id} .decided-note")).to_contain_text("Rejected")
    layla.keyboard.press("a")
    note = layla.locator(f"#queue-item-{claim_id} .decided-conflict")
    expect(note).to_have_text(
        "omar rejected this claim while you had it open. Your approval was not saved."
    )
    screenshot(layla, "editor-stale-approval")
    assert claim(db, claim_id).status == "rejected"
    # Omar's rejection took the claim out of the queue: Layla's count says so too.
    expect(layla.locator("#left strong")).to_have_text(str(len(queue_ids(db))))
    for page in pages:
        page.context.close()


def test_the_next_claims_come_once_the_listed_ones_are_decided(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """The queue lists the first claims waiting. Deciding the last of them lists those still
    waiting (here one imported meanwhile), not an empty page under a count of claims left."""
    sign_in(page, live_server)
    listed = page.locator("#queue > li.status-extracted")
    shown = listed.evaluate_all("items => items.map(item => item.dataset.claim)")
    assert shown
    with db.begin() as session:
        later = session.scalar(select(Claim.id).where(Claim.status == "verified").limit(1))
        session.execute(
            update(Claim).where(Claim.id == later).values(status="extracted", extractor="rules-0.1")
        )
    for position, claim_id in enumerate(shown, 1):  # on a busy CI machine each may take seconds
        item = page.locator(f"#queue-item-{claim_id}")
        expect(item).to_have_class(re.compile("is-current"), timeout=15_000)
        page.keyboard.press("a")
        if position < len(shown):  # the last one's note may already be gone with the list
            expect(item.locator(".decided-note")).to_be_visible(timeout=15_000)
    expect(page.locator(f"#queue-item-{later}")).to_have_class(
        re.compile("is-current"), timeout=15_000
    )
    expect(page.locator("#left strong")).to_have_text(str(len(queue_ids(db))))
    page.keyboard.press("a")
    # The last one decided, the queue is asked again (its note may already be gone with it).
    expect(page.locator("#queue")).to_contain_text("Nothing waits for review", timeout=15_000)
    expect(page.locator("#left strong")).to_have_text("0")
    assert queue_ids(db) == []


def test_without_javascript_a_decision_leads_back_to_the_queue_at_the_next_claim(
    browser: Browser, live_server: str, db: sessionmaker[Session]
) -> None:
    """The queue's forms work as plain forms: approving or rejecting led to the claim's editor,
    out of the queue, and the editor had to find their place in it again."""
    with db.begin() as session:
        back = session.scalars(select(Claim.id).where(Claim.status == "verified").limit(3)).all()
        session.execute(
            update(Claim)
            .where(Claim.id.in_(back))
            .values(status="extracted", extractor="rules-0.1")
        )
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in(page, live_server)
    first, second, third = queue_ids(db)[:3]
    page.locator(f"#queue-item-{first} button.approve").click()
    page.wait_for_url(f"{live_server}/review#queue-item-{second}")
    assert claim(db, first).status == "verified"
    item = page.locator(f"#queue-item-{second}")
    item.locator("details.reject summary").click()
    item.locator("button[name=reason][value=wrong_speaker]").click()
    page.wait_for_url(f"{live_server}/review#queue-item-{third}")
    assert claim(db, second).status == "rejected"
    with db() as session:
        reason = session.scalar(
            select(ReviewDecision.reason).where(ReviewDecision.claim_id == second)
        )
    assert reason == "wrong_speaker"
    context.close()


def a_verified_claim(db: sessionmaker[Session]) -> int:
    """A claim with a summary, whatever the tests before left in the queue."""
    with db() as session:
        found = session.scalar(
            select(Claim.id)
            .where(Claim.status == "verified", Claim.summary_en != "")
            .order_by(Claim.id)
            .limit(1)
        )
    assert found is not None
    return found


def test_a_save_keeps_what_is_typed_in_the_other_fields(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """Each field saves alone, and the editor comes back whole: text typed in the other fields,
    not saved yet, is still there after the save (and after a refusal), not reset unannounced."""
    claim_id = a_verified_claim(db)
    before = claim(db, claim_id)
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    editor = page.locator(f"#editor-{claim_id}")
    editor.locator("textarea[name=summary_en]").fill("Typed, not saved yet.")
    editor.locator("textarea[name=note]").fill("A note in progress.")
    editor.locator("input[name=bases][value=tartus]").set_checked("tartus" not in before.bases)
    editor.locator("select[name=stance]").select_option("conditional")
    editor.get_by_role("group", name="Stance", exact=True).locator("button.save").click()
    expect(editor.locator(".editor-head")).to_contain_text(f"version {before.version + 1}")
    expect(editor.locator("textarea[name=summary_en]")).to_have_value("Typed, not saved yet.")
    expect(editor.locator("textarea[name=note]")).to_have_value("A note in progress.")
    expect(editor.locator("input[name=bases][value=tartus]")).to_be_checked(
        checked="tartus" not in before.bases
    )
    # Refused (a bad date): the message comes, and the typed text stays too.
    editor.locator("input[name=stated_on]").fill("12/02/2025")
    editor.get_by_role("group", name="Stated on", exact=True).locator("button.save").click()
    expect(editor.locator(f"#error-{claim_id}-stated_on")).to_be_visible()
    expect(editor.locator("textarea[name=summary_en]")).to_have_value("Typed, not saved yet.")
    saved = claim(db, claim_id)
    assert (saved.stance, saved.summary_en, saved.note) == (
        "conditional",
        before.summary_en,
        before.note,
    )


def test_a_save_on_a_claim_s_page_updates_its_citation_and_corrections(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """After a save in the editor below a claim, the page cites the new version and lists the
    correction, as a reload would."""
    claim_id = a_verified_claim(db)
    sign_in(page, live_server)
    page.goto(f"{live_server}/claims/{claim_id}")
    version = claim(db, claim_id).version
    page.locator(".edit-controls a.edit").click()
    editor = page.locator(f"#editor-{claim_id}")
    editor.locator("textarea[name=summary_en]").fill("Summary corrected on the page.")
    editor.get_by_role("group", name="English summary", exact=True).locator("button.save").click()
    expect(page.locator(".summary")).to_contain_text("Summary corrected on the page.")
    expect(page.locator("#cite-version-url")).to_have_attribute(
        "href", re.compile(f"/claims/{claim_id}/v/{version + 1}$")
    )
    expect(page.locator(".corrections")).to_contain_text(f"Version {version + 1} (current)")
    expect(page.locator(".corrections-log")).to_contain_text("Summary corrected on the page.")


def test_focus_stays_on_the_account_after_disable_and_enable(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """/users swaps its whole table on Disable or Enable: the keyboard stays on that account's
    button (now saying the opposite), not back at the top of the page."""
    with db.begin() as session:
        auth.add_user(session, "amira", Role.ADMIN, PASSWORD)
    sign_in(page, live_server, "amira", then="/users")
    row = page.locator("#users tbody tr", has=page.locator("bdi", has_text=re.compile("^omar$")))
    row.locator("button").focus()
    page.keyboard.press("Enter")
    expect(row).to_contain_text("disabled")
    expect(row.locator("button", has_text="Enable")).to_be_focused()
    page.keyboard.press("Enter")  # and back: omar may sign in again
    expect(row).to_contain_text("active")
    expect(row.locator("button", has_text="Disable")).to_be_focused()


GUARDED = "guard-check"
"""An extractor name of these tests' own: /review?extractor= lists only the claim they put back."""


def back_in_the_queue(db: sessionmaker[Session]) -> int:
    """A claim with a summary, waiting for review again, alone under the extractor GUARDED."""
    claim_id = a_verified_claim(db)
    with db.begin() as session:
        session.execute(
            update(Claim).where(Claim.id == claim_id).values(status="extracted", extractor=GUARDED)
        )
    return claim_id


class Dialogs:
    """The dialogs a page opens, each answered in turn: `answers` says accept (True) or not."""

    def __init__(self, page: Page) -> None:
        self.seen: list[tuple[str, str]] = []
        self.answers: list[bool] = []
        page.on("dialog", self.answer)

    def answer(self, dialog: Dialog) -> None:
        self.seen.append((dialog.type, dialog.message))
        if self.answers.pop(0) if self.answers else False:
            dialog.accept()
        else:
            dialog.dismiss()


APPROVE_AS_STORED = (
    "This claim has changes you have not saved. Approve it as it is stored, without them?"
)
REJECT_AS_STORED = (
    "This claim has changes you have not saved. Reject it as it is stored, without them?"
)


def editor_in_the_queue(page: Page, live_server: str, claim_id: int) -> tuple[Locator, Locator]:
    """The claim's queue item with its editor open (`e`), and the editor's summary box."""
    sign_in(page, live_server, then=f"/review?extractor={GUARDED}")
    item = page.locator(f"#queue-item-{claim_id}")
    expect(item).to_have_class(re.compile("is-current"))
    page.keyboard.press("e")
    return item, item.locator("textarea[name=summary_en]")


def expect_the_queue_emptied(page: Page) -> None:
    """The claim alone under GUARDED decided: its note shows, then the queue is asked again and
    says nothing waits (the note may be gone before an expect could see it)."""
    expect(page.locator("#queue")).to_contain_text("Nothing waits for review", timeout=15_000)


def test_a_decision_asks_before_it_drops_unsaved_typing(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """Typing in the queue's editor, not saved, then `a` (or `r` and a reason): the claim would be
    decided as stored while the editor believes their correction went with it. Asked first."""
    claim_id = back_in_the_queue(db)
    before = claim(db, claim_id)
    dialogs = Dialogs(page)
    item, summary = editor_in_the_queue(page, live_server, claim_id)
    summary.fill("Corrected, not saved yet.")
    item.focus()  # out of the field: the keys act on the item again
    page.keyboard.press("a")  # dismissed: nothing decided, nothing lost
    assert dialogs.seen == [("confirm", APPROVE_AS_STORED)]
    expect(item).to_have_class(re.compile("status-extracted"))
    expect(summary).to_have_value("Corrected, not saved yet.")
    item.focus()
    page.keyboard.press("r")
    expect(item.locator(".reasons button").first).to_be_focused()
    page.keyboard.press("Enter")  # a reason: asked too, and dismissed
    assert dialogs.seen[1:] == [("confirm", REJECT_AS_STORED)]
    expect(item).to_have_class(re.compile("status-extracted"))
    expect(summary).to_have_value("Corrected, not saved yet.")
    assert claim(db, claim_id).status == "extracted"
    screenshot(page, "editor-queue-unsaved")
    item.focus()
    dialogs.answers.append(True)
    page.keyboard.press("a")  # accepted: approved as it is stored, as the question said
    expect_the_queue_emptied(page)
    assert len(dialogs.seen) == 3
    saved = claim(db, claim_id)
    assert (saved.status, saved.summary_en) == ("verified", before.summary_en)


def test_a_decision_with_nothing_unsaved_asks_nothing(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """The editor open, nothing typed (or typed and put back as it was): `a` approves at once."""
    claim_id = back_in_the_queue(db)
    stored = claim(db, claim_id).summary_en
    dialogs = Dialogs(page)
    item, summary = editor_in_the_queue(page, live_server, claim_id)
    summary.fill("Typed, then put back.")
    summary.fill(stored)
    item.focus()
    page.keyboard.press("a")
    expect_the_queue_emptied(page)
    assert dialogs.seen == []
    assert claim(db, claim_id).status == "verified"


def test_close_asks_before_it_drops_unsaved_typing(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """The editor below a claim on its page, in Arabic: Close with a note typed, not saved, asks
    (in Arabic); kept, the note stays; discarded, the editor closes. Nothing typed: no question."""
    claim_id = a_verified_claim(db)
    stored = claim(db, claim_id).note or ""
    dialogs = Dialogs(page)
    sign_in(page, live_server)
    page.goto(f"{live_server}/claims/{claim_id}?lang=ar")
    editor = page.locator(f"#editor-{claim_id}")
    page.locator(".edit-controls a.edit").click()
    note = editor.locator("textarea[name=note]")
    note.fill("ملاحظة لم تُحفظ بعد.")
    editor.locator("a.close").click()
    assert dialogs.seen == [("confirm", "هل تتخلّى عن التعديلات التي لم تحفظها؟")]
    expect(note).to_have_value("ملاحظة لم تُحفظ بعد.")
    dialogs.answers.append(True)
    editor.locator("a.close").click()
    expect(page.locator(f"#editor-{claim_id}.editor")).to_have_count(0)
    expect(page.locator(f"#editor-{claim_id}.editor-slot")).to_have_count(1)
    assert len(dialogs.seen) == 2 and (claim(db, claim_id).note or "") == stored
    page.locator(".edit-controls a.edit").click()  # again, and closed with nothing typed
    expect(note).to_have_value(stored)
    editor.locator("a.close").click()
    expect(page.locator(f"#editor-{claim_id}.editor-slot")).to_have_count(1)
    assert len(dialogs.seen) == 2


def asks_before_leaving(page: Page) -> bool:
    """Whether leaving now would ask: a cancelable beforeunload, and whether it was cancelled."""
    return bool(
        page.evaluate(
            """() => { const leave = new Event('beforeunload', {cancelable: true});
                window.dispatchEvent(leave); return leave.defaultPrevented; }"""
        )
    )


def test_leaving_the_page_asks_only_while_typing_is_unsaved(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """The browser's own question before a link, reload or closed tab takes unsaved typing away;
    none once it is saved, put back as it was, or never typed."""
    claim_id = a_verified_claim(db)
    stored = claim(db, claim_id).note or ""
    dialogs = Dialogs(page)
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    editor = page.locator(f"#editor-{claim_id}")
    note = editor.locator("textarea[name=note]")
    assert not asks_before_leaving(page)
    note.click()
    page.keyboard.type(" Typed.")
    assert asks_before_leaving(page)
    note.fill(stored)  # put back as it was
    assert not asks_before_leaving(page)
    # Refused: the field shows what was typed (as the server sent it back), still not saved.
    editor.locator("input[name=stated_on]").fill("12/02/2025")
    editor.get_by_role("group", name="Stated on", exact=True).locator("button.save").click()
    expect(editor.locator(f"#error-{claim_id}-stated_on")).to_be_visible()
    assert asks_before_leaving(page)
    version = claim(db, claim_id).version
    note.fill("Saved before leaving.")
    editor.get_by_role("group", name="Editor's note (not public)", exact=True).locator(
        "button.save"
    ).click()
    expect(note).to_have_value("Saved before leaving.")
    expect(editor.locator(".editor-head")).to_contain_text(f"version {version + 1}")
    assert not asks_before_leaving(page)  # saved; the refused date is the stored one again
    # A link away with typing unsaved: the browser asks; staying keeps the page and the typing.
    note.fill("Not saved.")
    assert asks_before_leaving(page)
    editor.locator(".editor-head a", has_text="History").click()
    expect(note).to_have_value("Not saved.")
    assert dialogs.seen[-1][0] == "beforeunload" and len(dialogs.seen) == 1
    assert page.url == f"{live_server}/claims/{claim_id}/edit"
    dialogs.answers.append(True)
    editor.locator(".editor-head a", has_text="History").click()
    page.wait_for_url(f"{live_server}/claims/{claim_id}/history")
    assert len(dialogs.seen) == 2
    assert claim(db, claim_id).note == "Saved before leaving."


def a_corrected_claim(db: sessionmaker[Session], **fields: object) -> int:
    """The last verified claim, with `fields` changed by an editor (the tests above use the first)."""
    with db.begin() as session:
        editor = session.scalar(select(User).where(User.username == "layla"))
        last = session.scalars(
            select(Claim).where(Claim.status == "verified").order_by(Claim.id.desc()).limit(1)
        ).one()
        apply_edit(session, last.id, fields, editor=editor, base_version=last.version)
        return last.id


SPLIT_WORDS = """table => {
  // Words (not addresses, dates or numbers) that the layout cut across two lines.
  const cut = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/[^\\s\\/:.\\-0-9]{3,25}(?=\\s|$)/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
      if (lines.size > 1) cut.push(word[0]);
    }
  }
  return cut;
}"""


def test_on_a_phone_words_stay_whole_and_addresses_wrap(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """At 375 px: the history's "was → became" column is not squeezed until its words break
    (Arabic letters would lose their joins); an address in a summary wraps instead of widening
    the page past the screen (in Arabic, off its left edge where nobody can scroll)."""
    address = "https://en.kremlin.ru/events/president/news/78123"
    claim_id = a_corrected_claim(
        db, stance="negotiating", via=["TASS", "RTVI"], summary_en=f"In its readout, {address} ."
    )
    sign_in(page, live_server)
    page.set_viewport_size({"width": 375, "height": 800})
    for lang in ("ar", "en"):
        page.goto(f"{live_server}/claims/{claim_id}/history?lang={lang}")
        assert page.locator("table.history").evaluate(SPLIT_WORDS) == [], lang
        for where in (f"/claims/{claim_id}", "/"):
            page.goto(f"{live_server}{where}?lang={lang}")
            summary = page.get_by_text("kremlin.ru").first
            box = summary.bounding_box()
            width = page.evaluate("document.scrollingElement.clientWidth")
            assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, (where, lang, box)
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width, (where, lang)


def test_close_on_the_editor_s_own_page_leads_to_the_claim(
    page: Page, live_server: str, db: sessionmaker[Session]
) -> None:
    """/claims/N/edit is a page of its own (History's Edit, a new tab): Close there would leave
    a heading over nothing. It opens the claim, as its link does opened without htmx."""
    claim_id = a_verified_claim(db)
    sign_in(page, live_server, then=f"/claims/{claim_id}/edit")
    close = page.locator(f"#editor-{claim_id} a.close")
    href = close.get_attribute("href")
    close.click()
    page.wait_for_url(re.compile(f"/claims/{claim_id}-"))
    expect(page.locator("blockquote.claim-quote")).to_be_visible()
    page.goto(f"{live_server}{href}")
    expect(page.locator("blockquote.claim-quote")).to_be_visible()
    page.goto(f"{live_server}/claims/{claim_id}/edit/closed")  # an old link to the slot
    expect(page.locator("blockquote.claim-quote")).to_be_visible()
