"""Facet counts: each value's count is the number of claims its filter would select."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.ingest.batch import load_paths
from app.models import Claim, Tag
from app.queries import facets as facets_module
from app.queries.facets import facets
from app.queries.filters import Selection, conditions, resolve
from app.queries.timeline import last_change
from tests.factories import (
    BASE_DOC,
    TAG_COPIES_DIFFERING,
    article_doc,
    statements_sent,
    write_json,
)


def english_doc() -> dict[str, Any]:
    """Another article, in English, whose claims vary what the facets count: bases (none or
    one), a relayed claim, another stance."""
    doc = article_doc(
        key="test-en", language="en", text="Peskov said the bases stay. Tass said so."
    )
    text = doc["article"]["text"]
    claim = BASE_DOC["claims"][0]

    def said(quote: str, **fields: Any) -> dict[str, Any]:
        start = text.index(quote)
        return {**claim, "quote": quote, "start": start, "end": start + len(quote), **fields}

    doc["claims"] = [
        said("the bases stay", bases=[], tags=["talks"]),
        said(
            "Tass said so", bases=["tartus"], via=["TASS"], stance="leave", tags=["talks", "wire"]
        ),
        said("Peskov said", bases=["hmeimim"]),
    ]
    return doc


def load(maker: sessionmaker[Session], tmp_path: Path, *docs: dict[str, Any]) -> None:
    paths = [write_json(tmp_path / f"{n}.json", doc) for n, doc in enumerate(docs)]
    assert load_paths(maker, paths, max_bytes=10**7).refused == []


def selected(session: Session, **selection: Any) -> int:
    scope = resolve(session, Selection(**selection), editor=True)
    count = select(func.count()).select_from(Claim).where(*conditions(scope))
    return int(session.scalar(count) or 0)


def test_each_count_is_what_choosing_the_value_would_select(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    arabic = article_doc()
    arabic["claims"][0]["tags"] = ["talks"]
    load(maker, tmp_path, arabic, english_doc())
    counted = facets(session, resolve(session, Selection(), editor=True), editor=True)
    seen = 0
    for name, values in counted.items():
        assert values, name
        for value in values:
            assert value.count == selected(session, **{name: value.value}), (name, value)
            seen += 1
    assert {v.value: v.count for v in counted["base"] or []} == {
        "hmeimim": 4, "tartus": 4, "general": 1,
    }  # fmt: skip
    assert {v.value: v.count for v in counted["firsthand"] or []} == {"1": 5, "0": 1}
    assert {v.value: v.count for v in counted["language"] or []} == {"ar": 3, "en": 3}
    # A claim counts under each of its tags, once: never in the other facets once per tag.
    assert {v.value: v.count for v in counted["tag"] or []} == {"talks": 3, "wire": 1}
    assert seen == 17  # every value of every facet was checked


def test_the_claims_are_read_once_for_every_facet_the_selection_does_not_filter_on(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Tags included: a claim's several tags are counted as its set of them, in the scan that
    counts the other facets, not in a second statement that reads the claims again."""
    load(maker, tmp_path, article_doc(), english_doc())
    scope = resolve(session, Selection(stance=["stay"]), editor=False)
    with statements_sent(session) as sent:
        counted = facets(session, scope, editor=False)
    assert {v.value: v.count for v in counted["tag"] or []} == {"talks": 1}
    reading_claims = [s for s in sent if "FROM claims" in s and not s.startswith("EXPLAIN")]
    assert len(reading_claims) == 2  # the other facets together, then the stances alone


@pytest.mark.parametrize("changed", ["en", "ru"])
def test_a_claim_keeps_its_article_s_language(
    maker: sessionmaker[Session], session: Session, tmp_path: Path, changed: str
) -> None:
    load(maker, tmp_path, article_doc())
    languages = select(Claim.language).distinct()
    assert session.scalars(languages).all() == ["ar"]
    load(maker, tmp_path, article_doc(language=changed))  # the article's file, corrected
    session.expire_all()
    assert session.scalars(languages).all() == [changed]
    counted = facets(session, resolve(session, Selection(), editor=True), editor=True)
    assert [(v.value, v.count) for v in counted["language"] or []] == [(changed, 3)]


@pytest.mark.parametrize(
    ("selection", "abu_qasra"),
    [({}, 1), ({"side": ["RU"]}, 0)],
    ids=["beyond the top", "nothing in the rest of the selection"],
)
def test_a_chosen_speaker_is_offered_by_name_beyond_the_top(
    maker: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    selection: dict[str, Any],
    abu_qasra: int,
) -> None:
    """Only the top speaker is offered (Peskov, 2 claims); Abu Qasra, chosen, is added after
    him with his names and his count among the other filters' claims."""
    load(maker, tmp_path, article_doc())
    monkeypatch.setattr(facets_module, "TOP_SPEAKERS", 1)
    chosen = Selection(speaker=["murhaf-abu-qasra"], **selection)
    counted = facets(session, resolve(session, chosen, editor=False), editor=False)
    assert [(v.value, v.count, v.name_en) for v in counted["speaker"] or []] == [
        ("dmitry-peskov", 2, "Dmitry Peskov"),
        ("murhaf-abu-qasra", abu_qasra, "Murhaf Abu Qasra"),
    ]


