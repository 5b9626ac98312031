"""The postings a large index matches with (``postings``), forced on for a few pages."""

import datetime as dt
import logging
import threading

import numpy as np
import pytest

from portal.search import engine, postings
from portal.search.backends import get_backend
from portal.search.backends.base import (
    BM25_B,
    BM25_K1,
    LexicalFields,
    bm25_idf,
)
from portal.search.backends.postgres import term_frequencies
from portal.search.models import SearchEntry
from portal.search.selectors import search_page
from portal.search.tests.test_index import policy

WORDS = [
    "서울",
    "교통",
    "버스",
    "지하철",
    "요금",
    "seoul",
    "bus",
    "metro",
    "fare",
    "bike",
    "자전거",
    "교육",
    "school",
]
MOMENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def entry(pk, seed, minutes=0):
    """One entry's row as the database gives it: words drawn from ``WORDS``."""
    generator = np.random.default_rng(seed)

    def words(count):
        return " ".join(WORDS[i] for i in generator.integers(len(WORDS), size=count))

    title, summary, body, parts = words(3), words(5), words(20), words(4)
    fields = LexicalFields(title.split(), summary.split(), body.split(), parts.split())
    moment = MOMENT + dt.timedelta(minutes=minutes)
    return (pk, moment, fields.length(), title, summary, body, parts)


def reader(rows, calls=None):
    by_id = {row[0]: row for row in rows}

    def read(ids):
        if calls is not None:
            calls.append(None if ids is None else sorted(ids.tolist()))
        chosen = sorted(by_id) if ids is None else sorted(int(pk) for pk in ids if pk in by_id)
        return (by_id[pk] for pk in chosen)

    return read


def stamps_reader(rows):
    return lambda: ((row[0], row[1]) for row in rows)


def reference(rows, terms):
    """BM25 of every entry, term by term in Python, as the database computes it."""
    analysed = [
        LexicalFields(row[3].split(), row[4].split(), row[5].split(), row[6].split())
        for row in rows
    ]
    frequencies = [term_frequencies(fields) for fields in analysed]
    average = sum(fields.length() for fields in analysed) / len(analysed)
    scores = {}
    for term in dict.fromkeys(terms):
        matching = sum(term in entry_terms for entry_terms in frequencies)
        if not matching:
            continue
        idf = bm25_idf(documents=len(rows), matching=matching)
        for row, fields, entry_terms in zip(rows, analysed, frequencies, strict=True):
            if term in entry_terms:
                f = entry_terms[term]
                norm = 1 - BM25_B + BM25_B * fields.length() / average
                scores[row[0]] = scores.get(row[0], 0.0) + idf * f * (BM25_K1 + 1) / (
                    f + BM25_K1 * norm
                )
    return scores


def matched(store, terms, limit=1000):
    rows, scores = store.match(terms, limit)
    return dict(zip(store.entry_ids[rows].tolist(), scores.tolist(), strict=True))


def same_arrays(left, right):
    """Equal postings, whatever the order of a term's rows."""
    assert np.array_equal(left.entry_ids, right.entry_ids)
    assert np.array_equal(left.stamps, right.stamps)
    assert np.array_equal(left.lengths, right.lengths)
    assert np.array_equal(left.hashes, right.hashes)
    assert np.array_equal(left.starts, right.starts)
    for term in range(len(left.hashes)):
        start, end = left.starts[term], left.starts[term + 1]
        for store in (left, right):
            order = np.argsort(store.rows[start:end])
            store.rows[start:end] = store.rows[start:end][order]
            store.frequencies[start:end] = store.frequencies[start:end][order]
    assert np.array_equal(left.rows, right.rows)
    assert np.array_equal(left.frequencies, right.frequencies)


def test_scores_are_bm25_as_the_database_computes_it():
    rows = [entry(pk, pk) for pk in range(1, 80)]
    ids = np.array([row[0] for row in rows])
    store = postings.build(ids, reader(rows))
    for terms in (["버스"], ["seoul", "fare"], ["자전거", "bike", "없는말"], WORDS):
        expected = reference(rows, terms)
        found = matched(store, terms)
        assert found.keys() == expected.keys()
        for pk, score in expected.items():
            assert found[pk] == pytest.approx(score, rel=1e-9)


