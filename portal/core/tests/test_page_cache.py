"""The page cache: anonymous pages come from the shared cache until content changes; what
is private, previewed or posted never does; conditional requests get 304; and pages are
served when the cache store is down."""

import datetime as dt
import logging
import zoneinfo
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core import content_version as cv
from portal.core.cache import CacheUnavailable, ResilientFileBasedCache, ResilientRedisCache
from portal.core.page_cache import HEADER, PageCacheApp
from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), response.status_code
    return response


@pytest.fixture
def post(tree):
    return f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="첫 소식", slug="first"))


def test_the_second_anonymous_visit_is_served_from_the_cache_without_queries(client, post):
    first = _get(client, "/ko/news/first/")
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = _get(client, "/ko/news/first/")
    assert second[HEADER] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Language"] == "ko"
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_each_language_and_query_has_its_own_entry(client, tree, post):
    f.translate(post, "en", title="First story")
    assert "첫 소식" in _get(client, "/ko/news/").content.decode()
    english = _get(client, "/en/news/")
    assert english[HEADER] == "miss" and "First story" in english.content.decode()
    assert _get(client, "/ko/news/?page=1")[HEADER] == "miss"


@pytest.mark.parametrize("change", ["edit", "unpublish", "move", "delete"])
def test_a_change_of_a_page_shows_on_every_page_that_shows_it(client, tree, post, change):
    for url in ("/ko/", "/ko/news/", "/ko/news/first/"):
        _get(client, url)
        assert _get(client, url)[HEADER] == "hit"
    if change == "edit":
        post.title = "고친 소식"
        f.publish(post)
    elif change == "unpublish":
        post.unpublish()
    elif change == "move":
        post.move(tree.policies["ko"], pos="last-child")
    else:
        post.delete()
    for url in ("/ko/", "/ko/news/"):
        html = _get(client, url).content.decode()
        assert "첫 소식" not in html
        assert ("고친 소식" in html) == (change == "edit")
    expected = {"edit": 200, "move": 301}.get(change, 404)  # a moved page leaves a redirect
    assert client.get("/ko/news/first/").status_code == expected


def test_a_change_made_by_another_worker_is_seen_at_once(client, tmp_path, settings, post):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientFileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    _get(client, "/ko/news/first/")
    assert _get(client, "/ko/news/first/")[HEADER] == "hit"
    other_worker = caches.create_connection("default")  # its own client of the same store
    other_worker.set(cv.KEY, "published-elsewhere", timeout=None)
    assert _get(client, "/ko/news/first/")[HEADER] == "miss"


def test_a_partner_changed_in_the_admin_shows_on_the_home_page(client, tree):
    partner = f.PartnerFactory(slug="citynet", name_en="CityNet", show_on_home=True)
    assert "CityNet" in _get(client, "/en/").content.decode()
    assert _get(client, "/en/")[HEADER] == "hit"
    partner.name_en = "CityNet Asia-Pacific"
    partner.save()
    assert "CityNet Asia-Pacific" in _get(client, "/en/").content.decode()


def test_a_new_glossary_entry_changes_cached_search_results(client, tree):
    from portal.glossary.models import SynonymSet

    _get(client, "/ko/search/?q=metro")
    assert _get(client, "/ko/search/?q=metro")[HEADER] == "hit"
    SynonymSet.objects.create(terms="지하철\nmetro\nsubway")
    assert _get(client, "/ko/search/?q=metro")[HEADER] == "miss"


def test_a_conditional_request_is_answered_304(client, post):
    first = _get(client, "/ko/news/first/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/ko/news/first/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/ko/news/first/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get("/ko/news/first/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_after_a_change_the_old_etag_no_longer_matches(client, post):
    etag = _get(client, "/ko/news/first/")["ETag"]
    post.title = "고친 소식"
    f.publish(post)
    response = client.get("/ko/news/first/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "고친 소식" in response.content.decode()


def test_a_signed_in_editor_bypasses_the_cache_and_gets_a_private_page(admin_client, client, post):
    _get(client, "/ko/news/first/")  # cached for visitors
    response = _get(admin_client, "/ko/news/first/")
    assert HEADER not in response
    assert "private" in response["Cache-Control"]
    assert _get(client, "/ko/news/first/")[HEADER] == "hit"


def test_a_draft_seen_in_preview_is_never_cached(admin_client, client, post):
    post.title = "초안 제목"
    post.save_revision()
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[post.pk]))
    assert "초안 제목" in preview.content.decode()
    assert HEADER not in preview
    html = _get(client, "/ko/news/first/").content.decode()
    assert "초안 제목" not in html and "첫 소식" in html


def test_posts_and_forms_are_never_stored(client, tree):
    form = client.get("/ko/inquiries/request/")
    assert form.status_code == 200 and "csrftoken" in form.cookies
    assert client.get("/ko/inquiries/request/")[HEADER] == "miss"
    posted = client.post("/ko/search/", {"q": "물"})
    assert HEADER not in posted


def test_a_session_cookie_bypasses_the_cache(client, post):
    _get(client, "/ko/news/first/")
    client.cookies["sessionid"] = "anything"
    assert HEADER not in _get(client, "/ko/news/first/")


def test_entries_end_at_midnight_in_seoul(client, post):
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    late = dt.datetime(2026, 11, 27, 23, 59, 30, tzinfo=seoul)
    with mock.patch("django.utils.timezone.now", return_value=late):
        assert cv.seconds_until_midnight() == 30
        with mock.patch.object(cv.cache, "set", wraps=cv.cache.set) as stored:
            _get(client, "/ko/news/first/")
    page_sets = [c for c in stored.call_args_list if ":page:" in str(c.args[0])]
    assert page_sets and page_sets[0].kwargs["timeout"] == 30


