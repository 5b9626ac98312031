"""The shared, clustered store of a large index's embeddings (``vectors``), forced on for
indexes of a few hundred rows."""

import os

import numpy as np
import pytest

from portal.search import engine, vectors
from portal.search.embeddings import EMBEDDING_DIMENSIONS


@pytest.fixture
def shared(settings, tmp_path, monkeypatch):
    """Every index shared and clustered, in a folder of the test's own."""
    settings.SEARCH_SHARED_VECTORS_FROM = 0
    settings.SEARCH_VECTORS_DIR = str(tmp_path / "vectors")
    monkeypatch.setattr(vectors, "STORED", "float32")
    return tmp_path / "vectors"


def clustered(count, seed=0, centres=12):
    """Unit rows around a few directions, as texts' embeddings are."""
    generator = np.random.default_rng(seed)
    middle = generator.standard_normal((centres, EMBEDDING_DIMENSIONS))
    rows = middle[generator.integers(centres, size=count)]
    rows = rows + 0.6 * generator.standard_normal((count, EMBEDDING_DIMENSIONS))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def reader(ids, matrix, calls=None):
    def read():
        if calls is not None:
            calls.append(1)
        return ((int(pk), row.tobytes()) for pk, row in zip(ids, matrix, strict=True))

    return read


def mapped_files():
    with open("/proc/self/maps") as maps:
        return {line.split()[-1] for line in maps if len(line.split()) >= 6}


def in_row_order(store):
    return store.decoded(store.positions)


def test_a_small_index_stays_in_memory_and_exact(settings):
    settings.SEARCH_SHARED_VECTORS_FROM = 1000
    matrix = clustered(50)
    ids = np.arange(1, 51)
    store = vectors.load(3, ids, reader(ids, matrix))
    assert isinstance(store, vectors.InMemoryVectors)
    assert np.array_equal(store.matrix, matrix)


def test_the_mapped_matrix_equals_the_in_memory_one(shared):
    matrix = clustered(300)
    ids = np.arange(10, 310)
    store = vectors.load(7, ids, reader(ids, matrix))
    assert store.path.parent == shared
    assert str(store.path / "codes.npy") in mapped_files()
    assert np.array_equal(in_row_order(store), matrix)


def test_int8_rows_stay_within_rounding_of_the_embeddings(shared, monkeypatch):
    monkeypatch.setattr(vectors, "STORED", "int8")
    matrix = clustered(300)
    ids = np.arange(1, 301)
    store = vectors.load(7, ids, reader(ids, matrix))
    assert store.codes.dtype == np.int8
    # Within a step (1/127 of the row's largest component) of the embedding.
    error = np.abs(in_row_order(store) - matrix).max(axis=1)
    assert (error <= np.abs(matrix).max(axis=1) / 127).all()
    query = clustered(1, seed=5)[0]
    cosines = store.similarities(query, lambda: np.arange(300))
    assert np.abs(cosines - matrix @ query).max() < 2e-3


def test_another_loader_maps_the_same_file_without_reading_the_embeddings(shared):
    matrix = clustered(200)
    ids = np.arange(1, 201)
    calls = []
    first = vectors.load(11, ids, reader(ids, matrix, calls))
    written = os.stat(first.path / "codes.npy")

    def no_read():
        raise AssertionError("the embeddings were read again")

    second = vectors.load(11, ids, no_read)
    assert calls == [1]
    assert second.path == first.path
    assert os.stat(second.path / "codes.npy").st_ino == written.st_ino
    assert np.array_equal(second.codes, first.codes)
    assert np.array_equal(second.rows, first.rows)


def test_a_new_version_writes_a_new_folder_and_removes_the_old_ones(shared):
    matrix = clustered(200)
    ids = np.arange(1, 201)
    old = vectors.load(1, ids, reader(ids, matrix))
    (shared / ".v.1234").mkdir()  # what a writer that crashed left
    matrix[:5] = clustered(5, seed=9)
    new = vectors.load(2, ids, reader(ids, matrix), previous=old)
    assert sorted(path.name for path in shared.iterdir()) == [".lock", new.path.name]
    # A process still holding the old version reads it: the mapping outlives the file.
    assert np.array_equal(in_row_order(old)[5:], matrix[5:])


def test_a_process_behind_the_index_leaves_the_newer_files(shared):
    matrix = clustered(100)
    ids = np.arange(1, 101)
    newer = vectors.load(9, ids, reader(ids, matrix))
    older = vectors.load(8, ids, reader(ids, matrix), is_current=lambda: False)
    assert newer.path.exists() and older.path.exists()


def test_the_next_version_keeps_the_clusters_of_unchanged_rows(shared):
    matrix = clustered(400)
    ids = np.arange(1, 401)
    old = vectors.load(1, ids, reader(ids, matrix))
    cluster_of = np.searchsorted(old.starts, old.positions, side="right") - 1
    # Entry 1 is gone, 401 and 402 are new, 10 rows changed.
    changed = clustered(10, seed=3)
    matrix2 = np.concatenate([matrix[1:], clustered(2, seed=4)])
    matrix2[100:110] = changed
    ids2 = np.arange(2, 403)
    new = vectors.load(2, ids2, reader(ids2, matrix2), previous=old)
    assert np.array_equal(new.centroids, old.centroids)
    new_cluster_of = np.searchsorted(new.starts, new.positions, side="right") - 1
    unchanged = np.setdiff1d(np.arange(399), np.arange(100, 110))
    assert np.array_equal(new_cluster_of[unchanged], cluster_of[unchanged + 1])
    assert np.array_equal(in_row_order(new), matrix2)
    nearest = np.argmax(matrix2[100:110] @ new.centroids.T, axis=1)
    assert np.array_equal(new_cluster_of[100:110], nearest)


