"""The interface language: chosen by ?lang=, remembered in a cookie, complete in Arabic."""

import re
import subprocess
import sys
from enum import StrEnum
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.messages import N_
from app.models.editor import RejectReason
from app.models.vocab import ActorKind, ChangeSource, ClaimStatus, Precision, Role, Stance
from app.web import i18n
from app.web.i18n import choose_language
from app.web.templating import templates_in
from tests.editors import load_extracted, sign_in
from tests.web.test_editor import save

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "ar" / "LC_MESSAGES" / "messages.po"


def test_english_is_the_default(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/").text, "html.parser")
    assert (page.html["lang"], page.html["dir"]) == ("en", "ltr")
    switch = page.select_one("a.lang-switch")
    assert switch["hreflang"] == "ar" and switch["href"].endswith("lang=ar")


def test_lang_ar_switches_and_is_remembered(client: TestClient) -> None:
    response = client.get("/?lang=ar")
    assert "lang=ar" in response.headers["set-cookie"]
    page = BeautifulSoup(response.text, "html.parser")
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert "القواعد الروسية" in page.select_one(".tagline").text
    # The cookie (kept by the client) remembers the choice on the next page.
    again = BeautifulSoup(client.get("/").text, "html.parser")
    assert again.html["lang"] == "ar"
    assert client.get("/?lang=en").headers["set-cookie"].startswith("lang=en")


def test_language_choice_order() -> None:
    assert choose_language("lang=ar", "lang=en", "en") == ("ar", True)
    assert choose_language("", "lang=ar", "en") == ("ar", False)
    assert choose_language("lang=xx", "", "fr, ar;q=0.8") == ("ar", False)
    assert choose_language("", "bad cookie ;;; =", "") == ("en", False)


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "0 مصدر"), (1, "مصدر واحد"), (2, "مصدران"), (3, "3 مصادر"), (11, "11 مصدرًا"),
     (100, "100 مصدر"), (103, "103 مصادر")],
)  # fmt: skip
def test_arabic_counts_take_the_noun_form_their_number_asks_for(n: int, words: str) -> None:
    """Arabic has six plural forms: 11-99 take the accusative singular, 100-102 the genitive."""
    with i18n.in_language("ar"):
        assert i18n.ngettext("%(num)d source", "%(num)d sources", n) % {"num": n} == words


def test_the_arabic_catalogue_is_complete_and_current(tmp_path: Path) -> None:
    """Every string the code marks is in the .pot, and translated in Arabic."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract"]
        + ["-F", "translations/babel.cfg", "-k", "N_", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = read_po(f, locale="ar")
    have = {m.id: m.string for m in catalog if m.id}
    assert wanted - have.keys() == set(), "run `make translations` and translate the new strings"
    untranslated = [
        key
        for key, value in have.items()
        if not (all(value) if isinstance(value, tuple) else value)
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    ("names", "vocabulary"),
    [
        (i18n.STANCE_NAMES, Stance),
        (i18n.STATUS_NAMES, ClaimStatus),
        (i18n.PRECISION_NAMES, Precision),
        (i18n.KIND_NAMES, ActorKind),
        (i18n.ROLE_NAMES, Role),
        (i18n.SOURCE_NAMES, ChangeSource),
        (i18n.REASON_NAMES, RejectReason),
    ],
)
def test_every_stored_value_has_a_label(names: dict[str, str], vocabulary: type[StrEnum]) -> None:
    assert set(names) == {v.value for v in vocabulary}


LATIN_WORD = re.compile(r"[A-Za-z][a-z]+")
"""An English word left in an Arabic page's interface text (codes such as RU are data)."""


