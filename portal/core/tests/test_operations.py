"""What an operator relies on: health probes, request ids in responses and logs, JSON
logs, and a throttled admin sign-in."""

import json
import logging
import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from portal.core import health
from portal.core.request_log import (
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)

pytestmark = pytest.mark.django_db


def test_healthz_answers_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert len(response["X-Request-ID"]) == 32
    assert client.post("/healthz").status_code == 405


def test_readyz_checks_the_database_migrations_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_unavailable_without_the_database(client):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch.object(health, "connection", broken):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "unreachable"


def test_readyz_is_unavailable_while_migrations_are_missing(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        return_value=[("search", "9999_new")],
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"
    # Once everything is applied the check is remembered: no migration graph per probe.
    assert client.get("/readyz").status_code == 200
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.__init__",
        side_effect=AssertionError("graph loaded again"),
    ):
        assert client.get("/readyz").json()["checks"]["migrations"] == "ok"


DEAD_REDIS = {
    "default": {
        "BACKEND": "portal.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
}


def test_readyz_reports_a_lost_cache_without_taking_the_server_out(client, settings):
    settings.CACHES = DEAD_REDIS
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "cache": "unreachable"},
    }


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("0f9c2d1e-proxy", True),
        ("bad id\nINFO forged log line", False),
        ("x" * 65, False),
        ("", False),
    ],
)
def test_a_request_id_from_the_proxy_is_kept_only_when_it_looks_like_one(given, kept):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=given)
    if kept:
        assert response["X-Request-ID"] == given
    else:
        assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_log_lines_of_a_request_carry_its_id():
    seen = []

    def view(request):
        record = logging.LogRecord("portal", logging.INFO, __file__, 1, "inside", (), None)
        RequestIdFilter().filter(record)
        seen.append(record.request_id)
        return mock.MagicMock(__setitem__=mock.Mock())

    request = mock.Mock(META={"HTTP_X_REQUEST_ID": "abc-123"})
    RequestIdMiddleware(view)(request)
    assert seen == ["abc-123"]
    assert current_request_id() == "-"  # reset once the request is done


def test_json_log_lines_are_one_object_each():
    try:
        raise ValueError("망가진 값")
    except ValueError:
        record = logging.LogRecord(
            "portal.inquiries",
            logging.ERROR,
            __file__,
            1,
            "요청 %s 실패",
            ("SS-1",),
            sys.exc_info(),
        )
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "portal.inquiries"
    assert entry["message"] == "요청 SS-1 실패" and entry["request_id"] == "-"
    assert "ValueError: 망가진 값" in entry["exception"]
    assert entry["time"].endswith("+00:00")


# Admin sign-in ---------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "right-pw")


def _sign_in(password, *, username="editor", address="203.0.113.5", language="ko"):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language).post(
        "/admin/login/", {"username": username, "password": password}
    )