def test_a_chosen_tag_is_offered_beyond_the_most_used(
    maker: sessionmaker[Session], session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the most used tag is offered (talks, 2 claims); wire, chosen, follows it with its
    count among the other filters' claims, so that the page shows it checked."""
    load(maker, tmp_path, english_doc())
    monkeypatch.setattr(facets_module, "TOP_TAGS", 1)
    chosen = Selection(tag=["wire"], stance=["leave"])
    counted = facets(session, resolve(session, chosen, editor=False), editor=False)
    assert [(v.value, v.count) for v in counted["tag"] or []] == [("talks", 1), ("wire", 1)]


def test_a_claim_s_tag_ids_follow_its_tags_whatever_writes_them(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """The tag facet counts the claims' copy of their tags (`Claim.tag_ids`): the triggers on
    claim_tags keep it, for the loader's rows, an editor's change and a tag deleted."""
    load(maker, tmp_path, english_doc())

    def tag_counts() -> dict[str, int]:
        counted = facets(session, resolve(session, Selection(), editor=True), editor=True)
        return {v.value: v.count or 0 for v in counted["tag"] or []}

    def copies_differ() -> int:
        return int(session.scalar(text(TAG_COPIES_DIFFERING)))

    assert tag_counts() == {"talks": 2, "wire": 1} and copies_differ() == 0
    untagged = session.scalars(
        select(Claim).where(Claim.tag_ids == []).options(selectinload(Claim.tags))
    ).one()
    tags = {tag.name: tag for tag in session.scalars(select(Tag))}
    untagged.tags = [tags["wire"], tags["talks"]]
    session.flush()
    assert tag_counts() == {"talks": 3, "wire": 2} and copies_differ() == 0
    assert session.scalar(select(Claim.tag_ids).where(Claim.id == untagged.id)) == sorted(
        t.id for t in tags.values()
    )
    session.delete(tags["talks"])  # its claim_tags rows go with it (ON DELETE CASCADE)
    session.flush()
    assert tag_counts() == {"wire": 2} and copies_differ() == 0


def test_the_counts_are_kept_through_other_databases_transactions(
    pg_admin_url: str, fresh_database_url: str
) -> None:
    """The counts are kept while the same transactions are pending: this database's, even one
    given its id after the last to end (the snapshot does not list it), and not another
    database's on the same server (another test's, in CI)."""
    here, elsewhere = create_engine(fresh_database_url), create_engine(pg_admin_url)

    def pending() -> str:
        with Session(here) as reading:
            return last_change(reading).pending

    assign_xid = text("SELECT pg_current_xact_id()")
    with elsewhere.connect() as other, here.connect() as own:
        other.execute(assign_xid)
        assert pending() == ""
        mine = own.execute(assign_xid).scalar_one()
        assert pending() == str(mine)
    here.dispose()
    elsewhere.dispose()


def test_a_write_that_began_before_another_s_save_still_moves_the_counts_key(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """A transaction that began before an editor's save, and wrote only after the counts were
    kept, was dated at its start (`now()`), before the save: once it committed, the counts' key
    was the one they had been kept under, and they were served without its change. So for a
    claim the app corrects and for claims the loader adds (by COPY): both are dated by the clock.
    """
    engine = create_engine(fresh_database_url)
    maker = sessionmaker(engine)
    load_paths(maker, [write_json(tmp_path / "a.json", article_doc())], max_bytes=10**7)

    def key() -> tuple[Any, str]:
        with Session(engine) as reading:
            return tuple(last_change(reading))

    def save_then_key() -> tuple[Any, str]:
        """Another editor's save, committed; then the key the counts are kept under."""
        with maker.begin() as editor:
            editor.scalars(select(Claim).order_by(Claim.id)).first().summary_en = f"{key()}"
        return key()

    with maker() as late:
        # Another claim than the editor's; its transaction begins here, and now() with it.
        claim = late.scalars(select(Claim).order_by(Claim.id.desc())).first()
        kept = save_then_key()
        claim.stance = "leave"
        late.commit()
    assert key() != kept

    # Once the loader's transaction has begun (its first statement), another editor saves.
    loaded_after: list[tuple[Any, str]] = []
    event.listen(
        engine, "after_cursor_execute", lambda *_: loaded_after.append(save_then_key()), once=True
    )
    second = article_doc(key="test-second", url="https://example.org/news/2")
    load_paths(maker, [write_json(tmp_path / "b.json", second)], max_bytes=10**7)
    assert loaded_after and key() != loaded_after[0]
    engine.dispose()
