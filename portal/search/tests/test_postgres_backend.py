"""PostgreSQL's postings: BM25 as the formula gives it, and postings that follow the entries."""

import importlib
import itertools
import uuid
from collections import defaultdict

import pytest
from django.db import connection
from wagtail.models import Page

from portal.search.backends.base import (
    FIELD_WEIGHTS,
    FIELDS,
    CorpusStats,
    LexicalFields,
    bm25_idf,
    bm25_term,
)
from portal.search.backends.postgres import (
    MAX_TERM_BYTES,
    TABLE,
    PostgresBackend,
    term_frequencies,
)
from portal.search.models import SearchEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]

migration = importlib.import_module("portal.search.migrations.0004_postgres_postings")
_numbers = itertools.count(1)


@pytest.fixture
def backend():
    # Postings whose entries went without their signal (a flush between transactional
    # tests truncates the entries) would count in the document frequencies.
    PostgresBackend().clear()
    return PostgresBackend()


def fields(title="", summary="", body="", parts="") -> LexicalFields:
    return LexicalFields(
        title=title.split(), summary=summary.split(), body=body.split(), parts=parts.split()
    )


def add_entry(backend, lexical: LexicalFields) -> int:
    """A new entry, on a page of its own, indexed with ``lexical``."""
    number = next(_numbers)
    page = Page.get_first_root_node().add_child(
        instance=Page(title=f"Page {number}", slug=f"page-{number}")
    )
    entry = SearchEntry.objects.create(
        page=page,
        translation_key=uuid.uuid4(),
        language="en",
        kind="policy",
        url=f"/page-{number}/",
        title=f"Page {number}",
        length=lexical.length(),
        embedding=b"",
    )
    backend.upsert(entry_id=entry.pk, fields=lexical)
    return entry.pk


def reference(entries: dict[int, LexicalFields], terms: list[str]) -> dict[int, float]:
    """BM25 straight from the formula: every occurrence of a term counts its column's weight."""
    average = sum(lexical.length() for lexical in entries.values()) / len(entries)
    scores: dict[int, float] = defaultdict(float)
    for term in dict.fromkeys(terms):
        frequencies = {
            entry_id: sum(
                FIELD_WEIGHTS[name] * getattr(lexical, name).count(term) for name in FIELDS
            )
            for entry_id, lexical in entries.items()
        }
        frequencies = {entry_id: value for entry_id, value in frequencies.items() if value}
        idf = bm25_idf(documents=len(entries), matching=len(frequencies))
        for entry_id, frequency in frequencies.items():
            scores[entry_id] += bm25_term(
                idf=idf,
                frequency=frequency,
                length=entries[entry_id].length(),
                average_length=average,
            )
    return dict(scores)


def postings(entry_id: int) -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, frequency FROM {TABLE} WHERE entry_id = %s", [entry_id])
        return dict(cursor.fetchall())


CORPUS = [
    fields(title="bus lane seoul", summary="bus", body="median bus lanes in the city centre"),
    fields(title="bike", summary="public bike rental", body="bike stations seoul", parts="rkseoul"),
    fields(title="서울 버스", summary="버스 노선 개편", body="버스 정류장 seoul", parts="rkseoul"),
    fields(title="flood tunnels", body="deep tunnels hold rain water " * 20),
    fields(title="water", summary="water supply", body="arisu tap water"),
    fields(body="seoul " * 3 + "bus"),
]


@pytest.mark.parametrize(
    "terms",
    [
        ["bus"],
        ["seoul"],  # in the title, body and parts of different entries
        ["water", "tunnels"],
        ["bus", "seoul", "bike", "버스", "rkseoul"],
        ["absent"],
        ["absent", "water"],
        ["bus", "bus", ""],
    ],
)
def test_scores_are_bm25_of_the_weighted_frequencies(backend, terms):
    entries = {add_entry(backend, lexical): lexical for lexical in CORPUS}
    expected = reference(entries, terms)
    found = backend.match(terms=terms)
    assert found.keys() == expected.keys()
    for entry_id, score in found.items():
        assert score == pytest.approx(expected[entry_id], rel=1e-9)
    assert list(found.values()) == sorted(found.values(), reverse=True)
    average = sum(lexical.length() for lexical in entries.values()) / len(entries)
    stats = CorpusStats(documents=len(entries), average_length=average)
    assert backend.match(terms=terms, stats=stats) == pytest.approx(found, rel=1e-12)


