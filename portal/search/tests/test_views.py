"""The search page and its suggestions endpoint: languages, results, facets, bad input."""

import datetime as dt
import json
import re

import pytest
from wagtail.models import Locale

from portal.core.tests import factories as f
from portal.search.results import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def transport(db):
    return f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation")


@pytest.fixture
def content(tree, transport):
    """A policy in both languages, a Korean-only news post, an English-only news post and a
    programme, all published (and so indexed)."""
    policy = f.publish(
        f.PolicyPageFactory(
            parent=tree.policies["ko"],
            title="버스 중앙차로",
            slug="median-bus-lanes",
            summary="버스 중앙차로로 버스 속도를 높였습니다.",
            date=dt.date(2019, 3, 1),
            sector=transport,
        )
    )
    policy_en = f.translate(
        policy, "en", title="Median bus lanes", summary="Median bus lanes made buses faster."
    )
    news_ko = f.publish(
        f.NewsPageFactory(
            parent=tree.news["ko"],
            title="따릉이 대여소 확대",
            slug="ddareungi-stations",
            summary="공공자전거 따릉이 대여소를 늘립니다.",
            date=dt.date(2020, 6, 1),
            sector=transport,
        )
    )
    news_en = f.publish(
        f.NewsPageFactory(
            parent=tree.news["en"],
            locale=Locale.objects.get(language_code="en"),
            title="Congestion charge study tour",
            slug="congestion-charge-study-tour",
            summary="Delegates studied the congestion charge on Namsan tunnels.",
            date=dt.date(2021, 9, 1),
        )
    )
    programme = f.publish(
        f.ProgrammePageFactory(
            parent=tree.programmes["ko"],
            title="버스 정책 연수",
            slug="bus-policy-training",
            description="<p>버스 체계 개편을 배우는 연수 과정</p>",
        )
    )
    return {
        "policy": policy,
        "policy_en": policy_en,
        "news_ko": news_ko,
        "news_en": news_en,
        "programme": programme,
    }


