import codecs
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.ingest.batch import BatchReport, load_paths
from app.ingest.export import articles_to_export, export_article, export_registry
from app.ingest.load import Outcome
from app.models import Actor, ActorAlias, ActorRedirect, Article, Claim, Revision, Tag
from app.models.vocab import ChangeSource
from app.services.actors import edit_actor, merge_actors
from app.services.claim_edits import apply_edit
from tests.editors import make_user
from tests.factories import article_doc, write_json

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 10_000_000


def load(maker: sessionmaker[Session], *paths: Path) -> BatchReport:
    return load_paths(maker, list(paths), max_bytes=LIMIT)


def counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Article, Claim, Actor, Revision)
    }


class TestFirstLoad:
    def test_adds_the_article_and_its_claims(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        report = load(maker, write_json(tmp_path / "a.json", article_doc()))
        assert report.refused == []
        assert report.articles[Outcome.ADDED] == 1 and report.claims_added == 3
        claims = session.scalars(select(Claim).order_by(Claim.span_start)).all()
        assert [c.stance for c in claims] == ["stay", "stay", "conditional"]
        assert claims[1].direct and claims[1].quote == "لا نخطط لسحب قواتنا"

    def test_records_each_creation_in_the_history(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load(maker, write_json(tmp_path / "a.json", article_doc()))
        revisions = session.scalars(select(Revision)).all()
        assert len(revisions) == 3
        assert {r.source for r in revisions} == {ChangeSource.LOADER}
        assert all(r.new_value["quote"] for r in revisions)

    def test_unknown_speaker_becomes_an_actor_to_review(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load(maker, write_json(tmp_path / "a.json", article_doc()))
        actors = session.scalars(select(Actor).order_by(Actor.slug)).all()
        assert [(a.slug, a.needs_review) for a in actors] == [
            ("dmitry-peskov", True),
            ("murhaf-abu-qasra", True),
        ]

    def test_spelling_variants_resolve_to_one_actor(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        doc = article_doc()
        # Hamza, alef and diacritics differ, and the English name is missing a letter:
        # the Arabic name still finds the actor the first claim created.
        doc["claims"][1]["speaker"] |= {"name": "ديمِتري بيسكوف", "name_en": "Dmitri Peskov"}
        load(maker, write_json(tmp_path / "a.json", doc))
        assert session.scalar(select(func.count()).select_from(Actor)) == 2


class TestReload:
    def test_the_same_file_changes_nothing(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        path = write_json(tmp_path / "a.json", article_doc())
        load(maker, path)
        before = counts(session)
        report = load(maker, path)
        assert report.articles[Outcome.UNCHANGED] == 1
        assert report.claims_added == report.claims_updated == 0
        assert counts(session) == before

    def test_an_actor_editors_merged_away_stays_merged_when_its_registry_is_reloaded(
        self, maker: sessionmaker[Session], session: Session
    ) -> None:
        """Compose and `make run` load seeds/actors.json at every start: a registry actor that
        editors merged into another must not come back from it as an empty actor, which took
        its old address (a 200 with no statement instead of the redirect) and shared its names
        with the actor it became, so that the backup refused the registry whole."""
        registry = ROOT / "seeds" / "actors.json"
        load(maker, registry)
        source, target = (
            session.scalars(select(Actor).where(Actor.slug == slug)).one()
            for slug in ("murhaf-abu-qasra", "dmitry-peskov")
        )
        merge_actors(session, source, target, editor=make_user(session))
        session.commit()
        before = counts(session)
        report = load(maker, registry)
        assert report.refused == [] and report.actors_added == 0
        assert counts(session) == before
        assert session.get_one(ActorRedirect, "murhaf-abu-qasra").actor_id == target.id
        assert export_registry(session).actors

    def test_a_registry_that_gives_an_actor_a_new_slug_renames_it(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """An entry whose `former_slugs` holds a stored actor's address is that actor with a new
        address, as in a backup: it keeps its id, and the old address leads to the new. It used
        to become a second actor with the same names, the old one left at the old address (so
        the redirect never answered) and the backup refusing the registry whole."""
        load(maker, write_json(tmp_path / "a.json", article_doc()))
        peskov = session.scalars(select(Actor).where(Actor.slug == "dmitry-peskov")).one()
        before = counts(session)
        entry = {"slug": "dmitri-peskov", "name_en": "Dmitry Peskov", "name_ar": peskov.name_ar}
        renamed = _registry(entry | {"former_slugs": ["dmitry-peskov"]})
        report = load(maker, write_json(tmp_path / "actors.json", renamed))
        assert report.refused == [] and (report.actors_added, report.actors_updated) == (0, 1)
        assert counts(session) == before
        session.expire_all()
        assert peskov.slug == "dmitri-peskov"
        assert session.get_one(ActorRedirect, "dmitry-peskov").actor_id == peskov.id
        assert export_registry(session).actors

    def test_an_actor_an_editor_changed_keeps_the_editor_s_version_when_its_registry_is_reloaded(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Compose and `make run` load seeds/actors.json at every start, which put back the
        registry's role, names and the aliases an editor had removed. The editor's version
        stands, the load says so, and a backup carries it over the seeds too."""
        registry = ROOT / "seeds" / "actors.json"
        load(maker, registry)
        putin = session.scalars(
            select(Actor).where(Actor.slug == "vladimir-putin").options(selectinload(Actor.aliases))
        ).one()
        registry_aliases = len(putin.aliases)
        form = {"name_ar": putin.name_ar, "name_en": putin.name_en, "name_ru": putin.name_ru or ""}
        form |= {"role": "President of the Russian Federation", "kind": "person"}
        edit_actor(session, putin, form, aliases=[], seen=putin.updated_at.isoformat())
        session.commit()
        edited = export_registry(session)

        def putin_now() -> tuple[str | None, int]:
            session.expire_all()
            aliases = session.scalar(select(func.count()).where(ActorAlias.actor_id == putin.id))
            return session.get_one(Actor, putin.id).role, aliases or 0

        before = putin_now()
        report = load(maker, registry)
        assert (report.actors_added, report.actors_updated) == (0, 0)
        assert report.conflicts == ["actor vladimir-putin"]
        assert putin_now() == before and before[0] == "President of the Russian Federation"
        assert before[1] < registry_aliases

        # A backup's registry marks the actor as an editor's, as in the archive it came from.
        session.execute(update(Actor).values(edited=False))
        session.commit()
        load(maker, write_json(tmp_path / "actors.json", edited.model_dump(mode="json")))
        load(maker, registry)
        assert putin_now() == before

    def test_claims_listed_in_another_order_change_nothing(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Two speakers on the same words: paired by span alone, the file's first took the
        first stored claim, so a file sorted differently gave each claim the other's speaker
        (a new version of both, and Peskov's permanent address showing Abu Qasra's words)."""
        doc = article_doc()
        other = copy.deepcopy(doc["claims"][0])
        other |= {"speaker": doc["claims"][2]["speaker"], "stance": "unclear"}
        doc["claims"].insert(1, other)
        load(maker, write_json(tmp_path / "a.json", doc))
        before = {c.id: (c.speaker_name, c.stance) for c in session.scalars(select(Claim))}
        doc["claims"].reverse()
        report = load(maker, write_json(tmp_path / "a.json", doc))
        assert report.claims_updated == 0 and report.articles[Outcome.UNCHANGED] == 1
        session.expire_all()
        assert {c.id: (c.speaker_name, c.stance) for c in session.scalars(select(Claim))} == before
        assert session.scalar(select(func.max(Claim.version))) == 1

    def test_a_tag_is_its_words_without_the_spaces_around_them(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """As in the editor's tag box: " talks " is the tag talks, once, and loading the same
        file again changes nothing."""
        doc = article_doc()
        doc["claims"][0]["tags"] = [" talks ", "talks", "Tartus port"]
        path = write_json(tmp_path / "a.json", doc)
        load(maker, path)
        assert sorted(session.scalars(select(Tag.name))) == ["Tartus port", "talks"]
        report = load(maker, path)
        assert report.claims_added == report.claims_updated == 0

    def test_a_changed_file_updates_in_place_and_leaves_a_revision(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        doc = article_doc()
        load(maker, write_json(tmp_path / "a.json", doc))
        first = session.scalars(select(Claim).order_by(Claim.span_start)).first()
        assert first is not None
        doc["claims"][0]["stance"] = "negotiating"
        doc["article"]["title"] = "عنوان جديد"
        report = load(maker, write_json(tmp_path / "a.json", doc))
        assert report.articles[Outcome.UPDATED] == 1 and report.claims_updated == 1
        session.expire_all()
        again = session.get_one(Claim, first.id)
        assert (again.stance, again.version) == ("negotiating", 2)
        revision = session.scalars(
            select(Revision).where(Revision.claim_id == first.id, Revision.field == "stance")
        ).one()
        assert (revision.old_value, revision.new_value, revision.source) == (
            "stay",
            "negotiating",
            ChangeSource.LOADER,
        )
        assert revision.version == 2

    def test_a_claim_gone_from_the_file_is_rejected_not_deleted(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        doc = article_doc()
        load(maker, write_json(tmp_path / "a.json", doc))
        gone = doc["claims"].pop()
        report = load(maker, write_json(tmp_path / "a.json", doc))
        assert report.claims_retired == 1
        claim = session.scalars(select(Claim).where(Claim.quote == gone["quote"])).one()
        session.refresh(claim)
        assert claim.status == "rejected"

    def test_an_editors_change_survives_a_reload(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        doc = article_doc()
        load(maker, write_json(tmp_path / "a.json", doc))
        claim_id = _editor_reviews_first_claim(maker)
        doc["claims"][0]["stance"] = "leave"
        for _ in range(2):  # said on every load while the file and the editor disagree
            report = load(maker, write_json(tmp_path / "a.json", doc))
            assert len(report.conflicts) == 1 and f"claim {claim_id}" in report.conflicts[0]
        session.expire_all()
        assert session.get_one(Claim, claim_id).stance == "review"


class TestExport:
    def test_load_export_load_changes_nothing(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        original = article_doc()
        load(maker, write_json(tmp_path / "a.json", original))
        before = counts(session)
        [article] = articles_to_export(session)
        exported = json.loads(export_article(session, article).model_dump_json())
        report = load(maker, write_json(tmp_path / "b.json", exported))
        assert report.refused == [] and report.articles[Outcome.UNCHANGED] == 1
        assert counts(session) == before
        assert exported["article"] == original["article"]
        assert [c["quote"] for c in exported["claims"]] == [c["quote"] for c in original["claims"]]


def _broken(mutate: Any) -> dict[str, Any]:
    doc = article_doc()
    mutate(doc)
    return doc


def _raw(text: str) -> bytes:
    return text.encode()


BAD_FILES: list[tuple[str, bytes | dict[str, Any], str]] = [
    ("not-json", _raw("{not json"), "not JSON: Expecting property name"),
    ("a-list", _raw("[]"), "expected a JSON object"),
    (
        "wrong-format",
        _broken(lambda d: d.update(format="annotated-article/9")),
        "format: 'annotated-article/9' is not 'annotated-article/1' or 'actor-registry/1'",
    ),
    (
        "missing-field",
        _broken(lambda d: d["claims"][1].pop("stance")),
        "claims[1].stance: is missing",
    ),
    (
        "offsets-outside",
        _broken(lambda d: d["claims"][0].update(end=10_000)),
        "claims[0].end: 10000 is past the end of the text",
    ),
    (
        "quote-mismatch",
        _broken(lambda d: d["claims"][2].update(quote="شيء آخر تماما")),
        "claims[2].quote: does not equal text[",
    ),
    (
        "impossible-date",
        _broken(lambda d: d["claims"][0].update(stated_on="2025-02-30")),
        "claims[0].stated_on: '2025-02-30' is not a valid date",
    ),
    (
        "date-in-the-future",
        _broken(lambda d: d["claims"][0].update(stated_on="2999-02-06")),
        "claims[0].stated_on: 2999-02-06 is in the future",
    ),
    (
        "date-before-1900",
        _broken(lambda d: d["article"].update(published_on="0001-01-01")),
        "article.published_on: 0001-01-01 is before 1900: check the year",
    ),
    (
        "repeated-key",
        _raw('{"format": "annotated-article/1", "article": {}, "claims": [], "claims": []}'),
        "the key 'claims' appears twice in one object",
    ),
    (
        "yes-for-true",
        _broken(lambda d: d["claims"][0].update(direct="yes")),
        "claims[0].direct: Input should be a valid boolean",
    ),
    (
        "offset-as-text",
        _broken(lambda d: d["claims"][0].update(start=str(d["claims"][0]["start"]))),
        "claims[0].start: Input should be a valid integer",
    ),
    (
        "date-as-seconds",
        _broken(lambda d: d["claims"][0].update(stated_on=1738800000)),
        "claims[0].stated_on: a date is written YYYY-MM-DD, not 1738800000",
    ),
    (
        "stated-after-published",
        _broken(lambda d: d["claims"][0].update(stated_on="2025-02-20")),
        "claims[0].stated_on: 2025-02-20 is after the article was published (2025-02-07)",
    ),
    (
        "unknown-side",
        _broken(lambda d: d["claims"][0]["speaker"].update(affiliation="XX")),
        "claims[0].speaker.affiliation: 'XX' is not a country code (ISO 3166), UN or EU",
    ),
    (
        "date-with-a-time",
        _broken(lambda d: d["claims"][0].update(stated_on="2025-02-06T00:00:00Z")),
        "claims[0].stated_on: a date is written YYYY-MM-DD, not '2025-02-06T00:00:00Z'",
    ),
    (
        "blank-speaker",
        _broken(lambda d: d["claims"][0]["speaker"].update(name="   ")),
        "claims[0].speaker.name: is blank",
    ),
    (
        "claim-twice",
        _broken(lambda d: d["claims"].append(d["claims"][0])),
        "claims[3]: the same words by the same speaker as claims[0]",
    ),
    (
        "unknown-stance",
        _broken(lambda d: d["claims"][0].update(stance="maybe")),
        "claims[0].stance: 'maybe' is not one of stay, leave, conditional, negotiating, review, unclear",
    ),
    (
        "unknown-base",
        _broken(lambda d: d["claims"][0].update(bases=["moscow"])),
        "claims[0].bases[0]: 'moscow' is not one of hmeimim, tartus",
    ),
    (
        "tag-too-long",  # the tags' unique index could not hold it (a btree row is ≤ 2,704 bytes)
        _broken(lambda d: d["claims"][2].update(tags=["ق" * 3000])),
        "claims[2].tags[0]: is 3,000 characters long: at most 200",
    ),
    (
        "month-not-first",
        _broken(lambda d: d["claims"][0].update(stated_on_precision="month")),
        "claims[0]: a month is written as its first day (2025-02-01)",
    ),
    (
        "unknown-field",
        _broken(lambda d: d["article"].update(colour="red")),
        "article.colour: Extra inputs are not permitted",
    ),
    (
        "javascript-url",
        _broken(lambda d: d["article"].update(url="javascript:alert(1)")),
        "article.url: 'javascript:alert(1)' is not a web address that starts with http://",
    ),
    (
        "invalid-utf8",
        b'{"format": "annotated-article/1", "x": "\xff\xfe"}',
        "not valid UTF-8: byte 40, line 1",
    ),
    (  # the byte counted in the file, byte-order mark and all
        "invalid-utf8-after-a-bom",
        codecs.BOM_UTF8 + b'{"format": "annotated-article/1",\n "x": "\xff\xfe"}',
        "not valid UTF-8: byte 44, line 2",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_named_and_stores_nothing(
    maker: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    name: str,
    content: bytes | dict[str, Any],
    message: str,
) -> None:
    path = tmp_path / f"{name}.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        write_json(path, content)
    good = write_json(tmp_path / "good.json", article_doc(key="good-article"))
    report = load(maker, path, good)
    assert len(report.refused) == 1
    assert report.refused[0].startswith(f"{path}: {message}")
    assert session.scalars(select(Article.key)).all() == ["good-article"]


def test_a_file_that_begins_with_a_byte_order_mark_loads(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """UTF-8 as some Windows editors save it: the mark is no part of the JSON (`extract` and the
    import form take it off an article's text); `load` refused the file as not JSON."""
    path = tmp_path / "a.json"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps(article_doc(), ensure_ascii=False).encode())
    report = load(maker, path)
    assert report.refused == [] and report.articles[Outcome.ADDED] == 1
    assert session.scalars(select(Article.text)).one() == article_doc()["article"]["text"]


def test_a_file_over_the_size_limit_is_refused_unread(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    doc = article_doc()
    doc["article"]["text"] += " " + "نص " * 17_000_000  # about 50 MB
    path = write_json(tmp_path / "huge.json", doc)
    report = load(maker, path)
    assert len(report.refused) == 1
    assert "bytes, over the 10,000,000-byte limit" in report.refused[0]
    assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_the_same_key_twice_in_one_batch_loads_neither(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    a = write_json(tmp_path / "a.json", article_doc())
    b = write_json(tmp_path / "b.json", article_doc(title="another title"))
    report = load(maker, a, b)
    assert report.refused == [
        f"{p}: article.key: 'test-2025-02-07-peskov' is in 2 files of this batch ({a}, {b})"
        for p in (a, b)
    ]
    assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_the_database_refuses_text_that_breaks_an_editors_claim(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An editor's claim is not in the file, so the loader cannot move it: the database's span
    check (run at commit) refuses the new text, and nothing of the file is stored. The file
    loaded beside it, in the same transaction until the commit failed, is stored."""
    engine = create_engine(fresh_database_url)
    real_maker = sessionmaker(engine, expire_on_commit=False)
    doc = article_doc()
    load(real_maker, write_json(tmp_path / "a.json", doc))
    with real_maker.begin() as s:
        first = s.scalars(select(Claim).order_by(Claim.span_start)).first()
        assert first is not None
        s.add(
            Claim(
                article_id=first.article_id,
                speaker_id=first.speaker_id,
                speaker_name="x",
                quote=first.quote,
                span_start=first.span_start,
                span_end=first.span_end,
                direct=False,
                stated_on_precision="unknown",
                stance="stay",
                origin=ChangeSource.EDITOR,
            )
        )
    doc["article"]["text"] = "نص جديد تماما " + doc["article"]["text"]
    for claim in doc["claims"]:
        claim["start"] += 14
        claim["end"] += 14
    beside = write_json(tmp_path / "b.json", article_doc(key="beside"))
    report = load(real_maker, write_json(tmp_path / "a.json", doc), beside)
    assert len(report.refused) == 1
    assert (
        "the database refused it: article test-2025-02-07-peskov: new text no longer holds"
        in report.refused[0]
    )
    assert report.articles[Outcome.ADDED] == 1 and report.claims_added == 3
    with real_maker() as s:
        texts = dict(s.execute(select(Article.key, Article.text)).all())
        unchanged = article_doc()["article"]["text"]
        assert texts == {"test-2025-02-07-peskov": unchanged, "beside": unchanged}
        assert s.scalar(select(func.max(Claim.version))) == 1
    engine.dispose()


def test_a_claim_gone_from_a_file_whose_text_moved_follows_its_words(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """A lede added above the claims, and a claim dropped: the dropped claim kept its old
    offsets, which no longer slice its quote, so the database's span check refused the whole
    file at commit; and so for any later change of the text above a claim retired before."""
    engine = create_engine(fresh_database_url)
    real_maker = sessionmaker(engine, expire_on_commit=False)
    doc = article_doc()
    load(real_maker, write_json(tmp_path / "a.json", doc))
    gone = doc["claims"].pop()
    for lede in ("مقدمة. ", "عنوان. "):
        doc["article"]["text"] = lede + doc["article"]["text"]
        for claim in doc["claims"]:
            claim["start"] += len(lede)
            claim["end"] += len(lede)
        report = load(real_maker, write_json(tmp_path / "a.json", doc))
        assert report.refused == []
        with real_maker() as s:
            claim = s.scalars(select(Claim).where(Claim.quote == gone["quote"])).one()
        assert doc["article"]["text"][claim.span_start : claim.span_end] == gone["quote"]
        assert claim.status == "rejected"
    assert (report.claims_retired, report.claims_updated) == (0, 3)  # moved, retired before
    engine.dispose()


def test_an_editors_claim_follows_its_words_when_the_outlet_corrects_the_text(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An editor corrected a claim (any editor's revision, an approval too, keeps the file from
    overwriting it); then the outlet added a line above it. The claim kept its old offsets,
    which no longer slice its quote, so the database refused the corrected article whole. Its
    span now follows its words; the editor's values stay, and the disagreement is still said."""
    engine = create_engine(fresh_database_url)
    real_maker = sessionmaker(engine, expire_on_commit=False)
    doc = article_doc()
    load(real_maker, write_json(tmp_path / "a.json", doc))
    claim_id = _editor_reviews_first_claim(real_maker)
    lede = "تصحيح: عُدّل هذا الخبر بعد نشره. "
    doc["article"]["text"] = lede + doc["article"]["text"]
    for moved in doc["claims"]:
        moved["start"] += len(lede)
        moved["end"] += len(lede)
    report = load(real_maker, write_json(tmp_path / "a.json", doc))
    assert report.refused == []
    assert report.conflicts == [f"{doc['article']['key']}: claim {claim_id} (stance)"]
    with real_maker() as s:
        kept = s.get_one(Claim, claim_id)
        assert doc["article"]["text"][kept.span_start : kept.span_end] == kept.quote
        assert kept.stance == "review"
    engine.dispose()


def test_a_file_the_search_index_cannot_hold_is_refused_and_the_rest_loads(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """PostgreSQL refuses a summary of 200,000 distinct words (a search vector is at most 1 MB)
    inside the claims' COPY, which psycopg raises itself: that file is named and refused, and
    the file beside it loads."""
    engine = create_engine(fresh_database_url)
    real_maker = sessionmaker(engine, expire_on_commit=False)
    doc = article_doc(key="too-many-words")
    doc["claims"][0]["summary_en"] = " ".join(f"w{n}" for n in range(200_000))
    huge = write_json(tmp_path / "huge.json", doc)
    beside = write_json(tmp_path / "beside.json", article_doc(key="beside"))
    report = load(real_maker, huge, beside)
    assert len(report.refused) == 1
    assert report.refused[0].startswith(f"{huge}: the database refused it: string is too long")
    with real_maker() as s:
        assert s.scalars(select(Article.key)).all() == ["beside"]
    engine.dispose()


def _registry(*actors: dict[str, Any]) -> dict[str, Any]:
    person = {"kind": "person", "name_ar": "اسم", "name_en": "Name"}
    return {"format": "actor-registry/1", "actors": [person | actor for actor in actors]}


@pytest.mark.parametrize(
    ("registry", "message"),
    [
        (
            _registry(
                {"slug": "dmitry-peskov", "name_en": "Dmitry Peskov", "aliases": ["بيسكوف"]},
                {"slug": "fake-peskov", "name_en": "Fake Peskov", "aliases": ["بيسْكوف"]},
            ),
            "actors[1].aliases[0]: 'بيسْكوف' already names 'dmitry-peskov'",
        ),
        (
            _registry(
                {"slug": "dmitry-peskov", "name_en": "Dmitry Peskov"},
                {"slug": "vladimir-putin", "name_en": "Putin", "former_slugs": ["dmitry-peskov"]},
            ),
            "actors[1].former_slugs: 'dmitry-peskov' is an actor of this registry",
        ),
    ],
    ids=["shared-alias", "former-slug-alive"],
)
def test_a_registry_that_contradicts_itself_is_refused(
    maker: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    registry: dict[str, Any],
    message: str,
) -> None:
    path = write_json(tmp_path / "actors.json", registry)
    report = load(maker, path)
    assert report.refused == [f"{path}: {message}"]
    assert session.scalar(select(func.count()).select_from(Actor)) == 0


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            _registry({"slug": "dmitry-peskov", "name_ar": "بيسكوف", "name_en": "Dmitry Peskov"}),
            _registry({"slug": "fake-peskov", "name_en": "Fake", "aliases": ["بيسْكوف"]}),
            "actors[0].aliases[0]: 'بيسْكوف' already names 'dmitry-peskov'",
        ),
        (
            _registry({"slug": "a-peskov", "name_en": "A", "aliases": ["بيسكوف"]}),
            _registry({"slug": "dmitry-peskov", "name_ar": "بيسْكوف", "name_en": "Dmitry Peskov"}),
            "actors[0].name_ar: 'بيسْكوف' already names 'a-peskov'",
        ),
        (  # the speaker an article made, not yet in any registry
            article_doc(),
            _registry({"slug": "peskov", "name_en": "Peskov", "aliases": ["Dmitry Peskov"]}),
            "actors[0].aliases[0]: 'Dmitry Peskov' already names 'dmitry-peskov'",
        ),
    ],
    ids=["alias-is-a-stored-name", "name-is-a-stored-alias", "alias-is-a-speakers-name"],
)
def test_a_registry_that_contradicts_the_stored_actors_is_refused(
    maker: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    first: dict[str, Any],
    second: dict[str, Any],
    message: str,
) -> None:
    """Each file keeps the rule on its own; stored together, they broke it, and the registry
    could not be exported again: `basewatch export --all` ended in a traceback."""
    assert load(maker, write_json(tmp_path / "first.json", first)).refused == []
    before = json.loads(export_registry(session).model_dump_json())
    path = write_json(tmp_path / "second.json", second)
    assert load(maker, path).refused == [f"{path}: {message}"]
    assert json.loads(export_registry(session).model_dump_json()) == before


def test_a_former_address_that_is_another_stored_actor_is_refused(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Both an actor and a redirect: the registry could not be exported again. (An entry whose
    own slug is new renames the actor at its former address instead.)"""
    two = _registry({"slug": "a-one"}, {"slug": "a-two", "name_ar": "آخر", "name_en": "Other"})
    assert load(maker, write_json(tmp_path / "first.json", two)).refused == []
    second = _registry(
        {"slug": "a-two", "name_ar": "آخر", "name_en": "Other", "former_slugs": ["a-one"]}
    )
    path = write_json(tmp_path / "second.json", second)
    report = load(maker, path)
    assert report.refused == [f"{path}: actors[0].former_slugs: 'a-one' is an actor of the archive"]
    assert session.scalars(select(Actor.slug).order_by(Actor.slug)).all() == ["a-one", "a-two"]


def test_a_speaker_whose_two_names_are_two_actors_is_refused(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Peskov's Arabic name with Abu Qasra's English one: which of the two said it is not for
    the loader to guess (it used to take the actor with the lower id)."""
    load(maker, write_json(tmp_path / "first.json", article_doc()))
    doc = article_doc(key="mixed")
    doc["claims"][0]["speaker"] |= {"name": "ديمتري بيسكوف", "name_en": "Murhaf Abu Qasra"}
    path = write_json(tmp_path / "mixed.json", doc)
    report = load(maker, path)
    assert report.refused == [
        f"{path}: the speaker 'ديمتري بيسكوف' is dmitry-peskov, but its English name"
        " 'Murhaf Abu Qasra' is murhaf-abu-qasra: give both names of one speaker"
    ]
    assert session.scalars(select(Article.key)).all() == ["test-2025-02-07-peskov"]


def _editor_reviews_first_claim(maker: sessionmaker[Session]) -> int:
    """An editor sets the article's first claim's stance from stay to review, with the revision
    the claim editor writes: such a claim is the editor's, which a reload must not overwrite."""
    with maker.begin() as s:
        claim = s.scalars(select(Claim).order_by(Claim.span_start)).first()
        assert claim is not None
        claim.stance = "review"
        s.flush()
        s.add(
            Revision(
                claim_id=claim.id,
                version=claim.version,
                source=ChangeSource.EDITOR,
                field="stance",
                old_value="stay",
                new_value="review",
            )
        )
        return claim.id


def test_an_editors_claim_with_another_span_and_speaker_survives_a_reload(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An editor trimmed a claim's quote and gave it to another speaker; the file still says
    what the extractor proposed. The reload matched the claim by neither span nor speaker, so it
    withdrew the editor's claim and stored the file's again as a new one: the editor's work
    undone and the statement counted twice. It is the same claim, on the same words."""
    engine = create_engine(fresh_database_url)
    maker = sessionmaker(engine, expire_on_commit=False)
    path = write_json(tmp_path / "a.json", article_doc())
    load(maker, path)
    with maker() as session:
        editor = make_user(session)
        claim = session.scalars(select(Claim).order_by(Claim.span_start)).first()
        assert claim is not None
        trimmed = {"start": claim.span_start, "end": claim.span_end - len(" وطرطوس")}
        edit = trimmed | {"speaker": "murhaf-abu-qasra"}
        apply_edit(session, claim.id, edit, editor=editor, base_version=claim.version)
        session.commit()
        claim_id = claim.id
    doc = article_doc()
    doc["claims"][1]["summary_en"] = "Peskov: Russia is not planning to withdraw its forces."
    report = load(maker, write_json(path, doc))  # the file changed elsewhere: it is read again
    assert report.claims_retired == 0 and report.claims_added == 0
    assert any(f"claim {claim_id}" in conflict for conflict in report.conflicts)
    with maker() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 3
        kept = session.get_one(Claim, claim_id)
        speaker = session.get_one(Actor, kept.speaker_id)
        assert (kept.status, speaker.slug) == ("verified", "murhaf-abu-qasra")
        assert (kept.span_start, kept.span_end) == (trimmed["start"], trimmed["end"])
    engine.dispose()