def english_left(page: BeautifulSoup, scope: str) -> list[str]:
    """Interface text under `scope` still in English. Names, roles, ids, code, side codes, the
    article's own text and the outlets and extractor versions to filter by are data."""
    root = page.select_one(scope)
    assert root is not None, scope
    data_selectors = "bdi, code, kbd, abbr.side, q, blockquote, .article-text, .summary, textarea"
    for data in root.select(f"{data_selectors}, select[name=outlet], select[name=extractor]"):
        data.decompose()
    words = [*root.stripped_strings]
    # An input set left-to-right holds a Latin value (an address, an English name): its example is data.
    labelled = [e for e in root.select("[aria-label], [placeholder]") if e.get("dir") != "ltr"]
    words += [str(e[a]) for e in labelled for a in ("aria-label", "placeholder") if e.get(a)]
    return [w for w in words if LATIN_WORD.search(w)]


def arabic_page(client: TestClient, path: str) -> BeautifulSoup:
    response = client.get(path, params={"lang": "ar"})
    assert response.status_code == 200, path
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["dir"] == "rtl"
    return page


def test_editors_pages_in_arabic(
    client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    claims = load_extracted(maker, tmp_path)
    csrf = sign_in(client, session, role=Role.ADMIN)[1]

    queue = arabic_page(client, "/review")
    assert queue.h1.text == "قائمة المراجعة"
    assert queue.select_one("#left").text.split() == ["بقيت", "3", "تصريحات", "مقترحة"]
    stances = queue.select("select[name=stance] option")[1:]
    assert [o["value"] for o in stances] == [s.value for s in Stance]
    assert "انسحاب" in [o.text for o in stances]
    assert "لا يتعلق بالقواعد" in [b.text for b in queue.select(".reasons button")]
    assert english_left(queue, "main") == []
    assert [a.text for a in queue.select("nav.account a")] == [
        "المراجعة",
        "كشف الأداء",
        "استيراد",
        "الحسابات",
    ]

    editor = arabic_page(client, f"/claims/{claims[0]}/edit")
    assert editor.h1.text == f"تحرير التصريح {claims[0]}"
    assert editor.select_one(".current").text.startswith("الآن:")
    stance = editor.select_one("select[name=stance]")
    assert [o.text for o in stance.select("option")] == [
        "بقاء",
        "انسحاب",
        "مشروط",
        "قيد التفاوض",
        "مراجعة",
        "غير واضح",
    ]
    assert [o.text for o in editor.select("select[name=stated_on_precision] option")] == [
        "يوم",
        "شهر",
        "سنة",
        "غير معروف",
    ]
    assert "الوجود العسكري الروسي عمومًا" in editor.select_one("form[data-fields=bases]").text
    assert english_left(editor, "main") == []

    history = arabic_page(client, f"/claims/{claims[0]}/history")
    assert history.h1.text == f"سجل التصريح {claims[0]}"
    assert [th.text for th in history.select("thead th")][:3] == ["النسخة", "متى", "مَن"]
    assert english_left(history, "main") == []

    rejected = {"version": "1", "fields": "status", "status": "rejected", "reason": "duplicate"}
    client.post(f"/claims/{claims[2]}/edit", data=rejected, headers={"X-CSRF-Token": csrf})
    changed = arabic_page(client, f"/claims/{claims[2]}/history").select("table.history tbody tr")[
        0
    ]
    assert changed.select_one(".change").text.split() == ["مستخرج", "آليًا", "←", "مرفوض"]
    card = arabic_page(client, "/review/quality")
    assert card.select_one("table[data-dimension=extractor] tbody td:last-child").text == "مكرر (1)"
    for path in ("/review/quality", "/import", "/users", "/actors/dmitry-peskov/edit"):
        assert english_left(arabic_page(client, path), "main") == [], path

    client.cookies.clear()
    login = arabic_page(client, "/login")
    assert login.h1.text == "تسجيل الدخول"
    assert [label.text for label in login.select("label")] == ["الاسم", "كلمة المرور"]
    assert english_left(login, "main") == []


def test_a_service_message_is_english_text_that_the_web_layer_translates() -> None:
    message = N_("keep it under %(limit)d characters", limit=120)
    assert message == "keep it under 120 characters"
    assert i18n.translate(message) == "keep it under 120 characters"
    with i18n.in_language("ar"):
        assert i18n.translate(message) == "يجب أن يقل عدد الأحرف عن 120"
        assert i18n.translate("keep it under 120 characters") == "keep it under 120 characters"


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("<bdi>%(who)s</bdi> changed <strong>%(field)s</strong>:", who=who, field="stance") }}',
        "{% trans %}<bdi>{{ who }}</bdi> changed <strong>{{ field }}</strong>:{% endtrans %}",
    ],
)
def test_a_translation_keeps_its_markup_and_escapes_what_it_is_given(source: str) -> None:
    """Templates' `_()` and `{% trans %}` (app.web.i18n installs their gettext; a message
    written in the template is translated as each language's templates are compiled): the
    message's own tags stay markup, a value put into it is escaped, in each language."""
    values = {"who": "<img src=x onerror=alert(1)>", "field": "stance"}
    escaped = "<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi>"
    english, arabic = (templates_in(language).env.from_string(source) for language in ("en", "ar"))
    assert english.render(values) == f"{escaped} changed <strong>stance</strong>:"
    with i18n.in_language("ar"):
        assert arabic.render(values) == f"غيّر {escaped} <strong>stance</strong>:"


