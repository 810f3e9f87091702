"""The benchmark archive: what it holds, that it obeys the format's rules, and that loading it
again changes nothing (and leaves the schema as the migrations made it)."""

import numpy as np
import psycopg
import pytest
from sqlalchemy import create_engine, text

from app.extract.search_text import search_text
from bench import binary_copy
from bench.archive import LOADED_TABLES, ArchiveError, expected_articles, load_archive, validate
from bench.cpu import embedded_postmaster
from bench.draws import PRECISIONS, Drawn, Generator, Voice
from bench.load_floor import measure
from bench.search_vectors import SearchVectors
from bench.server import libpq_url
from tests.factories import TAG_COPIES_DIFFERING

CLAIMS = 3_000
SCHEMA = """
SELECT string_agg(indexdef, '; ' ORDER BY indexdef) FROM pg_indexes
 WHERE tablename IN ('claims', 'claim_tags')
UNION ALL
SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint
 WHERE conrelid IN ('claims'::regclass, 'claim_tags'::regclass)
UNION ALL
SELECT string_agg(tgname || ':' || tgenabled::text, '; ' ORDER BY tgname) FROM pg_trigger
 WHERE tgrelid = 'claims'::regclass AND NOT tgisinternal
"""
# Every table's rows with their system versions: any rewritten row would change its xmin.
SNAPSHOT = """
SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM claims),
       (SELECT count(*) FROM claim_tags), (SELECT count(*) FROM revisions),
       (SELECT count(*) FROM actors), (SELECT count(*) FROM outlets),
       (SELECT max(xmin::text::bigint) FROM claims), (SELECT max(xmin::text::bigint) FROM articles),
       (SELECT max(xmin::text::bigint) FROM actors)
"""


def _one(url: str, sql: str) -> list[object]:
    with psycopg.connect(libpq_url(url)) as conn:
        return [row[0] for row in conn.execute(sql)]


# A claim's vector as its trigger computes it.
COMPUTED_VECTOR = "strip(to_tsvector('arabic', search_text) || to_tsvector('english', summary_en))"


def _vectors_unlike_the_trigger_s(url: str) -> list[object]:
    return _one(url, f"SELECT count(*) FROM claims WHERE search_vector <> {COMPUTED_VECTOR}")


@pytest.fixture(scope="module")
def archive_url(pg_admin_url: str, template_database_url: str) -> object:
    """One database with the small archive, loaded once for this module's tests."""
    from tests.conftest import _copy_of_template

    for url in _copy_of_template(pg_admin_url, template_database_url):
        schema = _one(url, SCHEMA)
        report = load_archive(url, claims=CLAIMS, seed=11)
        yield url, report, schema


def test_loads_every_claim_and_leaves_the_schema_as_it_was(archive_url: tuple) -> None:
    url, report, schema_before = archive_url
    assert report.claims_added == CLAIMS
    assert _one(url, "SELECT count(*) FROM claims") == [CLAIMS]
    assert _one(url, SCHEMA) == schema_before


def test_counting_the_loaded_rows_reads_no_table_page(archive_url: tuple) -> None:
    """What a timeline count's index-only scan needs from the first request: every page
    all-visible. COPY FREEZE marks them when the load filled empty tables (here); VACUUM when
    it added rows beside others (`test_a_second_archive_is_added_beside_the_first`)."""
    _assert_counts_read_no_table_page(archive_url[0])


def _assert_counts_read_no_table_page(url: str) -> None:
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        for table in LOADED_TABLES:
            [([plan],)] = conn.execute(
                f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM {table}"
            )
            scan = plan["Plan"]["Plans"][0]
            assert (scan["Node Type"], scan["Heap Fetches"]) == ("Index Only Scan", 0), table


def test_a_second_archive_is_added_beside_the_first(
    pg_admin_url: str, template_database_url: str
) -> None:
    """Tables already holding rows are not truncated: the second seed's archive is copied
    beside the first's; both are whole and their vectors right."""
    from tests.conftest import _copy_of_template

    files = "SELECT pg_relation_filenode('claims')"  # a new one when the table is truncated
    for url in _copy_of_template(pg_admin_url, template_database_url):
        schema, empty = _one(url, SCHEMA), _one(url, files)
        load_archive(url, claims=500, seed=11)
        first = _one(url, files)
        load_archive(url, claims=700, seed=12)
        assert first != empty  # found empty: truncated, then copied FREEZE without WAL
        assert _one(url, files) == first
        assert _one(url, "SELECT count(*) FROM claims") == [1_200]
        assert _one(url, "SELECT count(*) FROM articles") == [
            expected_articles(Generator(11, []), 500) + expected_articles(Generator(12, []), 700)
        ]
        assert _vectors_unlike_the_trigger_s(url) == [0]
        assert _one(url, SCHEMA) == schema
        _assert_counts_read_no_table_page(url)


