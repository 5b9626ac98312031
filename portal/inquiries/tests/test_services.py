"""References, e-mail delivery and its retry, and status changes."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from portal.core.models import ReferenceCounter
from portal.inquiries.models import CooperationRequest, MailState, Status
from portal.inquiries.services import inquiry_change_status, inquiry_record_reply

pytestmark = pytest.mark.django_db


def test_references_are_sequential_per_year_and_unique(make_request):
    year = timezone.localdate().year
    references = [make_request().reference for _ in range(3)]
    assert references == [f"SS-{year}-{n:06d}" for n in (1, 2, 3)]
    assert ReferenceCounter.objects.get(series="SS", year=year).last_number == 3


def test_references_start_again_in_a_new_year(make_request):
    make_request()
    with mock.patch(
        "portal.inquiries.services.timezone.localdate", return_value=dt.date(2031, 1, 1)
    ):
        assert make_request().reference == "SS-2031-000001"
    assert make_request().reference.endswith("-000002")


def test_a_failed_email_leaves_the_request_stored_and_marked_failed(
    make_request, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError("SMTP server down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request = make_request()
    request.refresh_from_db()
    assert CooperationRequest.objects.filter(pk=request.pk).exists()
    assert request.acknowledgement_state == MailState.FAILED
    assert request.notification_state == MailState.FAILED
    assert "SMTP server down" in request.acknowledgement_error
    assert request.acknowledgement_attempts == 1
    assert mail.outbox == []

    call_command("send_pending_inquiry_mail")

    request.refresh_from_db()
    assert request.acknowledgement_state == MailState.SENT
    assert request.notification_state == MailState.SENT
    assert request.acknowledgement_attempts == 2
    assert request.acknowledgement_error == ""
    assert [m.to for m in mail.outbox] == [["ana@example.org"], ["cooperation@example.org"]]


def test_the_retry_command_sends_only_what_is_not_sent(
    make_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_request()
    mail.outbox.clear()
    call_command("send_pending_inquiry_mail")
    assert mail.outbox == []


def test_the_retry_command_sends_pending_mail_after_the_grace_period(make_request):
    request = make_request()  # on_commit never ran: the process stopped, say
    assert request.acknowledgement_state == MailState.PENDING
    call_command("send_pending_inquiry_mail")
    assert mail.outbox == []  # it may still be on its way
    CooperationRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=10)
    )
    call_command("send_pending_inquiry_mail")
    assert len(mail.outbox) == 2


def test_without_staff_recipients_the_notification_is_marked_failed(
    make_request, settings, django_capture_on_commit_callbacks
):
    settings.INQUIRIES_NOTIFY_EMAILS = []
    settings.ADMINS = []
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request()
    request.refresh_from_db()
    assert request.acknowledgement_state == MailState.SENT
    assert request.notification_state == MailState.FAILED
    assert "INQUIRIES_NOTIFY_EMAILS" in request.notification_error


def test_staff_recipients_fall_back_to_the_admins(
    make_request, settings, django_capture_on_commit_callbacks
):
    settings.INQUIRIES_NOTIFY_EMAILS = []
    settings.ADMINS = [("Admin", "admin@example.org")]
    with django_capture_on_commit_callbacks(execute=True):
        make_request()
    assert mail.outbox[1].to == ["admin@example.org"]


def test_status_change_is_recorded_with_who_and_when(make_request, staff_user):
    request = make_request()
    before = timezone.now()
    change = inquiry_change_status(request=request, status=Status.IN_REVIEW, by=staff_user)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.NEW,
        Status.IN_REVIEW,
        staff_user,
    )
    assert change.changed_at >= before


def test_status_change_refuses_a_move_that_is_not_allowed(make_request, staff_user):
    request = make_request()
    inquiry_change_status(request=request, status=Status.CLOSED, by=staff_user)
    with pytest.raises(ValidationError):
        inquiry_change_status(request=request, status=Status.ANSWERED, by=staff_user)
    assert request.status_changes.count() == 1


def test_recording_a_reply_marks_the_request_answered(make_request, staff_user):
    request = make_request()
    inquiry_record_reply(request=request, text="We would be glad to host you.", by=staff_user)
    request.refresh_from_db()
    assert request.reply_text == "We would be glad to host you."
    assert request.replied_at is not None
    assert request.status == Status.ANSWERED
