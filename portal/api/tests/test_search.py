"""The API's search is the search page's: same engine, ranking and facets."""

import pytest

from portal.search.results import SearchFilters
from portal.search.selectors import search_page
from portal.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(catalogue):
    search_index_rebuild()
    return catalogue


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({"q": "버스", "language": "ko"}, SearchFilters()),
        ({"q": "bus", "language": "en"}, SearchFilters()),
        ({"q": "Arisu", "language": "en", "kind": "archive"}, SearchFilters(kind="archive")),
        ({"language": "en", "sector": "water"}, SearchFilters(sector="water")),
    ],
)
def test_same_results_as_the_search_page(client, indexed, params, filters):
    body = client.get("/api/v1/search", params).json()
    page = search_page(query=params.get("q", ""), language=params["language"], filters=filters)
    assert [hit["page_id"] for hit in body["hits"]] == [hit.page_id for hit in page.hits]
    assert body["total"] == page.total > 0
    assert body["facets"]["kind"] == [value.__dict__ for value in page.facets["kind"]]


def test_a_hit_links_to_its_page_and_shows_the_match(client, indexed):
    hit = client.get("/api/v1/search", {"q": "버스", "language": "ko"}).json()["hits"][0]
    assert hit["url"] == "http://testserver/ko/policies/bus-reform/"
    assert "<mark>" in hit["snippet_html"] and "<mark>" not in hit["snippet"]
    assert sorted(hit["languages"]) == ["en", "ko"]


def test_a_korean_query_finds_the_english_version(client, indexed):
    hits = client.get("/api/v1/search", {"q": "버스", "language": "en"}).json()["hits"]
    assert hits[0]["title"] == "Bus Reform" and hits[0]["language"] == "en"


def test_nothing_asked_nothing_found(client, indexed):
    body = client.get("/api/v1/search").json()
    assert body["total"] == 0 and body["hits"] == []
