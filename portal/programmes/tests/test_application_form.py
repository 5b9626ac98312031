"""Applying on a programme page through the test client: what is stored, confirmed and
e-mailed, and everything the form refuses (with nothing stored)."""

import pytest
from django.core import mail

from portal.programmes.models import ProgrammeApplication
from portal.programmes.tests.conftest import question_fields, valid_data

pytestmark = pytest.mark.django_db

KO_URL = "/ko/programmes/training/"
EN_URL = "/en/programmes/training/"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_apply_stores_confirms_and_acknowledges_in_the_visitors_language(
    client, programme, language, django_capture_on_commit_callbacks
):
    url = f"/{language}/programmes/training/"
    assert 'name="organisation"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, valid_data(programme))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == f"{url}applied/"
    application = ProgrammeApplication.objects.get()
    assert application.reference.startswith("AP-")
    assert len(application.reference) == len("AP-2026-000001")
    assert application.language == language
    assert application.programme_key == programme.translation_key
    assert application.answers[0]["answer"] == "Congestion on the ring roads."
    assert application.acknowledged_at is not None
    confirmation = client.get(response["Location"]).content.decode()
    assert application.reference in confirmation
    assert f'<html lang="{language}"' in confirmation
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nguyen@example.org"]
    assert application.reference in mail.outbox[0].subject
    title = "도시교통 연수" if language == "ko" else "Urban transport training"
    assert title in mail.outbox[0].body


def test_confirmation_is_shown_only_to_the_session_that_applied(client, programme):
    client.post(KO_URL, valid_data(programme))
    reference = ProgrammeApplication.objects.get().reference
    other = client.__class__()
    response = other.get(f"{KO_URL}applied/")
    assert response.status_code == 302
    assert response["Location"] == KO_URL
    assert reference not in other.get(KO_URL).content.decode()


def test_form_keeps_what_was_typed_when_it_shows_an_error(client, programme):
    response = client.post(EN_URL, valid_data(programme, email="not-an-address"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="City of Hanoi"' in html
    assert "We are reorganising our bus network." in html
    assert "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html
    assert not ProgrammeApplication.objects.exists()


REQUIRED = ["organisation", "contact_name", "email", "participants", "motivation"]
LIMITS = {"organisation": 200, "contact_name": 200, "phone": 40, "motivation": 5000}


@pytest.mark.parametrize("field", REQUIRED + ["question"], ids=REQUIRED + ["extra-question"])
def test_missing_required_field_is_refused(client, programme, field):
    fields = question_fields(programme) if field == "question" else [field]
    response = client.post(EN_URL, valid_data(programme, **dict.fromkeys(fields, "")))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ProgrammeApplication.objects.exists()


def test_missing_consent_is_refused(client, programme):
    response = client.post(EN_URL, valid_data(programme, consent=None))
    assert response.status_code == 200
    assert (
        "Please agree to the privacy notice to send the application." in response.content.decode()
    )
    assert not ProgrammeApplication.objects.exists()


@pytest.mark.parametrize("field", list(LIMITS))
def test_too_long_field_is_refused(client, programme, field):
    value = "1" * (LIMITS[field] + 1) if field == "phone" else "x" * (LIMITS[field] + 1)
    response = client.post(EN_URL, valid_data(programme, **{field: value}))
    assert "Ensure this value has at most" in response.content.decode()
    assert not ProgrammeApplication.objects.exists()


def test_too_long_answer_to_extra_question_is_refused(client, programme):
    fields = question_fields(programme)
    response = client.post(EN_URL, valid_data(programme, **dict.fromkeys(fields, "x" * 101)))
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    assert not ProgrammeApplication.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "nguyen@", "Enter a valid email address."),
        ("phone", "call me", "Enter a phone number with digits"),
        ("participants", "0", "greater than or equal to 1"),
        ("participants", "11", "less than or equal to 10"),
        ("participants", "three", "Enter a whole number."),
    ],
    ids=["email", "phone", "no-participants", "over-capacity", "not-a-number"],
)
def test_malformed_value_is_refused(client, programme, field, value, message):
    response = client.post(EN_URL, valid_data(programme, **{field: value}))
    assert message in response.content.decode()
    assert not ProgrammeApplication.objects.exists()


def test_second_application_from_the_same_address_in_another_case_is_refused(client, programme):
    client.post(KO_URL, valid_data(programme))
    response = client.post(EN_URL, valid_data(programme, email="Nguyen@Example.ORG"))
    assert response.status_code == 200
    assert "already been received for this programme" in response.content.decode()
    assert ProgrammeApplication.objects.count() == 1


def test_filled_honeypot_is_refused(client, programme):
    response = client.post(EN_URL, valid_data(programme, website="http://spam.example"))
    assert "without filling in hidden fields" in response.content.decode()
    assert not ProgrammeApplication.objects.exists()


def test_rate_limit_refuses_the_eleventh_attempt_in_an_hour(client, programme):
    for _attempt in range(10):
        client.post(EN_URL, valid_data(programme, email="bad"))
    response = client.post(EN_URL, valid_data(programme))
    assert response.status_code == 429
    assert "Too many applications were sent from your address" in response.content.decode()
    assert not ProgrammeApplication.objects.exists()


def test_post_without_csrf_token_is_refused(programme):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(EN_URL, valid_data(programme))
    assert response.status_code == 403
    assert not ProgrammeApplication.objects.exists()


def test_oversized_request_body_is_refused(client, programme):
    response = client.post(
        EN_URL, valid_data(programme, motivation="x" * 4000, padding="y" * 300_000)
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not ProgrammeApplication.objects.exists()
