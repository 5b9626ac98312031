"""Every page names its canonical address, its language versions, its feeds and its
OpenGraph preview in <head>."""

import pytest

from portal.news.models import NewsIndexPage
from portal.syndication.tests.conftest import parse_head

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def head(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    return parse_head(response.content.decode())


def hreflangs(parsed) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in parsed.links
        if link.get("rel") == "alternate" and "hreflang" in link
    }


@pytest.mark.parametrize(
    ("language", "title", "locale", "other_locale"),
    [("ko", "CAC 글로벌 서밋", "ko_KR", "en_US"), ("en", "CAC Global Summit", "en_US", "ko_KR")],
)
def test_a_detail_page_head(client, content, language, title, locale, other_locale):
    parsed = head(client, f"/{language}/news/summit/?utm_source=mail")
    url = f"{HOST}/{language}/news/summit/"
    assert parsed.link_hrefs("canonical") == [url]
    assert hreflangs(parsed) == {
        "ko": f"{HOST}/ko/news/summit/",
        "en": f"{HOST}/en/news/summit/",
        "x-default": f"{HOST}/ko/news/summit/",
    }
    assert parsed.meta("og:title") == [title]
    assert parsed.meta("og:url") == [url]
    assert parsed.meta("og:type") == ["article"]
    assert parsed.meta("og:locale") == [locale]
    assert parsed.meta("og:locale:alternate") == [other_locale]
    assert parsed.meta("og:site_name") == ["서울솔루션" if language == "ko" else "Seoul Solution"]
    assert parsed.meta("og:description")[0]
    assert parsed.meta("description") == parsed.meta("og:description")
    [image] = parsed.meta("og:image")
    assert image.startswith(f"{HOST}/")
    assert parsed.meta("twitter:card") == ["summary"]
    assert parsed.meta("article:published_time")
    # The board's feeds, in the page's language.
    assert parsed.link_hrefs("alternate", type="application/rss+xml") == [
        f"/{language}/feeds/news/rss/"
    ]
    assert parsed.link_hrefs("alternate", type="application/atom+xml") == [
        f"/{language}/feeds/news/atom/"
    ]


@pytest.mark.parametrize(("language", "title"), [("ko", "아카이브"), ("en", "Archives")])
def test_a_listing_head(client, content, language, title):
    parsed = head(client, f"/{language}/archives/?kind=report&sector=transport")
    url = f"{HOST}/{language}/archives/"
    assert parsed.link_hrefs("canonical") == [url]
    assert hreflangs(parsed) == {
        "ko": f"{HOST}/ko/archives/",
        "en": f"{HOST}/en/archives/",
        "x-default": f"{HOST}/ko/archives/",
    }
    assert parsed.meta("og:title") == [title]
    assert parsed.meta("og:url") == [url]
    assert parsed.meta("og:type") == ["website"]
    assert parsed.meta("og:locale") == ["ko_KR" if language == "ko" else "en_US"]
    assert parsed.meta("og:image") == []
    assert parsed.link_hrefs("alternate", type="application/rss+xml") == [
        f"/{language}/feeds/archives/rss/"
    ]


def test_a_listing_s_later_page_keeps_its_page_number(client, content, monkeypatch):
    monkeypatch.setattr(NewsIndexPage, "paginate_by", 1)
    parsed = head(client, "/en/news/?page=2&ref=mail")
    assert parsed.link_hrefs("canonical") == [f"{HOST}/en/news/?page=2"]
    assert hreflangs(parsed)["ko"] == f"{HOST}/ko/news/?page=2"
    # Out of range: the last page is shown, and named.
    parsed = head(client, "/en/news/?page=99")
    assert parsed.link_hrefs("canonical") == [f"{HOST}/en/news/?page=2"]


def test_a_page_without_translation_has_no_other_language(client, content):
    parsed = head(client, "/ko/news/korean-only/")
    assert hreflangs(parsed) == {
        "ko": f"{HOST}/ko/news/korean-only/",
        "x-default": f"{HOST}/ko/news/korean-only/",
    }
    assert parsed.meta("og:locale:alternate") == []


def test_the_home_page_offers_the_news_feed(client, content):
    parsed = head(client, "/en/")
    assert parsed.link_hrefs("canonical") == [f"{HOST}/en/"]
    assert parsed.link_hrefs("alternate", type="application/rss+xml") == ["/en/feeds/news/rss/"]
    assert parsed.meta("og:type") == ["website"]


@pytest.mark.parametrize(
    "path", ["/ko/policies/bus-policy/", "/en/programmes/course/", "/ko/partners/"]
)
def test_other_pages_have_canonical_and_opengraph(client, content, path):
    parsed = head(client, path)
    assert parsed.link_hrefs("canonical") == [HOST + path]
    assert parsed.meta("og:url") == [HOST + path]
    assert {"ko", "en", "x-default"} <= set(hreflangs(parsed))


def test_the_programme_board_advertises_no_feed(client, content):
    parsed = head(client, "/ko/programmes/")
    assert parsed.link_hrefs("alternate", type="application/rss+xml") == []


def test_the_request_form_links_its_language_versions(client, content):
    parsed = head(client, "/en/inquiries/request/?page=1")
    assert parsed.link_hrefs("canonical") == [f"{HOST}/en/inquiries/request/"]
    assert hreflangs(parsed)["ko"] == f"{HOST}/ko/inquiries/request/"
    assert parsed.meta("og:title")


def test_an_error_page_claims_no_canonical_address(client, content):
    response = client.get("/ko/no-such-page/")
    assert response.status_code == 404
    parsed = parse_head(response.content.decode())
    assert parsed.link_hrefs("canonical") == []
    assert parsed.meta("og:url") == []


def test_previews_render_with_their_metadata(content, rf, admin_user):
    """The admin's preview of a draft renders, and a page not yet saved (the preview of a
    new page) can be described."""
    import datetime as dt

    from portal.news.models import NewsPage
    from portal.syndication.metadata import page_meta

    draft = content.drafts[0].specific
    request = rf.get("/")
    request.user = admin_user
    response = draft.make_preview_request(request)
    assert response.status_code == 200
    assert 'property="og:title" content="초안"' in response.content.decode()

    parent = content.news["summit"]["ko"].get_parent()
    new = NewsPage(title="새 소식", slug="new", date=dt.date(2024, 1, 1), author="a", body="b")
    new.locale = parent.locale
    new.set_url_path(parent)
    meta = page_meta(request, new)
    assert meta.title == "새 소식"
    assert meta.json_ld and "NewsArticle" in meta.json_ld
