"""The sitemap lists every live public page once per language with its language
versions, and robots.txt points at it."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from wagtail.models import Page, PageViewRestriction

from portal.syndication.sitemaps import PortalSitemap

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def read_urlset(client, url: str) -> dict[str, dict]:
    """Each <url> of a sitemap file by location: its lastmod and hreflang links."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries: dict[str, dict] = {}
    for element in root.findall("s:url", NS):
        location = element.findtext("s:loc", namespaces=NS)
        assert location not in entries, f"{location} listed twice"
        entries[location] = {
            "lastmod": element.findtext("s:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href") for link in element.findall("x:link", NS)
            },
        }
    return entries


def expected_locations() -> set[str]:
    pages = Page.objects.live().public().filter(depth__gt=1)
    return {HOST + page.url for page in pages}


def test_every_published_page_is_listed_once_per_language(client, content):
    entries = read_urlset(client, "/sitemap.xml")
    assert set(entries) == expected_locations()
    assert f"{HOST}/ko/news/summit/" in entries
    assert f"{HOST}/en/news/summit/" in entries
    assert f"{HOST}/ko/partners/" in entries
    assert f"{HOST}/en/programmes/course/" in entries


def test_drafts_unpublished_and_private_pages_are_not_listed(client, content):
    PageViewRestriction.objects.create(
        page=content.archives["brochure"]["en"], restriction_type="login"
    )
    entries = read_urlset(client, "/sitemap.xml")
    for path in ("/ko/news/draft/", "/ko/news/withdrawn/", "/en/archives/brochure/"):
        assert HOST + path not in entries
    assert f"{HOST}/ko/archives/brochure/" in entries
    # The Korean version no longer names a private English one.
    assert "en" not in entries[f"{HOST}/ko/archives/brochure/"]["alternates"]


def test_every_url_has_a_lastmod(client, content):
    entries = read_urlset(client, "/sitemap.xml")
    assert all(entry["lastmod"] for entry in entries.values())


def test_hreflang_links_name_both_versions_and_x_default_the_korean_one(client, content):
    entries = read_urlset(client, "/sitemap.xml")
    expected = {
        "ko": f"{HOST}/ko/news/summit/",
        "en": f"{HOST}/en/news/summit/",
        "x-default": f"{HOST}/ko/news/summit/",
    }
    assert entries[f"{HOST}/ko/news/summit/"]["alternates"] == expected
    assert entries[f"{HOST}/en/news/summit/"]["alternates"] == expected
    assert entries[f"{HOST}/ko/news/korean-only/"]["alternates"] == {
        "ko": f"{HOST}/ko/news/korean-only/",
        "x-default": f"{HOST}/ko/news/korean-only/",
    }


def test_every_hreflang_link_answers(client, content):
    entries = read_urlset(client, "/sitemap.xml")
    targets = {href for entry in entries.values() for href in entry["alternates"].values()}
    assert targets
    for href in sorted(targets):
        assert href.startswith(HOST)
        assert client.get(urlsplit(href).path).status_code == 200, href


def test_locations_use_the_requesting_host(client, content):
    response = client.get("/sitemap.xml", HTTP_HOST="portal.example.org")
    assert b"http://portal.example.org/ko/news/summit/" in response.content
    assert b"localhost" not in response.content


def test_a_large_site_gets_a_sitemap_index(client, content, monkeypatch):
    monkeypatch.setattr(PortalSitemap, "limit", 5)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    files = [element.findtext("s:loc", namespaces=NS) for element in root.findall("s:sitemap", NS)]
    assert files[0] == f"{HOST}/sitemap-pages.xml"
    assert files[1] == f"{HOST}/sitemap-pages.xml?p=2"
    listed: set[str] = set()
    for url in files:
        split = urlsplit(url)
        entries = read_urlset(client, f"{split.path}?{split.query}" if split.query else split.path)
        assert len(entries) <= 5
        assert not listed & set(entries)
        listed |= set(entries)
    assert listed == expected_locations()


def test_robots_txt_allows_all_but_admin_search_and_confirmations(client, content):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for rule in (
        "Disallow: /admin/",
        "Disallow: /ko/search/",
        "Disallow: /en/search/",
        "Disallow: /ko/inquiries/request/sent/",
        "Disallow: /en/inquiries/request/sent/",
        "Disallow: /ko/programmes/*/applied/",
        "Disallow: /en/programmes/*/applied/",
        "Allow: /",
        "Sitemap: http://testserver/sitemap.xml",
    ):
        assert rule in lines
    assert not any(line == "Disallow: /" for line in lines)