def test_sign_in_is_refused_after_repeated_failures_from_one_address(editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for _ in range(3):
        response = _sign_in("wrong")
        assert response.status_code == 200 and "too many" not in response.content.decode()
    refused = _sign_in("right-pw")  # even the right password: not checked while blocked
    assert refused.status_code == 200
    assert "로그인에 여러 번 실패했습니다. 15분 뒤에 다시 시도하세요." in refused.content.decode()
    english = _sign_in("right-pw", language="en")
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in english.content.decode()
    # Another address is not blocked by this one's failures.
    assert _sign_in("right-pw", address="198.51.100.7").status_code == 302


def test_a_successful_sign_in_clears_the_failures(editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for _ in range(2):
        _sign_in("wrong")
    assert _sign_in("right-pw").status_code == 302
    for _ in range(2):
        _sign_in("wrong")
    assert _sign_in("right-pw").status_code == 302


def test_one_account_is_protected_against_guesses_from_many_addresses(editor, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 4
    for number in range(4):
        _sign_in("wrong", address=f"192.0.2.{number}")
    refused = _sign_in("right-pw", address="192.0.2.200", language="en")
    assert "Too many failed sign-in attempts" in refused.content.decode()
    # The count is by account, whatever its spelling.
    refused = _sign_in("right-pw", username=" EDITOR ", address="192.0.2.201", language="en")
    assert "Too many failed sign-in attempts" in refused.content.decode()


def _through_nginx(password, visitor, *, username="editor"):
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor).post(
        "/admin/login/", {"username": username, "password": password}
    )


def test_behind_the_proxy_each_visitor_is_counted_not_the_proxy(editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for _ in range(3):
        _through_nginx("wrong", "203.0.113.66")
    refused = _through_nginx("right-pw", "203.0.113.66")
    assert "로그인에 여러 번 실패했습니다" in refused.content.decode()
    # Every request comes from nginx's address: another visitor is not blocked.
    assert _through_nginx("right-pw", "198.51.100.8").status_code == 302


def test_a_forwarded_address_from_anyone_but_the_proxy_is_not_believed(editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for number in range(3):
        Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").post(
            "/admin/login/", {"username": "editor", "password": "wrong"}
        )
    refused = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99").post(
        "/admin/login/", {"username": "editor", "password": "right-pw"}
    )
    assert "로그인에 여러 번 실패했습니다" in refused.content.decode()


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "192.0.2.1", "203.0.113.5"),  # not from a trusted proxy
        ("127.0.0.1", "", "127.0.0.1"),  # a visitor on this machine, no proxy
        ("127.0.0.1", "192.0.2.1", "192.0.2.1"),
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("127.0.0.1", "198.51.100.1, 192.0.2.1", "192.0.2.1"),  # the left one is the visitor's own
        ("127.0.0.1", "192.0.2.1, 10.1.2.3", "192.0.2.1"),  # through a second trusted proxy
        ("127.0.0.1", "10.1.2.3", "127.0.0.1"),  # only proxies: counted as the nearest
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "192.0.2.1, <script>", "127.0.0.1"),
        ("", "192.0.2.1", "unknown"),
    ],
)
def test_the_visitors_address(remote, forwarded, expected, settings, rf):
    from portal.core.ratelimit import client_address

    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8", "no-such-network"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_sign_in_still_works_when_the_cache_is_down(editor, settings):
    settings.CACHES = DEAD_REDIS
    settings.LOGIN_FAILURES_PER_ADDRESS = 1
    assert _sign_in("wrong").status_code == 200
    assert _sign_in("wrong").status_code == 200
    assert _sign_in("right-pw").status_code == 302


# Security headers --------------------------------------------------------------------------


def _assert_secured(response, where):
    policy = response["Content-Security-Policy"]
    if policy == "default-src 'none'":  # a document: Wagtail's stricter policy is kept
        assert where == "document"
        policy = "script-src 'self'; object-src 'none'; frame-ancestors 'self'"
    scripts = policy.split("script-src ")[1].split(";")[0]
    assert "'unsafe-inline'" not in scripts and "'self'" in scripts, where
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy, where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert "camera=()" in response["Permissions-Policy"], where


def test_security_headers_on_every_kind_of_response(client, tree, django_user_model, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from portal.archives.tests.pdfs import text_pdf
    from portal.core.tests import factories as f

    settings.PAGE_CACHE_SECONDS = 60
    f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="첫 소식", slug="first"))
    document = get_document_model().objects.create(
        title="brochure", file=ContentFile(text_pdf(["Seoul tap water"]), name="brochure.pdf")
    )
    anonymous = {
        "page": "/ko/news/first/",
        "page from the cache": "/ko/news/first/",
        "listing": "/ko/news/",
        "not found": "/ko/no-such-page/",
        "api": "/api/v1/sectors",
        "document": document.url,
        "health": "/healthz",
        "admin sign-in": "/admin/login/",
    }
    for where, url in anonymous.items():
        response = client.get(url)
        assert response.status_code in (200, 404), where
        _assert_secured(response, where)
        assert "nonce-" not in response["Content-Security-Policy"], where
        assert response["X-Request-ID"], where
    assert client.get("/ko/news/first/")["X-Page-Cache"] == "hit"

    client.force_login(django_user_model.objects.create_superuser("admin", "a@b.c", "pw"))
    page = f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="둘째 소식", slug="second"))
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    _assert_secured(edit, "admin editing")
    nonce = edit["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in edit.content.decode()  # a chooser's script
    assert "no-store" in edit["Cache-Control"] and "private" in edit["Cache-Control"]
    again = client.get(f"/admin/pages/{page.pk}/edit/")
    assert nonce not in again["Content-Security-Policy"]  # a new one each response
