"""The engine's in-memory snapshot and ordering, without a database."""

import datetime as dt
import uuid

import numpy as np

from portal.search.embeddings import EMBEDDING_DIMENSIONS
from portal.search.engine import _best, _build_snapshot

A, B = uuid.UUID(int=2), uuid.UUID(int=1)


def row(pk, key, language, *, sector=None, year=None, date=None, kind="policy"):
    vector = np.zeros(EMBEDDING_DIMENSIONS, dtype=np.float32)
    vector[pk % EMBEDDING_DIMENSIONS] = 1.0
    return (pk, key, language, kind, sector, year, vector.tobytes(), 10, date)


def test_snapshot_keeps_each_items_facts_from_its_first_version_that_has_them():
    snap = _build_snapshot(
        7,
        [
            row(1, A, "ko", year=2020, date=dt.date(2020, 1, 1)),
            row(2, B, "en", sector=3, kind="news", date=dt.date(2021, 5, 1)),
            row(3, A, "en", sector=5, year=2019, date=dt.date(2022, 1, 1)),
        ],
    )
    assert list(snap.item_keys) == [str(A), str(B)]
    assert snap.item_keys[1] == str(B)
    assert [snap.rows_of(item).tolist() for item in range(2)] == [[0, 2], [1]]
    assert snap.item_sector.tolist() == [5, 3]
    assert snap.item_year.tolist() == [2020, 0]
    assert [snap.kind_names[code] for code in snap.item_kind] == ["policy", "news"]
    assert snap.item_languages == [("en", "ko"), ("en",)]
    assert snap.item_in_language["ko"].tolist() == [True, False]
    assert snap.newest_first.tolist() == [0, 1]  # A's English version is the newest
    assert snap.item_key_rank.tolist() == [1, 0]


def test_best_keeps_item_order_among_equal_scores():
    scores = np.array([0.5, 0.9, 0.5, 0.9, 0.1])
    assert _best(scores, 2).tolist() == [1, 3]
    assert _best(scores, 3).tolist() == [1, 3, 0]
    assert _best(scores, 10).tolist() == [1, 3, 0, 2, 4]