def test_the_corpus_statistics_given_are_the_ones_used(backend):
    entries = {add_entry(backend, lexical): lexical for lexical in CORPUS}
    stats = CorpusStats(documents=1000, average_length=3.5)
    expected: dict[int, float] = defaultdict(float)
    for term in ("bus", "water"):
        frequencies = {
            entry_id: sum(
                FIELD_WEIGHTS[name] * getattr(lexical, name).count(term) for name in FIELDS
            )
            for entry_id, lexical in entries.items()
        }
        frequencies = {entry_id: value for entry_id, value in frequencies.items() if value}
        idf = bm25_idf(documents=1000, matching=len(frequencies))
        for entry_id, frequency in frequencies.items():
            expected[entry_id] += bm25_term(
                idf=idf,
                frequency=frequency,
                length=entries[entry_id].length(),
                average_length=3.5,
            )
    assert backend.match(terms=["bus", "water"], stats=stats) == pytest.approx(expected, rel=1e-9)


def test_the_limit_keeps_the_best_and_ties_go_in_entry_order(backend):
    first = add_entry(backend, fields(title="tram"))
    second = add_entry(backend, fields(body="tram"))
    third = add_entry(backend, fields(title="tram"))
    add_entry(backend, fields(body="other words here"))
    assert list(backend.match(terms=["tram"])) == [first, third, second]
    assert list(backend.match(terms=["tram"], limit=2)) == [first, third]
    assert list(backend.match(terms=["tram"], limit=1)) == [first]


def test_an_upsert_replaces_the_entrys_postings(backend):
    entry_id = add_entry(backend, fields(title="old title", body="old body"))
    assert postings(entry_id) == {"old": 4.0, "title": 3.0, "body": 1.0}
    new = fields(title="new title", summary="new")
    SearchEntry.objects.filter(pk=entry_id).update(length=new.length())
    backend.upsert(entry_id=entry_id, fields=new)
    assert postings(entry_id) == {"new": 5.0, "title": 3.0}
    assert backend.match(terms=["old", "body"]) == {}
    assert list(backend.match(terms=["new"])) == [entry_id]


def test_deleting_an_entry_deletes_its_postings(backend):
    kept = add_entry(backend, fields(title="kept entry"))
    gone = add_entry(backend, fields(title="gone entry"))
    SearchEntry.objects.filter(pk=gone).delete()
    assert postings(gone) == {}
    assert list(backend.match(terms=["entry", "gone"])) == [kept]
    backend.delete(entry_ids=[kept])
    assert postings(kept) == {}
    backend.delete(entry_ids=[])


def test_clear_empties_the_table(backend):
    add_entry(backend, fields(title="one"))
    add_entry(backend, fields(title="two"))
    backend.clear()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        assert cursor.fetchone() == (0,)
    assert backend.match(terms=["one", "two"]) == {}


ODD_TERMS = [
    "it's",
    "''",
    '"quoted"',
    "back\\slash",
    "\\",
    "a\\'b",
    "서울특별시",
    "%s",
    "%(terms)s",
    "x' | 'y",
    "🚌",
    "e" * MAX_TERM_BYTES,
    "가" * 682,  # 2,046 bytes
]


def test_terms_are_stored_and_found_whatever_they_hold(backend):
    entry_id = add_entry(backend, LexicalFields(ODD_TERMS, [], ["plain"], []))
    other = add_entry(backend, fields(body="plain x y"))
    assert postings(entry_id).keys() == {*ODD_TERMS, "plain"}
    for term in ODD_TERMS:
        assert list(backend.match(terms=[term])) == [entry_id], term
    assert list(backend.match(terms=["x", "y"])) == [other]