@pytest.mark.parametrize("copy_format", ["text", "binary"])
def test_the_floor_takes_the_same_rows_in_and_leaves_nothing_behind(
    archive_url: tuple, copy_format: str
) -> None:
    url, _, schema = archive_url
    before = _one(url, "SELECT row(" + SNAPSHOT.strip().removeprefix("SELECT") + ")::text")
    report = measure(url, copy_format)
    assert list(report.phases) == ["copy", "indexes, keys", "analyze"]
    assert _one(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'load_floor'") == [0]
    assert _one(url, "SELECT row(" + SNAPSHOT.strip().removeprefix("SELECT") + ")::text") == before
    assert _one(url, SCHEMA) == schema


def test_the_report_says_where_each_phase_s_cpu_went(archive_url: tuple) -> None:
    url, report, _ = archive_url
    assert list(report.cpu) == list(report.phases)
    python, database = report.cpu["generate, check, copy"]
    assert python > 0.05  # the workers' CPU, counted once the pool has reaped them
    if embedded_postmaster(url) is None:  # a server elsewhere: its CPU is not this machine's
        assert database is None
    else:
        assert database is not None and database > 0
    assert f"generate, check, copy {report.phases['generate, check, copy']:.1f} s (CPU: Python" in (
        report.summary()
    )


def test_loading_again_changes_no_row(archive_url: tuple) -> None:
    url, _, _ = archive_url
    before = _one(url, "SELECT row(" + SNAPSHOT.strip().removeprefix("SELECT") + ")::text")
    again = load_archive(url, claims=CLAIMS, seed=11)
    assert (again.articles_added, again.claims_added) == (0, 0)
    assert _one(url, "SELECT row(" + SNAPSHOT.strip().removeprefix("SELECT") + ")::text") == before


def test_every_span_slices_its_article_to_its_quote(archive_url: tuple) -> None:
    url, _, _ = archive_url
    wrong = _one(
        url,
        "SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id"
        " WHERE substr(a.text, c.span_start + 1, c.span_end - c.span_start) <> c.quote",
    )
    assert wrong == [0]


def test_search_text_is_what_the_loader_writes(archive_url: tuple) -> None:
    url, _, _ = archive_url
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.quote, a.title, c.search_text FROM claims c"
                " JOIN articles a ON a.id = c.article_id ORDER BY c.id LIMIT 300"
            )
        ).all()
    engine.dispose()
    assert all(stored == search_text(quote, title) for quote, title, stored in rows)


def test_every_search_vector_is_the_one_the_trigger_computes(archive_url: tuple) -> None:
    """The loader writes each row's vector itself, assembled from its parts' (the trigger is
    off during the load); each must equal what the trigger computes from the row's texts."""
    url, _, _ = archive_url
    assert _one(url, "SELECT count(*) FROM claims") == [CLAIMS]
    assert _vectors_unlike_the_trigger_s(url) == [0]


def test_every_claim_carries_its_article_s_language(archive_url: tuple) -> None:
    """The loader writes each claim's language itself (claims_language is off during the load);
    it must be its article's, in both of the archive's languages."""
    url, _, _ = archive_url
    joined = "FROM claims c JOIN articles a ON a.id = c.article_id"
    assert _one(url, f"SELECT count(*) {joined} WHERE c.language <> a.language") == [0]
    assert _one(url, f"SELECT count(DISTINCT c.language) {joined}") == [2]


def test_every_claim_carries_its_tags_ids(archive_url: tuple) -> None:
    """The loader writes each claim's tag ids itself (the triggers on claim_tags are off during
    the load); they must be its claim_tags rows', in order, as the triggers write them."""
    url, _, _ = archive_url
    assert _one(url, TAG_COPIES_DIFFERING) == [0]
    assert _one(url, "SELECT count(*) FROM claims WHERE cardinality(tag_ids) > 1")[0] > 0


@pytest.mark.parametrize(
    ("quote", "title", "summary"),
    [
        ("قال الرئيس إن القاعدة باقية في", "روسيا في سوريا", "Putin says Russia stays"),
        ("باقية", "", "the base, and the"),  # no title
        ("", "طرطوس", ""),  # no quote
        ("قاعدة طرطوس", "طرطوس", "Tartus base"),  # a lexeme in every part
        ("see http://example.org/a'b", "قاعدة حميميم", "Tartus's port"),  # lexemes with a quote
    ],
)
def test_a_vector_put_together_from_parts_is_postgresql_own(
    archive_url: tuple, quote: str, title: str, summary: str
) -> None:
    """Two rows of the same parts, the second with its quote and title swapped: each row's
    lexemes distinct and in order, as tsvector's binary input takes them without checking."""
    url, _, _ = archive_url
    vectors = SearchVectors()
    with psycopg.connect(libpq_url(url)) as conn:
        vectors.learn(conn, "arabic", [quote, title])
        vectors.learn(conn, "english", [summary])
        arabic, english = (
            vectors.table("arabic", [quote, title]),
            vectors.table("english", [summary]),
        )
        heads, lexemes, counts = vectors.fields(
            [(arabic, np.array([0, 1])), (arabic, np.array([1, 0])), (english, np.array([0, 0]))]
        )
        rows = binary_copy.interleave([b"\x00\x01", heads], lexemes, counts, [])
        conn.execute("CREATE TEMP TABLE assembled (vector tsvector)")
        with conn.cursor().copy("COPY assembled FROM STDIN (FORMAT binary)") as copy:
            binary_copy.write(copy, b"".join(rows))
        computed = "strip(to_tsvector('arabic', %s) || to_tsvector('english', %s))::text"
        stored = conn.execute(
            f"SELECT vector::text, {computed}, {computed} FROM assembled",
            [f"{quote} {title}", summary, f"{title} {quote}", summary],
        ).fetchall()
    assert [row[0] for row in stored] == [stored[0][1], stored[0][2]]