def test_a_message_a_template_computes_is_translated_as_it_is_rendered() -> None:
    """`_()` of a value, not of a message written in the template, is looked up at each render."""
    template = templates_in("ar").env.from_string("{{ _(message, n=n) }}")
    with i18n.in_language("ar"):
        assert template.render(message="Version %(n)s (current).", n=3) == "النسخة 3 (الحالية)."


@pytest.mark.parametrize(
    ("fields", "english", "arabic"),
    [
        (
            {"stated_on": "12/02/2025", "stated_on_precision": "day"},
            "write the date as 2025-02-12, 2025-02 or 2025",
            "اكتب التاريخ بالصيغة \u20662025-02-12\u2069 أو \u20662025-02\u2069 أو \u20662025\u2069",
        ),
        ({"stance": "maybe"}, "choose one of stay, leave", "اختر واحدًا مما يلي: stay, leave"),
        (
            {"stated_on": "2025-02-30", "stated_on_precision": "day"},
            "2025-02-30 is not a day of the calendar",
            "التاريخ 2025-02-30 ليس يومًا في التقويم",
        ),
        (  # the precision named in the interface's words too
            {"stated_on": "", "stated_on_precision": "day"},
            "set the precision to unknown (not day)",
            "(لا يوم)",
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_editor_reads_why_a_value_was_refused_in_the_interface_language(
    client: TestClient,
    session: Session,
    maker: sessionmaker[Session],
    tmp_path: Path,
    fields: dict[str, str],
    english: str,
    arabic: str,
    language: str,
) -> None:
    claims = load_extracted(maker, tmp_path)
    csrf = sign_in(client, session)[1]
    client.cookies.set(i18n.COOKIE, language)
    response = save(client, claims[0], csrf, 1, **fields)
    assert response.status_code == 422
    field = next(iter(fields))
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#error-{claims[0]}-{field}")
    assert error is not None and (arabic if language == "ar" else english) in error.text


@pytest.mark.parametrize(
    ("language", "expired", "admins_only"),
    [
        ("en", "The form had expired", "Only administrators may do this."),
        ("ar", "انتهت صلاحية النموذج", "هذا متاح للمشرفين وحدهم."),
    ],
)
def test_refusals_speak_the_interface_language(
    client: TestClient, session: Session, language: str, expired: str, admins_only: str
) -> None:
    sign_in(client, session)
    client.cookies.set(i18n.COOKIE, language)
    no_token = client.post("/logout", data={})
    assert no_token.status_code == 403 and expired in no_token.text
    not_an_admin = BeautifulSoup(client.get("/users").text, "html.parser")
    assert not_an_admin.select_one("#refused p").text == admins_only
    if language == "ar":
        assert english_left(not_an_admin, "#refused") == []
        missing = BeautifulSoup(client.get("/claims/0/edit").text, "html.parser")
        assert missing.h1.text == "لا شيء هنا"
