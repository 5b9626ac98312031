"""Views and downloads are counted for people, from cached pages too, without cookies or
addresses; pages show their views and the home page its most read items."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from portal.core.page_cache import HEADER
from portal.core.tests import factories as f
from portal.counts.models import CountKind, DailyCount
from portal.counts.selectors import total

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0"}
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0",
    "python-requests/2.32",
    "curl/8.5.0",
    "",
]


@pytest.fixture
def post(tree):
    return f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="첫 소식", slug="first"))


def _beacon(html: str) -> str:
    found = re.search(r'<img class="view-beacon" src="([^"]+)"', html)
    assert found, "no beacon on the page"
    return found.group(1)


def test_a_view_of_a_cached_page_is_counted(client, settings, post):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/ko/news/first/", **BROWSER)
    second = client.get("/ko/news/first/", **BROWSER)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    for response in (first, second):
        beacon = client.get(_beacon(response.content.decode()), **BROWSER)
        assert beacon.status_code == 200 and beacon["Content-Type"] == "image/gif"
    assert total(kind=CountKind.PAGE_VIEW, object_id=post.pk) == 2


def test_counting_sets_no_cookie_and_is_never_cached(client, post):
    response = client.get(f"/count/view/{post.pk}.gif", **BROWSER)
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


def test_nothing_about_the_visitor_is_stored(client, post):
    client.get(f"/count/view/{post.pk}.gif", REMOTE_ADDR="203.0.113.7", **BROWSER)
    fields = {field.name for field in DailyCount._meta.get_fields()}
    assert fields == {"id", "kind", "object_id", "day", "count"}
    row = DailyCount.objects.get()
    assert "203.0.113.7" not in str(row.__dict__)


@pytest.mark.parametrize("agent", BOTS)
def test_bots_are_not_counted(client, post, agent):
    response = client.get(f"/count/view/{post.pk}.gif", HTTP_USER_AGENT=agent)
    assert response.status_code == 200
    assert not DailyCount.objects.exists()


def test_prefetches_are_not_counted(client, post):
    client.get(f"/count/view/{post.pk}.gif", HTTP_SEC_PURPOSE="prefetch", **BROWSER)
    assert not DailyCount.objects.exists()


def test_unknown_or_unpublished_pages_are_not_counted(client, post):
    assert client.get("/count/view/999999.gif", **BROWSER).status_code == 200
    post.unpublish()
    client.get(f"/count/view/{post.pk}.gif", **BROWSER)
    assert not DailyCount.objects.exists()
    assert client.post(f"/count/view/{post.pk}.gif", **BROWSER).status_code == 405


def test_previews_carry_no_beacon(admin_client, post):
    html = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[post.pk]))
    html = html.content.decode()
    assert "첫 소식" in html and "post-views" in html  # the page itself, rendered
    assert "view-beacon" not in html


def test_detail_pages_show_their_views(client, post):
    for _ in range(3):
        client.get(f"/count/view/{post.pk}.gif", **BROWSER)
    html = client.get("/ko/news/first/").content.decode()
    assert re.search(r"<dt>조회수</dt>\s*<dd>3</dd>", html)
    english = f.translate(post, "en", title="First story")
    client.get(f"/count/view/{english.pk}.gif", **BROWSER)
    html = client.get(english.url).content.decode()
    assert re.search(r"<dt>Views</dt>\s*<dd>1</dd>", html)


def test_the_home_page_lists_the_most_read_items(client, tree, post):
    other = f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="둘째 소식", slug="second"))
    for page, views in ((post, 2), (other, 5)):
        for _ in range(views):
            client.get(f"/count/view/{page.pk}.gif", **BROWSER)
    html = client.get("/ko/").content.decode()
    block = html[html.index("home-most-read") :]
    assert block.index("둘째 소식") < block.index("첫 소식")
    assert "조회 5회" in block


def test_downloads_are_counted_for_people_only(client):
    document = Document.objects.create(
        title="Arisu", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="arisu.pdf")
    )
    client.get(document.url, **BROWSER)
    client.get(document.url, HTTP_USER_AGENT=BOTS[0])
    client.get(document.url, HTTP_RANGE="bytes=0-99", **BROWSER)
    assert total(kind=CountKind.DOWNLOAD, object_id=document.pk) == 1
