"""Items: filters, stable pagination, one item in both languages, attachments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/items"


def _titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def test_lists_every_published_version_and_nothing_else(client, catalogue):
    body = client.get(URL, {"per_page": 100}).json()
    titles = {row["title"] for row in body["results"]}
    assert titles == {
        "버스 체계 개편", "Bus Reform", "한국어 소식", "아리수", "Arisu", "교통 연수",
        "Transport training",
    }  # fmt: skip
    assert body["count"] == 7 and body["pages"] == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "policy"}, {"버스 체계 개편", "Bus Reform"}),
        ({"kind": "news"}, {"한국어 소식"}),
        ({"lang": "en", "kind": "archive"}, {"Arisu"}),
        ({"sector": "water"}, {"아리수", "Arisu"}),
        ({"year": 2014}, {"버스 체계 개편", "Bus Reform"}),
        ({"lang": "en", "sector": "transportation"}, {"Bus Reform", "Transport training"}),
    ],
)
def test_filters(client, catalogue, params, expected):
    assert _titles(client.get(URL, params)) == expected


def test_updated_since_selects_on_the_last_publication(client, catalogue):
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Page.objects.exclude(pk=catalogue.policy["en"].pk).update(last_published_at=old)
    response = client.get(URL, {"updated_since": "2021-01-01T00:00:00Z"})
    assert _titles(response) == {"Bus Reform"}


def test_pages_are_stable_and_linked(client, catalogue):
    first = client.get(URL, {"per_page": 3}).json()
    assert first["pages"] == 3 and first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/items?")
    seen = [row["page_id"] for row in first["results"]]
    link = first["next"]
    while link:
        body = client.get(link.removeprefix("http://testserver")).json()
        seen += [row["page_id"] for row in body["results"]]
        link = body["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_a_version_names_its_translations(client, catalogue):
    rows = client.get(URL, {"kind": "policy", "lang": "ko"}).json()["results"]
    assert rows[0]["translations"] == {"en": "http://testserver/en/policies/bus-reform/"}
    assert rows[0]["url"] == "http://testserver/ko/policies/bus-reform/"
    assert rows[0]["sector"] == {
        "slug": "transportation", "name_ko": "교통", "name_en": "Transportation",
    }  # fmt: skip
    assert rows[0]["creator"] == "도시교통실"


def test_one_item_in_both_languages_with_its_document(client, catalogue):
    key = catalogue.archive["ko"].translation_key
    body = client.get(f"{URL}/{key}").json()
    assert body["id"] == str(key) and body["kind"] == "archive"
    assert [version["language"] for version in body["versions"]] == ["ko", "en"]
    attachment = body["versions"][0]["attachments"][0]
    assert attachment["url"].startswith("http://testserver/documents/")
    assert attachment["size"] == len(b"%PDF-1.4\n%%EOF\n")
    assert client.get(attachment["url"].removeprefix("http://testserver")).status_code == 200
    assert body["versions"][0]["details"]["archive_kind"] == "brochure"


@pytest.mark.parametrize(
    "item", ["00000000-0000-0000-0000-000000000000", "draft"], ids=["unknown", "unpublished"]
)
def test_an_item_that_is_not_published_is_404_json(client, catalogue, item):
    key = catalogue.draft.translation_key if item == "draft" else item
    response = client.get(f"{URL}/{key}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no published item with this id."}


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"kind": "blog"}, "kind"),
        ({"year": "1492"}, "year"),
        ({"per_page": "500"}, "per_page"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_parameter_is_422_with_a_message(client, catalogue, params, names):
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["detail"] == f"Invalid parameter: {names}."


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "There is no sector “nowhere”."), ("ko", "“nowhere” 분야는 없습니다.")],
)
def test_an_unknown_sector_is_404_in_the_clients_language(client, catalogue, language, message):
    response = client.get(URL, {"sector": "nowhere"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_sectors_partners_and_open_programmes(client, catalogue):
    sectors = client.get("/api/v1/sectors").json()
    assert {"slug": "water", "name_ko": "상수도", "name_en": "Water Supply"} in sectors
    partners = client.get("/api/v1/partners").json()
    assert partners[0]["slug"] == "citynet" and partners[0]["name_en"] == "CityNet"
    programmes = client.get("/api/v1/programmes/open", {"lang": "en"}).json()
    assert [p["title"] for p in programmes] == ["Transport training"]
    assert programmes[0]["places_left"] == 20


def test_more_items_cost_no_more_queries(client, catalogue, tree):
    def queries() -> int:
        client.get(URL, {"per_page": 100})  # the shared cache is warm after this
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"per_page": 100}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(10):
        page = f.PolicyPageFactory(parent=tree.policies["ko"], slug=f"more-{n}")
        page.tags.add("bus")
        f.publish(page)
    assert queries() == before


def test_tags_are_listed_with_each_version(client, catalogue):
    catalogue.policy["ko"].tags.add("버스", "준공영제")
    catalogue.policy["ko"].save_revision().publish()
    rows = client.get(URL, {"kind": "policy", "lang": "ko"}).json()["results"]
    assert rows[0]["tags"] == ["버스", "준공영제"]
