"""The public request form: submitting in both languages, and everything it refuses."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.core.tests import factories as f
from portal.inquiries.forms import MAX_RELATED_PAGES
from portal.inquiries.models import CooperationRequest, MailState

pytestmark = pytest.mark.django_db


def form_url(language: str, **query) -> str:
    with translation.override(language):
        url = reverse("inquiries:request")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize("language", ["ko", "en"], ids=["korean", "english"])
def test_form_page_shows_in_each_language(client, tree, language):
    response = client.get(form_url(language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="website"' in html
    assert 'maxlength="5000"' in html


def test_form_is_prefilled_with_the_page_the_visitor_came_from(client, policy):
    response = client.get(form_url("ko", page=policy.pk))
    html = response.content.decode()
    assert f'value="{policy.pk}"' in html and "checked" in html
    assert policy.title in html


def test_form_offers_the_other_live_policies_of_the_language_by_sector(client, tree, policy):
    transport = f.SectorFactory(slug="transport", name_ko="교통", name_en="Transport")
    water = f.SectorFactory(slug="water", name_ko="상수도", name_en="Water")
    bikes = f.PolicyPageFactory(
        parent=tree.policies["ko"], title="공공자전거", slug="bikes", sector=transport
    )
    arisu = f.PolicyPageFactory(
        parent=tree.policies["ko"], title="아리수", slug="arisu", sector=water
    )
    draft = f.PolicyPageFactory(
        parent=tree.policies["ko"], title="초안 정책", slug="draft", sector=water
    )
    draft.unpublish()
    english = f.PolicyPageFactory(parent=tree.policies["en"], title="Tap water", sector=water)

    html = client.get(form_url("ko", page=policy.pk)).content.decode()
    offered = html[html.index('class="inquiry-more-related"') :]
    assert offered.count(f'value="{policy.pk}"') == 0  # already ticked above the list
    assert f'value="{bikes.pk}"' in offered and f'value="{arisu.pk}"' in offered
    assert "초안 정책" not in offered and f'value="{english.pk}"' not in offered
    assert offered.index("교통") < offered.index("공공자전거") < offered.index("상수도")


def test_submit_attaches_the_policies_the_visitor_added(
    client, tree, policy, valid_data, django_capture_on_commit_callbacks
):
    others = [f.PolicyPageFactory(parent=tree.policies["ko"]) for _ in range(2)]
    chosen = [policy.pk] + [page.pk for page in others]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url("ko"), {**valid_data, "related_pages": chosen})
    assert response.status_code == 302
    stored = CooperationRequest.objects.get().related_pages.values_list("pk", flat=True)
    assert sorted(stored) == sorted(chosen)


def test_submit_refuses_more_related_pages_than_allowed(client, tree, valid_data):
    pages = [f.PolicyPageFactory(parent=tree.policies["en"]) for _ in range(MAX_RELATED_PAGES + 1)]
    valid_data["related_pages"] = [page.pk for page in pages]
    response = client.post(form_url("en"), valid_data)
    _refused(response, f"Choose at most {MAX_RELATED_PAGES} related pages.")
    # What the visitor ticked is still ticked.
    assert response.content.decode().count(" checked") >= MAX_RELATED_PAGES + 1


@pytest.mark.parametrize("value", ["999999", "abc"], ids=["missing", "not-a-number"])
def test_form_refuses_a_page_that_does_not_exist(client, tree, value):
    response = client.get(form_url("en", page=value), follow=True)
    assert "does not exist or is not published" in response.content.decode()
    assert 'name="related_pages"' not in response.content.decode()


def test_form_refuses_a_page_that_is_not_live(client, policy):
    policy.unpublish()
    response = client.get(form_url("en", page=policy.pk))
    assert "does not exist or is not published" in response.content.decode()


@pytest.mark.parametrize("language", ["ko", "en"], ids=["korean", "english"])
def test_submit_stores_the_request_and_sends_both_emails(
    client, policy, valid_data, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(language), {**valid_data, "related_pages": [policy.pk]})
    assert response.status_code == 302
    request = CooperationRequest.objects.get()
    assert response["Location"] == f"/{language}/inquiries/request/sent/{request.reference}/"
    assert request.language == language
    assert list(request.related_pages.all()) == [policy.page_ptr]
    assert request.people == 12
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert request.reference in confirmation.content.decode()
    assert f'href="{policy.url}"' in confirmation.content.decode()
    assert len(mail.outbox) == 2
    acknowledgement, notification = mail.outbox
    assert acknowledgement.to == ["ana@example.org"]
    assert request.reference in acknowledgement.subject
    assert request.reference in acknowledgement.body
    assert f"- {policy.title}" in acknowledgement.body
    assert notification.to == ["cooperation@example.org"]
    assert request.reference in notification.body
    request.refresh_from_db()
    assert request.acknowledgement_state == MailState.SENT
    assert request.notification_state == MailState.SENT


def test_acknowledgement_is_written_in_the_requesters_language(
    client, tree, valid_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url("en"), valid_data)
    assert "Thank you for your request" in mail.outbox[0].body


def test_confirmation_is_only_shown_to_the_session_that_sent_it(
    client, tree, valid_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url("en"), valid_data)
    from django.test import Client

    assert Client().get(response["Location"]).status_code == 404
    assert client.get("/en/inquiries/request/sent/SS-2000-000001/").status_code == 404


def _submission_id(response) -> str:
    import re

    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', response.content.decode())
    assert found, "the form carries no submission id"
    return found.group(1)


@pytest.mark.parametrize("language", ["ko", "en"], ids=["korean", "english"])
def test_a_form_sent_twice_is_one_request_with_one_pair_of_emails(
    client, tree, valid_data, language, django_capture_on_commit_callbacks
):
    submission = _submission_id(client.get(form_url(language)))
    assert _submission_id(client.get(form_url(language))) != submission
    data = {**valid_data, "submission": submission}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(form_url(language), data)
        # Sent again, e.g. by the proxy to another server after the first failed, from
        # the same visitor or (the first server's session lost) another browser.
        from django.test import Client

        other = Client()
        again = other.post(form_url(language), data)
    request = CooperationRequest.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert request.reference in again["Location"]
    assert other.get(again["Location"]).status_code == 200
    assert len(mail.outbox) == 2


def test_a_form_stored_meanwhile_by_another_server_is_not_stored_twice(
    tree, valid_data, make_request
):
    import uuid
    from unittest import mock

    from portal.inquiries import services

    submission = uuid.uuid4()
    stored = make_request(submission=submission)
    data = {
        "name": "Ana",
        "organisation": "Lima",
        "city": "Lima",
        "country": "Peru",
        "email": "ana@example.org",
        "kind": "study_visit",
        "people": 2,
        "message": "Again",
        "consent": True,
        "submission": submission,
    }
    # The look-up before storing misses it (the other server committed just after).
    with mock.patch.object(services, "inquiry_by_submission", side_effect=[None, stored]):
        again = services.inquiry_submit(data=data, related_pages=[], language="en")
    assert again.pk == stored.pk
    assert CooperationRequest.objects.count() == 1


@pytest.mark.parametrize("value", ["", "not-an-id", "1' OR '1'='1", "0" * 400])
def test_a_form_with_a_damaged_submission_id_is_stored_as_a_new_request(
    client, tree, valid_data, value
):
    response = client.post(form_url("en"), {**valid_data, "submission": value})
    assert response.status_code == 302
    assert CooperationRequest.objects.get().submission is None


def _refused(response, text: str) -> None:
    assert response.status_code in (400, 413, 429)
    assert text in response.content.decode()
    assert CooperationRequest.objects.count() == 0
    assert mail.outbox == []


REQUIRED = ["name", "organisation", "city", "country", "email", "kind", "message"]


@pytest.mark.parametrize("field", REQUIRED)
def test_submit_refuses_a_missing_required_field(client, tree, valid_data, field):
    valid_data[field] = ""
    _refused(client.post(form_url("en"), valid_data), "This field is required.")


def test_submit_refuses_missing_consent(client, tree, valid_data):
    del valid_data["consent"]
    _refused(client.post(form_url("en"), valid_data), "Please agree to the privacy notice")


def test_submit_refuses_missing_number_of_people(client, tree, valid_data):
    valid_data["people"] = ""
    _refused(client.post(form_url("en"), valid_data), "This field is required.")


@pytest.mark.parametrize(
    ("field", "length"),
    [
        ("name", 101),
        ("organisation", 201),
        ("city", 101),
        ("country", 101),
        ("email", 255),
        ("message", 5001),
    ],
)
def test_submit_refuses_a_field_that_is_too_long(client, tree, valid_data, field, length):
    valid_data[field] = ("a" * (length - 12) + "@example.org") if field == "email" else "a" * length
    _refused(client.post(form_url("en"), valid_data), "Ensure this value has at most")


@pytest.mark.parametrize("email", ["ana", "ana@", "ana@example", "a b@example.org"])
def test_submit_refuses_a_malformed_email(client, tree, valid_data, email):
    valid_data["email"] = email
    _refused(client.post(form_url("en"), valid_data), "Enter a valid email address.")


def test_submit_refuses_an_unknown_kind(client, tree, valid_data):
    valid_data["kind"] = "bribe"
    _refused(client.post(form_url("en"), valid_data), "Choose one of the kinds of request listed.")


@pytest.mark.parametrize(
    ("people", "text"),
    [
        ("0", "greater than or equal to 1"),
        ("201", "less than or equal to 200"),
        ("many", "Enter a whole number."),
    ],
)
def test_submit_refuses_a_number_of_people_out_of_range(client, tree, valid_data, people, text):
    valid_data["people"] = people
    _refused(client.post(form_url("en"), valid_data), text)


def test_submit_refuses_an_end_date_before_the_start(client, tree, valid_data):
    valid_data["preferred_end"] = "2026-10-01"
    _refused(
        client.post(form_url("en"), valid_data), "The end date cannot be before the start date."
    )


def test_submit_refuses_a_malformed_date(client, tree, valid_data):
    valid_data["preferred_start"] = "next week"
    _refused(client.post(form_url("en"), valid_data), "Enter a valid date.")


def test_submit_refuses_a_related_page_that_does_not_exist(client, tree, valid_data):
    valid_data["related_pages"] = ["999999"]
    _refused(client.post(form_url("en"), valid_data), "does not exist or is not published")


@pytest.mark.parametrize("number", ["9" * 400, "12abc", "-3", ""])
def test_submit_refuses_a_related_page_number_no_page_can_have(client, tree, valid_data, number):
    # A number longer than the database's integers used to end in a server error.
    valid_data["related_pages"] = [number]
    _refused(client.post(form_url("en"), valid_data), "is not a page number")
    valid_data["related_pages"] = ["9" * 400]
    _refused(client.post(form_url("ko"), valid_data), "페이지 번호가 아닙니다")


def test_submit_refuses_a_related_page_that_is_not_live(client, policy, valid_data):
    policy.unpublish()
    valid_data["related_pages"] = [str(policy.pk)]
    _refused(client.post(form_url("en"), valid_data), "does not exist or is not published")


def test_submit_refuses_a_filled_honeypot(client, tree, valid_data):
    valid_data["website"] = "http://spam.example"
    _refused(client.post(form_url("en"), valid_data), "without filling in hidden fields")


def test_submit_refuses_an_oversized_body(client, tree, valid_data, settings):
    settings.INQUIRIES_MAX_BODY_BYTES = 1024
    valid_data["message"] = "a" * 2000
    _refused(client.post(form_url("en"), valid_data), "too large to be accepted")


def test_submit_refuses_once_the_rate_limit_is_exceeded(
    client, tree, valid_data, settings, django_capture_on_commit_callbacks
):
    settings.INQUIRIES_RATE_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(form_url("en"), valid_data).status_code == 302
    mail.outbox.clear()
    response = client.post(form_url("en"), valid_data)
    assert response.status_code == 429
    assert "Please wait an hour" in response.content.decode()
    assert CooperationRequest.objects.count() == 2
    assert mail.outbox == []


def test_submit_refuses_a_post_without_csrf_token(tree, valid_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(form_url("en"), valid_data)
    assert response.status_code == 403
    assert CooperationRequest.objects.count() == 0


def test_form_keeps_what_was_typed_on_error(client, tree, valid_data):
    valid_data["email"] = "not-an-address"
    html = client.post(form_url("en"), valid_data).content.decode()
    assert 'value="City of Curitiba"' in html
    assert "We would like to visit Seoul" in html
    assert 'aria-invalid="true"' in html


def test_korean_form_answers_in_korean(client, tree, valid_data):
    valid_data["name"] = ""
    response = client.post(form_url("ko"), valid_data)
    assert response.status_code == 400
    assert '<html lang="ko"' in response.content.decode()
    assert CooperationRequest.objects.count() == 0


@pytest.mark.parametrize("board", ["policies", "news", "archives"])
def test_detail_pages_link_to_the_form_with_their_id(client, tree, board):
    factory = {
        "policies": f.PolicyPageFactory,
        "news": f.NewsPageFactory,
        "archives": f.ArchivePageFactory,
    }[board]
    page = factory(parent=getattr(tree, board)["ko"])
    html = client.get(page.url).content.decode()
    assert f'href="/ko/inquiries/request/?page={page.pk}"' in html