def test_the_archive_looks_like_a_real_one(archive_url: tuple) -> None:
    url, _, _ = archive_url
    [languages] = _one(url, "SELECT array_agg(DISTINCT language ORDER BY language) FROM articles")
    assert languages == ["ar", "en"]
    [recent] = _one(url, "SELECT avg((published_on >= '2024-01-01')::int)::float FROM articles")
    assert 0.75 < recent < 0.95  # concentrated in 2024–2025, the rest over the decade before
    [verified] = _one(url, "SELECT avg((status = 'verified')::int)::float FROM claims")
    assert 0.85 < verified < 0.95
    # Zipf: the most quoted speaker says far more than the tenth.
    counts = _one(url, "SELECT count(*) FROM claims GROUP BY speaker_id ORDER BY 1 DESC")
    assert counts[0] > 5 * counts[9]
    assert _one(url, "SELECT count(*) > 0 FROM claims WHERE cardinality(via) = 2") == [True]
    assert _one(url, "SELECT count(*) > 0 FROM revisions WHERE source = 'editor'") == [True]
    assert _one(url, "SELECT count(*) > 0 FROM claim_tags") == [True]


def test_the_archive_is_stored_in_the_order_of_its_dates(archive_url: tuple) -> None:
    """As an archive that grew day by day: a week's claims lie together on disk, ids grow."""
    url, _, _ = archive_url
    [articles_back] = _one(
        url,
        "SELECT count(*) FROM (SELECT published_on < lag(published_on) OVER (ORDER BY id) AS back"
        " FROM articles WHERE key LIKE 'bench-11-%') o WHERE back",
    )
    [claims_back] = _one(
        url,
        "SELECT count(*) FROM (SELECT article_id < lag(article_id) OVER (ORDER BY id) AS back"
        " FROM claims) o WHERE back",
    )
    assert (articles_back, claims_back) == (0, 0)


def test_a_row_that_breaks_a_rule_is_refused_before_it_is_sent() -> None:
    voices = [Voice(1, "vladimir-putin", "فلاديمير بوتين", "Vladimir Putin", None, "RU")]
    generator = Generator(3, voices)
    ns, counts = np.array([0, 1]), np.array([2, 2])
    drawn = generator.draw(ns, counts)
    validate(drawn, generator)
    drawn.end[3] += 1
    with pytest.raises(
        ArchiveError, match=r"bench-3-0000001: claims\[1\]\.quote: does not equal text"
    ):
        validate(drawn, generator)
    drawn = generator.draw(ns, counts)
    drawn.articles[1]["language"] = "arabic"
    with pytest.raises(ArchiveError, match=r"bench-3-0000001: language: String should match"):
        validate(drawn, generator)
    drawn = generator.draw(ns, counts)
    drawn.precision[0], drawn.stated[0] = PRECISIONS.index("month"), drawn.published[0] + 40
    with pytest.raises(ArchiveError, match=r"claims\[0\]\.a month is written as its first day"):
        validate(drawn, generator)


def _article(generator: Generator, drawn: Drawn, a: int) -> tuple[object, ...]:
    """Article `a` of `drawn` as what is stored of it: its text and its claims' fields."""
    claims = slice(drawn.first[a], drawn.first[a] + drawn.counts[a])
    return (
        drawn.articles[a], drawn.stated_dates[claims],
        *(
            getattr(drawn, name)[claims].tolist()
            for name in ("voice", "stance", "bases", "start", "end", "direct", "precision",
                         "status", "edited_from", "via", "tags")
        ),
    )  # fmt: skip


def test_the_same_seed_makes_the_same_archive() -> None:
    """Article n is the same whoever draws it and whatever is drawn beside it."""
    voices = [Voice(i, f"a{i}", f"اسم {i}", f"Name {i}", None, "RU") for i in range(1, 30)]
    first, second = Generator(5, voices), Generator(5, voices)
    alone = first.draw(np.array([42]), np.array([3]))
    among = second.draw(np.array([7, 42, 43]), np.array([4, 3, 1]))
    assert _article(first, alone, 0) == _article(second, among, 1)
    assert _article(first, alone, 0) != _article(second, among, 2)
    assert expected_articles(first, 1_000) == expected_articles(second, 1_000)
    assert first.in_date_order(1_000)[1].sum() == 1_000
