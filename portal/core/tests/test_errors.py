"""Unknown addresses get a 404 page in the visitor's language, with the site's navigation."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "nav_title"),
    [("/ko/no-such-page/", "ko", "뉴스"), ("/en/no-such-page/", "en", "News")],
    ids=["korean", "english"],
)
def test_unknown_url_gives_a_localized_404_with_navigation(client, tree, path, lang, nav_title):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert nav_title in html
    assert f'href="/{lang}/news/"' in html


# The database fails to answer (a restart, a fail-over): every query raises what a
# refused connection raises.
@pytest.fixture
def database_down(client):
    from unittest import mock

    from django.db import connection
    from django.db.utils import OperationalError

    client.raise_request_exception = False
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(connection, "cursor", side_effect=refused):
        yield


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "잠시 이용할 수 없습니다" in html and "Temporarily unavailable" in html
    # Nothing of the failure reaches the visitor.
    for leak in ("Traceback", "OperationalError", "5432", "127.0.0.1"):
        assert leak not in html
    return html


@pytest.mark.parametrize("path", ["/ko/", "/en/news/", "/ko/search/?q=교통"])
def test_pages_without_the_database_get_the_unavailable_page(client, tree, database_down, path):
    html = _assert_unavailable_page(client.get(path))
    assert "보내신 내용은 접수되지 않았습니다" not in html


def test_a_form_sent_without_the_database_is_told_it_was_not_received(client, tree):
    from unittest import mock

    from django.db import connection
    from django.db.utils import OperationalError

    from portal.inquiries.models import CooperationRequest

    before = CooperationRequest.objects.count()
    client.raise_request_exception = False
    refused = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.post(
            "/en/inquiries/request/",
            {"name": "Ana Ruiz", "email": "ana@lima.gob.pe", "message": "A study visit."},
        )
    html = _assert_unavailable_page(response)
    assert "보내신 내용은 접수되지 않았습니다" in html
    assert "What you sent was not received" in html
    assert CooperationRequest.objects.count() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ko", "서비스를 잠시 이용할 수 없습니다. 5초 후에 다시 시도해 주세요."),
        ("en", "The service is briefly unavailable. Try again in 5 seconds."),
    ],
)
def test_the_api_without_the_database_answers_503_in_json(
    client, tree, database_down, language, message
):
    response = client.get("/api/v1/items", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": message}


def test_other_failures_keep_the_server_error_page(client, tree):
    from unittest import mock

    client.raise_request_exception = False
    with mock.patch("wagtail.models.Page.serve", side_effect=RuntimeError("a bug")):
        response = client.get("/ko/")
    assert response.status_code == 500
    assert "일시적인 오류가 발생했습니다" in response.content.decode()