def test_pages_are_served_when_the_cache_store_is_down(client, settings, post, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    caplog.set_level(logging.ERROR, logger="portal.core.cache")
    for url in ("/ko/", "/ko/news/", "/ko/news/first/", "/en/", "/ko/search/?q=소식"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response[HEADER] == "miss"
    assert "첫 소식" in client.get("/ko/news/first/").content.decode()
    assert "Cache store unreachable" in caplog.text
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_the_resilient_backend_answers_defaults_then_tries_again(tmp_path, caplog):
    down = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    assert down.get("k", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    assert down.add("k", 1) is False
    assert down.set("k", 1) is None
    with pytest.raises(CacheUnavailable):
        down.incr("k")
    with mock.patch("portal.core.cache.time.monotonic", return_value=10**9):
        assert down._available()  # retried after RETRY_SECONDS

    files = ResilientFileBasedCache(str(tmp_path / "cache"), {})
    files.set("k", 1)
    assert files.get("k") == 1 and files.incr("k") == 2
    with pytest.raises(ValueError):
        files.incr("missing")  # a caller's mistake still raises
    with mock.patch("builtins.open", side_effect=PermissionError("read-only")):
        assert files.get("k", "default") == "default"


def _environ(path: str, **extra) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        **extra,
    }


def _call(app, environ):
    sent = {}
    body = b"".join(
        app(environ, lambda status, headers: sent.update(status=status, headers=headers))
    )
    return sent["status"], dict(sent["headers"]), body


def test_the_wsgi_door_sends_a_stored_page_without_building_a_request(client, post):
    stored = _get(client, "/ko/news/first/")  # stored through Django
    django = mock.Mock(side_effect=AssertionError("Django was asked"))
    app = PageCacheApp(django)
    status, headers, body = _call(app, _environ("/ko/news/first/"))
    assert status == "200 OK" and body == stored.content
    assert headers[HEADER] == "hit" and headers["ETag"] == stored["ETag"]
    assert headers["Content-Language"] == "ko" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Length"] == str(len(body))
    status, headers, body = _call(
        app, _environ("/ko/news/first/", HTTP_IF_NONE_MATCH=stored["ETag"])
    )
    assert status == "304 Not Modified" and body == b"" and headers["ETag"] == stored["ETag"]


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "csrftoken=x; sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"REQUEST_METHOD": "POST"},
        {"HTTP_HOST": "other.example"},
        {"QUERY_STRING": "page=2"},
        {"HTTP_X_FORWARDED_PROTO": "https"},
    ],
)
def test_the_wsgi_door_leaves_everything_else_to_django(client, post, settings, extra):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    _get(client, "/ko/news/first/")
    django = mock.Mock(return_value=[b"from django"])
    body = PageCacheApp(django)(_environ("/ko/news/first/", **extra), mock.Mock())
    assert django.called and body == [b"from django"]


def _redis_or_skip() -> None:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")


def _eventually(check, seconds: float = 3.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_change_made_by_another_process_reaches_this_one_through_redis(settings):
    import uuid

    _redis_or_skip()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    first = cv.content_version()
    assert _eventually(lambda: cv._listener.version == first)
    other_process = caches.create_connection("default")
    other_process.set(cv.KEY, "published-elsewhere", timeout=None)
    other_process.notify(cv.KEY)
    assert _eventually(lambda: cv.content_version() == "published-elsewhere")
    # Read from this process's copy, not the store: a write nobody announces is not seen
    # (every change of content announces itself through content_changed).
    other_process.set(cv.KEY, "unannounced", timeout=None)
    assert cv.content_version() == "published-elsewhere"
    cv.content_changed()  # a change made here is seen here at once, and then announced
    mine = cv.content_version()
    assert mine not in ("published-elsewhere", "unannounced")
    assert _eventually(lambda: cv._listener.version == mine)


def test_a_version_read_before_this_process_changed_it_is_not_kept():
    # The listener's thread reads the store; meanwhile this process changes the version.
    # What the thread read is the old version and must not become this process's copy.
    listener = cv._Listener()

    def read_while_changed_here():
        with listener.changing():
            pass
        return "old"

    with mock.patch.object(cv, "_read_version", read_while_changed_here):
        listener._refresh()
    assert listener.version is None
    with mock.patch.object(cv, "_read_version", return_value="new"):
        listener._refresh()
    assert listener.version == "new"


def test_a_notification_read_during_a_change_made_here_is_kept():
    # The change's own notification may reach the thread before the change is over: its
    # read waits for the end of the change, and is kept (the copy is not lost).
    import threading

    listener = cv._Listener()
    with mock.patch.object(cv, "_read_version", return_value="new"):
        with listener.changing():
            thread = threading.Thread(target=listener._refresh)
            thread.start()
            thread.join(timeout=0.2)
            assert thread.is_alive()  # waiting for the change to end
        thread.join(timeout=5)
    assert listener.version == "new"


def test_a_stored_page_carries_the_requests_own_id(client, post):
    stored = _get(client, "/ko/news/first/")
    app = PageCacheApp(mock.Mock(side_effect=AssertionError("Django was asked")))
    _status, first, _body = _call(app, _environ("/ko/news/first/"))
    _status, second, _body = _call(app, _environ("/ko/news/first/"))
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert stored["X-Request-ID"] != first["X-Request-ID"]  # not the id of the storing one
    _status, given, _body = _call(
        app, _environ("/ko/news/first/", HTTP_X_REQUEST_ID="nginx-4f2a9c")
    )
    assert given["X-Request-ID"] == "nginx-4f2a9c"
    _status, revalidated, _body = _call(
        app, _environ("/ko/news/first/", HTTP_IF_NONE_MATCH=stored["ETag"])
    )
    assert len(revalidated["X-Request-ID"]) == 32