def test_the_best_come_first_and_ties_in_entry_order():
    rows = [entry(pk, 7) for pk in (5, 3, 9)]  # three identical entries
    ids = np.array([3, 5, 9])
    store = postings.build(ids, reader(rows))
    found, scores = store.match(["버스", "bus"], limit=2)
    assert store.entry_ids[found].tolist() == [3, 5]
    assert scores[0] == scores[1]
    assert store.match(["nothing"], 10)[0].tolist() == []
    assert store.match([], 10)[0].tolist() == []


def test_of_the_entries_tied_at_the_limit_the_first_are_kept():
    rows = [entry(pk, 7) for pk in range(1, 301)]  # identical entries: identical scores
    ids = np.array([row[0] for row in rows])
    store = postings.build(ids, reader(rows))
    found, _scores = store.match(["버스", "bus", "서울"], limit=100)
    assert store.entry_ids[found].tolist() == list(range(1, 101))


def test_a_merge_equals_a_build_from_nothing():
    before = [entry(pk, pk) for pk in range(1, 120)]
    old = postings.build(np.array([row[0] for row in before]), reader(before))
    # Some entries deleted, some changed (a later stamp, other words), some added.
    after = [row for row in before if row[0] % 7]
    after = [entry(row[0], row[0] + 1000, minutes=5) if row[0] % 5 == 0 else row for row in after]
    after += [entry(pk, pk, minutes=9) for pk in range(200, 230)]
    ids = np.array([row[0] for row in after])
    stamps = postings._stamps_of(ids, stamps_reader(after))
    calls = []
    merged = postings.merge(old, ids, stamps, reader(after, calls))
    changed = sorted(row[0] for row in after if row[0] % 5 == 0 or row[0] >= 200)
    assert calls == [changed]  # only the changed and new entries were read
    same_arrays(merged, postings.build(ids, reader(after)))
    assert matched(merged, ["버스", "fare"]) == pytest.approx(reference(after, ["버스", "fare"]))


def test_an_entry_deleted_while_read_has_no_postings():
    rows = [entry(pk, pk) for pk in range(1, 10)]
    ids = np.array([row[0] for row in rows])
    store = postings.build(ids, reader(rows[:-1]))  # the last was deleted meanwhile
    assert store.stamps[-1] == -1
    assert 9 not in matched(store, WORDS)


@pytest.fixture
def forced(settings, tmp_path):
    """Postings for every index, written in the call that needs them."""
    settings.SEARCH_POSTINGS_FROM = 0
    settings.SEARCH_POSTINGS_DIR = str(tmp_path / "postings")
    settings.SEARCH_POSTINGS_BUILD_APART = False
    return tmp_path / "postings"


def folders(base):
    return sorted(path.name for path in base.iterdir() if path.is_dir())


def test_load_writes_a_version_once_and_merges_the_next(forced):
    rows = [entry(pk, pk) for pk in range(1, 50)]
    ids = np.array([row[0] for row in rows])
    calls = []
    first = postings.load(3, ids, stamps_reader(rows), reader(rows, calls), apart=False)
    assert calls == [None]
    again = postings.load(3, ids, stamps_reader(rows), reader(rows, calls), apart=False)
    assert calls == [None] and again.path == first.path
    rows[10] = entry(11, 99, minutes=1)
    second = postings.load(4, ids, stamps_reader(rows), reader(rows, calls), apart=False)
    assert calls == [None, [11]]
    assert folders(forced) == [second.path.name]  # the older version's folder is gone
    assert matched(second, WORDS) == pytest.approx(reference(rows, WORDS))
    # A process still holding the old mapping keeps reading it.
    assert matched(first, ["버스"])


def test_a_broken_folder_is_written_again(forced):
    rows = [entry(pk, pk) for pk in range(1, 20)]
    ids = np.array([row[0] for row in rows])
    store = postings.load(5, ids, stamps_reader(rows), reader(rows), apart=False)
    (store.path / "rows.npy").write_bytes(b"garbage")
    again = postings.load(5, ids, stamps_reader(rows), reader(rows), apart=False)
    assert again is not None
    assert matched(again, WORDS) == pytest.approx(reference(rows, WORDS))
    (again.path / "entries.npz").write_bytes(b"PK\x03\x04 cut short")
    once_more = postings.load(5, ids, stamps_reader(rows), reader(rows), apart=False)
    assert matched(once_more, WORDS) == pytest.approx(reference(rows, WORDS))