def body(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("language", ["ko", "en"], ids=str)
def test_search_page_renders_in_both_languages(client, tree, language):
    response = client.get(f"/{language}/search/")
    assert response.status_code == 200
    assert "search/search_page.html" in [t.name for t in response.templates]
    html = body(response)
    assert f'<html lang="{language}">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert re.search(r'<input[^>]*type="search"[^>]*name="q"[^>]*maxlength="200"', html)
    assert f'action="/{language}/search/"' in html


def test_search_url_is_not_taken_by_the_page_tree(client, tree):
    f.publish(f.StandardPageFactory(parent=tree.home["ko"], title="검색", slug="search"))
    response = client.get("/ko/search/")
    assert "search/search_page.html" in [t.name for t in response.templates]


def test_empty_query_shows_help_examples_and_sectors_without_results(client, tree, transport):
    response = client.get("/en/search/?q=+++")
    assert response.status_code == 200
    assert response.context["results"] is None
    html = body(response)
    assert 'class="search-help"' in html
    assert "search-hits" not in html
    assert "filter-errors" not in html
    assert 'href="/en/search/?q=public+transportation"' in html
    assert f'href="/en/search/?sector={transport.slug}"' in html


def test_a_filter_without_a_query_browses_newest_first(client, content):
    response = client.get("/ko/search/?kind=policy")
    results = response.context["results"]
    assert results.total >= 1
    assert {hit.kind for hit in results.hits} == {"policy"}
    dates = [hit.date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert 'class="search-help"' not in body(response)


def test_a_filter_that_matches_nothing_says_so(client, content):
    response = client.get("/en/search/?year=1999")
    assert response.context["results"].total == 0
    assert "No item matches these filters." in body(response)


def test_title_names_the_query(client, content):
    response = client.get("/en/search/?q=bus")
    assert re.search(r"<title>[^<]*“bus”[^<]*</title>", body(response))


def test_a_hit_is_found_and_linked_with_its_words_marked(client, content):
    response = client.get("/ko/search/?q=버스")
    assert response.status_code == 200
    results = response.context["results"]
    urls = [hit.url for hit in results.hits]
    assert content["policy"].url in urls
    html = body(response)
    assert f'href="{content["policy"].url}"' in html
    assert "<mark>" in html
    assert re.search(
        r'<section class="search-results" aria-labelledby="search-results-title">', html
    )
    assert 'id="search-results-title"' in html


def test_the_visitors_language_version_is_shown(client, content):
    response = client.get("/en/search/?q=median bus lanes")
    hits = response.context["results"].hits
    policy = next(
        hit for hit in hits if hit.translation_key == str(content["policy"].translation_key)
    )
    assert policy.url == content["policy_en"].url
    assert policy.language == "en"


def test_an_item_only_in_korean_has_a_badge_on_the_english_page(client, content):
    response = client.get("/en/search/?q=따릉이")
    rows = response.context["rows"]
    row = next(row for row in rows if row["hit"].url == content["news_ko"].url)
    assert row["hit"].other_language_only
    assert row["language_badge"] == "Korean only"
    html = body(response)
    assert "Korean only" in html
    # The Korean title is marked as Korean for screen readers.
    assert f'href="{content["news_ko"].url}" lang="ko" hreflang="ko"' in html


def test_an_item_only_in_english_has_a_badge_on_the_korean_page(client, content):
    response = client.get("/ko/search/?q=congestion charge")
    rows = response.context["rows"]
    row = next(row for row in rows if row["hit"].url == content["news_en"].url)
    assert row["hit"].other_language_only
    assert row["language_badge"]  # "English only", in Korean once translated
    assert row["language_badge"] in body(response)


def test_items_in_the_visitors_language_have_no_badge(client, content):
    response = client.get("/ko/search/?q=버스")
    row = next(row for row in response.context["rows"] if row["hit"].url == content["policy"].url)
    assert row["language_badge"] == ""


def test_facets_show_counts_and_filter_the_results(client, content):
    response = client.get("/ko/search/?q=버스")
    groups = {group["key"]: group for group in response.context["facet_groups"]}
    kinds = {value["label"]: value["count"] for value in groups["kind"]["values"]}
    total = response.context["results"].total
    assert sum(kinds.values()) == total
    assert groups["kind"]["chosen"] == ""

    policy_link = next(v for v in groups["kind"]["values"] if "kind=policy" in v["url"])
    assert policy_link["url"].startswith("/ko/search/?q=")
    filtered = client.get(policy_link["url"])
    results = filtered.context["results"]
    assert results.total == policy_link["count"]
    assert {hit.kind for hit in results.hits} == {"policy"}
    group = next(g for g in filtered.context["facet_groups"] if g["key"] == "kind")
    assert group["chosen"] == "policy"
    # The other kinds stay on offer with the counts they would give.
    assert {value["label"]: value["count"] for value in group["values"]} == kinds
    assert any(value["selected"] for value in group["values"])
    assert "kind" not in group["clear_url"]
    html = body(filtered)
    assert 'aria-current="true"' in html
    assert f'href="{filtered.context["clear_filters_url"]}"' in html


def test_sector_facet_filters_by_slug(client, content):
    response = client.get("/ko/search/?q=버스&sector=transportation")
    results = response.context["results"]
    assert results.total >= 1
    assert {hit.sector_slug for hit in results.hits} == {"transportation"}


def test_bad_filter_values_are_reported_and_ignored(client, content):
    plain = client.get("/ko/search/?q=버스").context["results"].total
    response = client.get("/ko/search/?q=버스&sector=nowhere&kind=poem&year=20x9&lang=fr")
    assert response.status_code == 200
    assert {field.name for field in response.context["invalid_fields"]} == {
        "sector",
        "kind",
        "year",
        "lang",
    }
    assert response.context["results"].total == plain
    html = body(response)
    assert 'class="filter-errors" role="alert"' in html


def test_a_bad_filter_does_not_drop_the_good_ones(client, content):
    response = client.get("/ko/search/?q=버스&kind=policy&year=1066")
    assert [field.name for field in response.context["invalid_fields"]] == ["year"]
    assert {hit.kind for hit in response.context["results"].hits} == {"policy"}


def test_an_overlong_query_is_cut_with_a_notice(client, content):
    query = "버스 " + "가" * 400
    response = client.get("/ko/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["truncated"] is True
    assert len(response.context["query"]) == MAX_QUERY_LENGTH
    html = body(response)
    assert 'class="search-notice" role="status"' in html
    assert f'value="{response.context["query"]}"' in html


def test_a_query_of_the_maximum_length_has_no_notice(client, content):
    response = client.get("/ko/search/", {"q": "가" * MAX_QUERY_LENGTH})
    assert response.context["truncated"] is False
    assert "search-notice" not in body(response)


@pytest.mark.parametrize(
    "page", ["abc", "-1", "0", "1.5", "99999", "%00", "٣", "9" * 5000, ""], ids=repr
)
def test_a_page_that_is_not_a_number_gives_page_one_or_the_last(client, content, page):
    response = client.get("/ko/search/", {"q": "버스", "page": page})
    assert response.status_code == 200
    assert response.context["results"].page >= 1
    assert response.context["invalid_fields"] == []


def test_pagination_keeps_the_query_and_filters(client, tree, transport):
    for n in range(12):
        f.publish(
            f.NewsPageFactory(
                parent=tree.news["ko"],
                title=f"버스 소식 {n}",
                slug=f"bus-news-{n}",
                sector=transport,
            )
        )
    response = client.get("/ko/search/?q=버스&kind=news")
    assert response.context["items_page"].paginator.num_pages == 2
    html = body(response)
    assert 'href="?q=%EB%B2%84%EC%8A%A4&amp;kind=news&amp;page=2"' in html
    second = client.get("/ko/search/?q=버스&kind=news&page=2")
    assert second.context["results"].page == 2
    assert len(second.context["rows"]) == 2


def test_no_results_suggest_what_to_try_and_the_other_language(client, content):
    response = client.get("/ko/search/?q=zqxjvk")
    assert response.context["results"].total == 0
    html = body(response)
    assert 'class="search-tips"' in html
    assert 'href="/en/search/?q=zqxjvk"' in html


def test_glossary_expansions_are_shown(client, content, monkeypatch):
    from portal.search import views
    from portal.search.results import SearchPage

    def fake_search_page(**kwargs):
        return SearchPage(
            query=kwargs["query"], truncated=False, language="ko", total=0, page=1,
            pages=0, per_page=10, expansions=["Seoul Bike", "공공자전거"],
        )  # fmt: skip

    monkeypatch.setattr(views, "search_page", fake_search_page)
    html = body(client.get("/ko/search/?q=따릉이"))
    assert 'class="search-expansions"' in html
    assert "Seoul Bike" in html and "공공자전거" in html


def test_the_query_is_escaped(client, content):
    response = client.get("/en/search/", {"q": '<script>alert("x")</script>'})
    html = body(response)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_language_switcher_keeps_the_search(client, content):
    response = client.get("/ko/search/?q=버스&kind=policy")
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links["en"] == "/en/search/?q=%EB%B2%84%EC%8A%A4&kind=policy"
    assert 'href="/en/search/?q=%EB%B2%84%EC%8A%A4&amp;kind=policy"' in body(response)


@pytest.mark.parametrize("language", ["ko", "en"], ids=str)
def test_every_page_has_a_search_box_in_its_header(client, tree, language):
    html = body(client.get(f"/{language}/"))
    assert f'<form class="header-search" role="search" action="/{language}/search/"' in html
    assert f'data-suggest-url="/{language}/search/suggest/"' in html
    assert "search-suggest.js" in html


def test_suggest_returns_titles_as_json(client, content):
    response = client.get("/ko/search/suggest/?q=+버스+")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["query"] == "버스"
    titles = [s["title"] for s in data["suggestions"]]
    assert "버스 중앙차로" in titles
    assert {"title", "url", "language"} <= set(data["suggestions"][0])


def test_suggest_with_an_empty_query_suggests_nothing(client, content):
    data = json.loads(client.get("/ko/search/suggest/?q=%20").content)
    assert data == {"query": "", "suggestions": []}


def test_suggest_cuts_a_long_query(client, content):
    data = json.loads(client.get("/en/search/suggest/", {"q": "b" * 1000}).content)
    assert len(data["query"]) == MAX_QUERY_LENGTH
    assert data["suggestions"] == []


@pytest.mark.parametrize("path", ["/ko/search/", "/en/search/suggest/"], ids=str)
@pytest.mark.parametrize("method", ["post", "put", "delete"], ids=str)
def test_only_get_is_allowed(client, tree, path, method):
    response = getattr(client, method)(path, {"q": "버스"})
    assert response.status_code == 405
