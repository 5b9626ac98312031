"""What every answer shares: CORS, ETag and 304, the rate limit, JSON errors."""

from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_reads_are_open_to_other_sites(client, catalogue):
    response = client.get("/api/v1/sectors", HTTP_ORIGIN="https://lima.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/items",
        HTTP_ORIGIN="https://lima.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_an_unchanged_answer_is_304(client, catalogue):
    first = client.get("/api/v1/items")
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"].startswith("public")
    again = client.get("/api/v1/items", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag


def test_a_changed_answer_has_a_new_etag(client, catalogue):
    etag = client.get("/api/v1/items")["ETag"]
    catalogue.policy["en"].title = "Bus Reform of 2004"
    catalogue.policy["en"].save_revision().publish()
    response = client.get("/api/v1/items", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_over_the_rate_limit_is_429_with_retry_after(client, catalogue, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    statuses = [client.get("/api/v1/sectors").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/sectors", HTTP_ACCEPT_LANGUAGE="en")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests from your address.")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/nothing-here", 404),
        ("get", "/api/", 404),
        ("post", "/api/v1/items", 405),
        ("delete", "/api/v1/items", 405),
    ],
)
def test_errors_are_json_never_html(client, catalogue, method, path, status):
    response = getattr(client, method)(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


def test_a_crash_is_a_json_500(client, catalogue):
    client.raise_request_exception = False
    with mock.patch(
        "portal.api.endpoints.Sector.objects.order_by", side_effect=RuntimeError("boom")
    ):
        response = client.get("/api/v1/sectors", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side. Please try again later."
    }