def test_without_a_file_to_start_from_the_postings_are_written_apart(forced, caplog):
    rows = [entry(pk, pk) for pk in range(1, 30)]
    ids = np.array([row[0] for row in rows])
    release = threading.Event()
    slow = reader(rows)

    def read(chosen):
        release.wait(10)
        return slow(chosen)

    with caplog.at_level(logging.WARNING, logger="portal.search.postings"):
        assert postings.load(8, ids, stamps_reader(rows), read, apart=True) is None
    assert "the database matches meanwhile" in caplog.text
    assert not postings.folder(8, ids).is_dir()
    # Meanwhile another process is not kept waiting by the reading (no lock is held for
    # it), nor starts a second one; nor does a newer version.
    answers = []
    other = threading.Thread(
        target=lambda: answers.extend(
            postings.load(version, ids, stamps_reader(rows), read, apart=True) for version in (8, 9)
        )
    )
    other.start()
    other.join(10)
    assert answers == [None, None]
    assert [t.name for t in threading.enumerate()].count("search-postings") == 1
    release.set()
    for thread in threading.enumerate():
        if thread.name == "search-postings":
            thread.join(10)
    assert postings.folder(8, ids).is_dir()


def ranking(query, language="ko"):
    found = engine.rank(query=query, language=language)
    return found.keys, found.scores


@pytest.mark.django_db
def test_the_engine_ranks_as_with_the_databases_match(tree, forced, settings):
    policy(tree, title="대중교통 요금 개편", summary="버스와 지하철 요금 체계를 바꾸었다")
    policy(tree, title="공공자전거 따릉이", summary="시민 누구나 자전거를 빌린다")
    policy(
        tree, title="청소년 교육 지원", summary="서울시는 교육을 지원한다", background="버스 통학"
    )
    policy(tree, "en", title="Seoul bus reform", summary="Bus routes and fares changed")
    queries = [("버스 요금", "ko"), ("자전거", "ko"), ("bus fares", "en"), ("서울시", "ko")]
    with_postings = [ranking(query, language) for query, language in queries]
    assert engine.snapshot().postings is not None
    settings.SEARCH_POSTINGS_FROM = 10**9
    engine._snapshot = None
    assert engine.snapshot().postings is None
    with_database = [ranking(query, language) for query, language in queries]
    for (keys, scores), (database_keys, database_scores) in zip(
        with_postings, with_database, strict=True
    ):
        assert keys == database_keys
        assert scores == pytest.approx(database_scores, rel=1e-6)


@pytest.mark.django_db
def test_a_published_page_is_found_at_once(tree, forced):
    policy(tree, title="대중교통 요금 개편", summary="버스 요금 체계")
    assert [hit.title for hit in search_page(query="따릉이", language="ko").hits] == []
    first = engine.snapshot().postings
    page = policy(tree, title="공공자전거 따릉이", summary="자전거를 빌린다")
    assert [hit.title for hit in search_page(query="따릉이", language="ko").hits] == [
        "공공자전거 따릉이"
    ]
    assert engine.snapshot().postings.path != first.path
    page.unpublish()
    assert [hit.title for hit in search_page(query="따릉이", language="ko").hits] == []
    assert not SearchEntry.objects.filter(page=page).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["\x00", "\ud800 서울", "버스" * 300, '"버스" OR NEAR(*)', "%_\\", "   "]
)
def test_any_query_is_answered_over_the_postings(tree, forced, query):
    policy(tree, title="대중교통 요금 개편", summary="버스 요금 체계")
    page = search_page(query=query, language="ko")
    assert engine.snapshot().postings is not None
    assert all(hit.title == "대중교통 요금 개편" for hit in page.hits)


@pytest.mark.django_db
def test_scores_are_the_databases_for_a_word_repeated_past_a_tsvectors_limit(tree, forced):
    # FTS5 counts every occurrence; the PostgreSQL table at most 255 (a tsvector's limit).
    policy(tree, title="버스 노선", summary="노선 개편", background="버스 " * 400)
    policy(tree, title="버스 요금", summary="버스 요금 체계")
    snap = engine.snapshot()
    rows, scores = snap.postings.match(["버스", "노선"], 10)
    database = get_backend().match(terms=["버스", "노선"], stats=snap.stats)
    assert dict(zip(snap.entry_ids[rows].tolist(), scores.tolist(), strict=True)) == (
        pytest.approx(database, rel=1e-6)
    )