def test_terms_too_long_for_the_index_are_left_out(backend):
    too_long = "z" * (MAX_TERM_BYTES + 1)
    entry_id = add_entry(backend, fields(title=f"{too_long} {'가' * 683} short"))
    assert postings(entry_id) == {"short": 3.0}
    assert backend.match(terms=[too_long]) == {}


def tsvector_literal(lexical: LexicalFields) -> str:
    """The weighted tsvector the postings replaced, as it was written."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for name, letter in zip(FIELDS, "ABCD", strict=True):
        for term in getattr(lexical, name):
            position = min(position + 1, 16383)
            if len(positions[term]) < 255:
                positions[term].append(f"{position}{letter}")
    return " ".join(
        "'" + term.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(marks)
        for term, marks in positions.items()
    )


def tsvector_frequencies(lexical: LexicalFields) -> dict[str, float]:
    """Each lexeme's summed weights, as PostgreSQL reads them from that tsvector."""
    weight = dict(zip("ABCD", FIELD_WEIGHTS.values(), strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, weights FROM unnest(%s::tsvector)", [tsvector_literal(lexical)]
        )
        return {term: sum(weight[letter] for letter in letters) for term, letters in cursor}


@pytest.mark.parametrize(
    "lexical",
    [
        # A word in every column; a word 300 times (a tsvector keeps 255 positions).
        fields(title="seoul bus", summary="bus seoul", body="seoul " * 300, parts="rkseoul"),
        # Past position 16,383 every position is 16,383, kept once, with its first weight.
        fields(
            title="late",
            summary="late " * 10 + "word",
            body="filler " * 16370 + "late word tail tail",
            parts="tail late word rklate",
        ),
        fields(title="only", body="filler " * 17000 + "after after", parts="after after"),
    ],
)
def test_frequencies_are_those_of_the_weighted_tsvector(lexical):
    assert term_frequencies(lexical) == tsvector_frequencies(lexical)


def vector_frequencies(entry_id: int) -> dict[str, float]:
    weight = dict(zip("ABCD", FIELD_WEIGHTS.values(), strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, weights FROM portal_search_searchentry, unnest(lexemes) WHERE id = %s",
            [entry_id],
        )
        return {term: sum(weight[letter] for letter in letters) for term, letters in cursor}


def test_the_migration_keeps_the_frequencies_both_ways(backend):
    """0004 fills the postings from the vectors the backend wrote before, and going back
    writes vectors with the same frequencies (DDL is transactional: the test's rollback
    undoes it all)."""
    entries = {add_entry(backend, lexical): lexical for lexical in CORPUS}
    terms = ["bus", "seoul", "water", "버스", "rkseoul", "tunnels"]
    before = backend.match(terms=terms)
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit, and PostgreSQL alters no table
        # with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        migration.to_vectors(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [TABLE])
        assert cursor.fetchone() == (None,)
        for entry_id, lexical in entries.items():
            assert vector_frequencies(entry_id) == term_frequencies(lexical)
            cursor.execute(
                "UPDATE portal_search_searchentry SET lexemes = %s::tsvector WHERE id = %s",
                [tsvector_literal(lexical), entry_id],
            )
    with connection.schema_editor() as editor:
        migration.to_postings(None, editor)
    for entry_id, lexical in entries.items():
        assert postings(entry_id) == term_frequencies(lexical)
    after = backend.match(terms=terms)
    assert list(after) == list(before)
    assert after == pytest.approx(before, rel=1e-12)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'portal_search_searchentry' AND column_name = 'lexemes'"
        )
        assert cursor.fetchone() == (0,)


def test_statistics_are_refreshed_after_a_bulk_write(backend):
    for number in range(3):
        add_entry(backend, fields(title=f"bulk{number} shared", body="more words here"))
    backend.refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [TABLE])
        (estimated,) = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        (counted,) = cursor.fetchone()
    assert estimated == counted > 0
