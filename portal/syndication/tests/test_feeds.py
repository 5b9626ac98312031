"""The board feeds parse, and carry the board's public items in the feed's language only."""

import datetime as dt

import feedparser
import pytest

from portal.core.tests import factories as f
from portal.syndication import feeds

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def fetch(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def links(parsed) -> list[str]:
    return [entry.link for entry in parsed.entries]


FORMATS = ("rss", "atom")
# Each feed's items, newest first; the fixture is costly, so one test reads every feed.
EXPECTED = {
    ("news", "ko"): ["/ko/news/korean-only/", "/ko/news/summit/", "/ko/news/bus/"],
    ("news", "en"): ["/en/news/summit/", "/en/news/bus/"],
    ("archives", "ko"): ["/ko/archives/report/", "/ko/archives/brochure/"],
    ("archives", "en"): ["/en/archives/report/", "/en/archives/brochure/"],
    ("policies", "ko"): ["/ko/policies/bus-policy/"],
    ("policies", "en"): ["/en/policies/bus-policy/"],
}


def test_every_feed_parses_with_the_language_s_items_newest_first(client, content):
    for (board, language), expected in EXPECTED.items():
        for fmt in FORMATS:
            response, parsed = fetch(client, f"/{language}/feeds/{board}/{fmt}/")
            assert links(parsed) == [HOST + path for path in expected], (board, language, fmt)
            assert parsed.feed.language == language
            assert response["Content-Type"].startswith(f"application/{fmt}+xml")


def test_drafts_and_unpublished_items_are_left_out(client, content):
    _, parsed = fetch(client, "/ko/feeds/news/rss/")
    titles = [entry.title for entry in parsed.entries]
    assert "초안" not in titles
    assert "내린 소식" not in titles


def test_a_korean_only_item_is_not_in_the_english_feed(client, content):
    _, parsed = fetch(client, "/en/feeds/news/atom/")
    assert "한국어로만 쓴 소식" not in [entry.title for entry in parsed.entries]
    assert not any("korean-only" in link for link in links(parsed))


def test_feed_titles_and_links_are_in_the_feed_s_language(client, content):
    for fmt in FORMATS:
        _, ko = fetch(client, f"/ko/feeds/news/{fmt}/")
        _, en = fetch(client, f"/en/feeds/policies/{fmt}/")
        assert ko.feed.title == "서울솔루션 – 뉴스"
        assert en.feed.title == "Seoul Solution – Policies"
        assert ko.feed.link == f"{HOST}/ko/news/"
        assert en.feed.link == f"{HOST}/en/policies/"


def test_an_item_carries_its_summary_dates_author_categories_and_id(client, content):
    for fmt in FORMATS:
        _, parsed = fetch(client, f"/ko/feeds/news/{fmt}/")
        entry = next(e for e in parsed.entries if e.link == f"{HOST}/ko/news/summit/")
        assert entry.title == "CAC 글로벌 서밋"
        assert entry.summary == "온라인 국제회의가 막을 내렸다."
        assert entry.id == f"{HOST}/ko/news/summit/"
        assert entry.author == "seoulsolution"
        assert {tag.term for tag in entry.tags} == {"보건", "기후", "회의"}
        # The item's own date (feedparser reads it in UTC: Seoul's morning is the eve).
        published = dt.date(*entry.published_parsed[:3])
        assert published in (dt.date(2020, 6, 10), dt.date(2020, 6, 11)), fmt
        if fmt == "atom":  # RSS 2.0 has no update date
            assert entry.updated_parsed is not None


def test_english_categories_name_the_sector_in_english(client, content):
    _, parsed = fetch(client, "/en/feeds/news/rss/")
    entry = next(e for e in parsed.entries if e.link == f"{HOST}/en/news/bus/")
    assert [tag.term for tag in entry.tags] == ["Transport"]


def test_an_archive_item_encloses_its_document(client, content):
    _, parsed = fetch(client, "/ko/feeds/archives/rss/")
    entry = next(e for e in parsed.entries if e.link == f"{HOST}/ko/archives/report/")
    [enclosure] = entry.enclosures
    assert enclosure.href.startswith(f"{HOST}/documents/")
    assert enclosure.type == "application/pdf"


def test_a_sector_feed_has_only_that_sector_s_items(client, content):
    for fmt in FORMATS:
        _, parsed = fetch(client, f"/ko/feeds/news/{fmt}/?sector=health")
        assert links(parsed) == [f"{HOST}/ko/news/korean-only/", f"{HOST}/ko/news/summit/"]
        assert parsed.feed.title == "서울솔루션 – 뉴스 – 보건"
        assert parsed.feed.link == f"{HOST}/ko/news/?sector=health"
    _, english = fetch(client, "/en/feeds/news/rss/?sector=transport")
    assert links(english) == [f"{HOST}/en/news/bus/"]


def test_an_unknown_sector_is_a_404_that_says_so(client, content):
    response = client.get("/en/feeds/news/rss/?sector=nowhere")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "“nowhere”" in text
    assert "health" in text and "transport" in text


def test_an_unknown_board_or_format_is_a_404(client, content):
    assert client.get("/ko/feeds/partners/rss/").status_code == 404
    assert client.get("/ko/feeds/news/json/").status_code == 404


def test_items_of_one_day_are_ordered_by_publication_time(client, tree):
    first = f.publish(
        f.PolicyPageFactory(parent=tree.policies["ko"], slug="first", date=dt.date(2022, 1, 1))
    )
    second = f.publish(
        f.PolicyPageFactory(parent=tree.policies["ko"], slug="second", date=dt.date(2022, 1, 1))
    )
    older = f.publish(
        f.PolicyPageFactory(parent=tree.policies["ko"], slug="older", date=dt.date(2021, 1, 1))
    )
    _, parsed = fetch(client, "/ko/feeds/policies/atom/")
    assert links(parsed) == [HOST + p.url for p in (second, first, older)]
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)


def test_a_feed_holds_at_most_the_limit(client, tree, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LIMIT", 2)
    for day in range(1, 4):
        f.publish(f.NewsPageFactory(parent=tree.news["ko"], date=dt.date(2020, 1, day)))
    _, parsed = fetch(client, "/ko/feeds/news/rss/")
    assert len(parsed.entries) == 2


def test_a_private_item_is_left_out(client, content):
    from wagtail.models import PageViewRestriction

    page = content.news["bus"]["ko"]
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    _, parsed = fetch(client, "/ko/feeds/news/rss/")
    assert f"{HOST}/ko/news/bus/" not in links(parsed)
