"""The OpenAPI document is valid, and every operation keeps to it under generated input:
no 5xx, every answer as the document describes it."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from portal.wsgi import application

pytestmark = pytest.mark.django_db

# Generated cases per operation: enough to reach every parameter's edge values, bounded so
# the suite stays quick.
EXAMPLES = 25


def test_the_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    validate(document)
    assert set(document["paths"]) == {
        "/api/v1/items",
        "/api/v1/items/{item_id}",
        "/api/v1/search",
        "/api/v1/sectors",
        "/api/v1/partners",
        "/api/v1/programmes/open",
    }


def test_the_browsable_docs_are_served_by_the_site(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "://cdn" not in html


# Read from the running application, in process (the document needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def in_process_requests():
    """Requests sent straight to the WSGI application keep the test's database connection,
    as Django's test client does: by default the end of a request closes it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_the_document(case, catalogue, in_process_requests):
    case.call_and_validate()