def test_clustered_scores_equal_exact_ones_where_scored_and_never_exceed_them(shared, monkeypatch):
    monkeypatch.setattr(vectors, "MIN_PROBED_ROWS", 0)
    monkeypatch.setattr(vectors, "PROBED_SHARE", 0.2)
    matrix = clustered(500)
    ids = np.arange(1, 501)
    store = vectors.load(4, ids, reader(ids, matrix))
    wanted = np.array([3, 250, 499])
    generator = np.random.default_rng(1)
    for row in (0, 100, 200, 300, 400):
        query = matrix[row] + 0.03 * generator.standard_normal(EMBEDDING_DIMENSIONS)
        query = (query / np.linalg.norm(query)).astype(np.float32)
        exact = matrix @ query
        scores = store.similarities(query, lambda wanted=wanted: wanted)
        scored = scores != vectors.UNSCORED
        assert 100 <= scored.sum() < 500  # a fifth of the rows and the wanted ones
        assert scored[wanted].all()
        np.testing.assert_allclose(scores[scored], exact[scored], rtol=0, atol=1e-6)
        assert (scores <= exact + 1e-6).all()
        # The nearest clusters hold the rows nearest to the query.
        assert scored[np.argsort(-exact)[:10]].all()


def test_entries_that_changed_while_reading_get_no_meaning(shared):
    matrix = clustered(100)
    ids = np.arange(1, 101)
    # Entry 50 was deleted after the list of entries was read, entry 101 added.
    pairs = [(pk, row) for pk, row in zip(ids, matrix, strict=True) if pk != 50]
    pairs.append((101, clustered(1, seed=7)[0]))
    store = vectors.load(5, ids, lambda: ((int(pk), row.tobytes()) for pk, row in pairs))
    rows = in_row_order(store)
    assert not rows[49].any()
    assert np.array_equal(np.delete(rows, 49, axis=0), np.delete(matrix, 49, axis=0))


def test_without_a_folder_to_write_the_store_stays_in_the_process(settings, tmp_path):
    settings.SEARCH_SHARED_VECTORS_FROM = 0
    (tmp_path / "file").write_text("")
    settings.SEARCH_VECTORS_DIR = str(tmp_path / "file" / "vectors")
    matrix = clustered(100)
    ids = np.arange(1, 101)
    store = vectors.load(5, ids, reader(ids, matrix))
    assert store.path is None
    assert np.abs(in_row_order(store) - matrix).max() < 0.01


# The whole ranking, on a small index ---------------------------------------------------

QUERIES = [
    ("서울시", "ko"),  # every page: the order is the embeddings'
    ("Seoul city policy", "en"),
    ("버스", "ko"),
    ("bus lanes", "en"),
    ("public bicycle rental", "en"),
    ("미세먼지 저감", "ko"),
    ("how does Seoul look after elderly people", "en"),
    ("water quality", "en"),
]


@pytest.fixture
def small_index(tree):
    from portal.core.tests import factories as f
    from portal.search.tests.test_index import policy

    pages = [
        ("중앙버스전용차로", "도로 가운데에 버스만 다니는 차로를 만들었다.", "Median bus lanes"),
        ("서울 공공자전거 따릉이", "스마트폰으로 자전거를 빌리고 반납한다.", None),
        ("미세먼지 저감 대책", "노후 경유차 운행을 제한한다.", "Fine dust reduction"),
        ("치매안심센터 운영", "어르신 치매 검사와 상담을 제공한다.", "Dementia care centres"),
        ("아리수 수질 검사", "수돗물 수질을 매일 검사한다.", None),
        ("심야버스 올빼미", "자정부터 새벽까지 버스를 운행한다.", "Owl night buses"),
        ("청계천 복원", "고가도로를 철거하고 하천을 복원했다.", None),
    ]
    for title, summary, english in pages:
        page = policy(tree, title=title, summary=f"서울시는 {summary}")
        if english:
            f.translate(page, "en", title=english, summary=f"Seoul: {english}. {summary}")


def rankings():
    engine._snapshot = None  # read the index again, with the settings of the moment
    result = {}
    for query, language in QUERIES:
        ranking = engine.rank(query=query, language=language)
        result[query] = (ranking.keys, ranking.scores)
    return result, engine._snapshot


@pytest.mark.django_db
def test_a_small_index_ranks_alike_with_the_shared_store(
    small_index, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(engine, "_snapshot", None)  # put back after the test
    exact, snap = rankings()
    assert isinstance(snap.vectors, vectors.InMemoryVectors)
    assert sum(len(keys) for keys, _scores in exact.values()) >= 2 * len(QUERIES)
    settings.SEARCH_SHARED_VECTORS_FROM = 0
    settings.SEARCH_VECTORS_DIR = str(tmp_path)
    # int8, every cluster scored (the budget of rows exceeds this index): the order is
    # the same; scores move by int8 rounding only.
    shared, snap = rankings()
    assert isinstance(snap.vectors, vectors.SharedVectors)
    assert snap.vectors.path.parent == tmp_path
    for query, (keys, scores) in exact.items():
        assert shared[query][0] == keys, query
        np.testing.assert_allclose(shared[query][1], scores, rtol=0, atol=2e-3)
