"""Searches are logged without personal data, opened results are tied to them, and the
editors' dashboard shows numbers that match what was recorded."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from portal.core.tests import factories as f
from portal.counts.models import CountKind, DailyCount, SearchLog
from portal.counts.services import count_event
from portal.programmes.selectors import seoul_today

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0"}


@pytest.fixture
def post(tree):
    return f.publish(
        f.NewsPageFactory(parent=tree.news["ko"], title="버스 전용차로", slug="bus-lanes")
    )


def _search(client, query):
    response = client.get("/ko/search/", {"q": query}, **BROWSER)
    html = response.content.decode()
    beacon = re.search(r'src="(/count/search\.gif\?[^"]+)"', html)
    return html, beacon.group(1).replace("&amp;", "&") if beacon else None


def test_a_search_is_logged_from_its_results_page_even_when_cached(client, settings, post):
    settings.PAGE_CACHE_SECONDS = 600
    for _ in range(2):
        _html, beacon = _search(client, "버스")
        assert client.get(beacon, **BROWSER).status_code == 200
    _html, beacon = _search(client, "zqxjvk없는말")
    client.get(beacon, **BROWSER)
    rows = list(SearchLog.objects.order_by("pk").values_list("query", "language", "results"))
    assert rows[:2] == [("버스", "ko", rows[0][2])] * 2 and rows[0][2] >= 1
    assert rows[2] == ("zqxjvk없는말", "ko", 0)
    fields = {field.name for field in SearchLog._meta.get_fields()}
    assert fields == {"id", "query", "language", "results", "searched_at", "clicked_page"}


def test_bad_beacon_parameters_store_nothing(client):
    for params in ({"q": "", "lang": "ko", "n": "1"}, {"q": "x", "lang": "fr", "n": "1"},
                   {"q": "x", "lang": "ko", "n": "many"}, {"q": "x", "lang": "ko"}):  # fmt: skip
        assert client.get("/count/search.gif", params, **BROWSER).status_code == 200
    client.get("/count/search.gif", {"q": "bus", "lang": "en", "n": "3"}, HTTP_USER_AGENT="curl/8")
    assert not SearchLog.objects.exists()


def test_an_opened_result_is_recorded_on_its_search(client, post):
    html, beacon = _search(client, "버스")
    client.get(beacon, **BROWSER)
    ping = re.search(r'ping="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert ping.startswith(f"http://testserver/count/opened/{post.pk}/")
    assert client.post(ping, **BROWSER).status_code == 204
    assert SearchLog.objects.get().clicked_page_id == post.pk
    # Another ping with no search left to attach it to changes nothing.
    client.post(ping, **BROWSER)
    assert SearchLog.objects.filter(clicked_page__isnull=False).count() == 1


def test_the_dashboard_is_refused_to_visitors(client, django_user_model):
    response = client.get(reverse("counts_dashboard"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("visitor", password="pw"))
    response = client.get(reverse("counts_dashboard"))
    assert response.status_code in (302, 403)


def test_the_dashboard_numbers_match_the_events_recorded(admin_client, post, tree):
    other = f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="지하철 안전", slug="m"))
    document = Document.objects.create(
        title="아리수 안내서", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="arisu.pdf")
    )
    for _ in range(4):
        count_event(kind=CountKind.PAGE_VIEW, object_id=post.pk)
    count_event(kind=CountKind.PAGE_VIEW, object_id=other.pk)
    for _ in range(3):
        count_event(kind=CountKind.DOWNLOAD, object_id=document.pk)
    # Views older than the period chosen are left out.
    DailyCount.objects.create(
        kind=CountKind.PAGE_VIEW, object_id=other.pk,
        day=seoul_today() - dt.timedelta(days=40), count=50,
    )  # fmt: skip
    for query, results in (("버스", 2), ("버스", 2), ("무지개다리", 0)):
        SearchLog.objects.create(query=query, language="ko", results=results)

    html = admin_client.get(reverse("counts_dashboard"), {"days": "30"}).content.decode()
    read = html[html.index('id="read-title"') :]
    assert re.search(r"버스 전용차로</a>.*?</td><td>4</td>", read, re.S)
    assert re.search(r"지하철 안전</a>.*?</td><td>1</td>", read, re.S)
    assert re.search(r"아리수 안내서</a></td><td>3</td>", html)
    assert "5 views" in html or "조회 5회" in html
    top = html[html.index('id="searches-title"') :]
    assert re.search(r">버스</td><td>2</td>", top)
    empty = html[html.index('id="empty-title"') :]
    assert "무지개다리" in empty and "버스</td>" not in empty
    add = reverse("wagtailsnippets_glossary_synonymset:add")
    assert f"{add}?term=%EB%AC%B4%EC%A7%80%EA%B0%9C%EB%8B%A4%EB%A6%AC" in empty

    html = admin_client.get(reverse("counts_dashboard"), {"days": "365"}).content.decode()
    assert re.search(r"지하철 안전</a>.*?</td><td>51</td>", html, re.S)


def test_a_bad_period_falls_back_with_a_message(admin_client):
    response = admin_client.get(reverse("counts_dashboard"), {"days": "abc"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "abc" in html and ("selected>" in html)


def test_the_glossary_form_starts_with_the_term(admin_client):
    add = reverse("wagtailsnippets_glossary_synonymset:add")
    html = admin_client.get(add, {"term": "무지개다리"}).content.decode()
    assert 'value="무지개다리"' in html
