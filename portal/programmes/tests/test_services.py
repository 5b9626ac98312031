"""Services: references, the duplicate constraint, e-mail failures, status history,
anonymisation."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.programmes.models import ApplicationStatus, ProgrammeApplication
from portal.programmes.services import (
    ApplicationData,
    ApplicationRefused,
    application_acknowledge,
    application_status_change,
    application_submit,
    applications_acknowledge_pending,
    applications_anonymise,
)

pytestmark = pytest.mark.django_db


def _data(**changes) -> ApplicationData:
    values = {
        "organisation": "City of Lima",
        "contact_name": "Ana",
        "email": "ana@example.org",
        "participants": 2,
        "motivation": "Bus reform",
        "phone": "+51 1 315 1500",
        "answers": [{"key": "k", "question": "Q", "answer": "A"}],
    }
    values.update(changes)
    return ApplicationData(**values)


def test_references_count_up_within_the_year(programme):
    first = application_submit(programme=programme, data=_data(), language="ko")
    second = application_submit(programme=programme, data=_data(email="b@x.org"), language="en")
    year = timezone.localdate().year
    assert first.reference == f"AP-{year}-000001"
    assert second.reference == f"AP-{year}-000002"


def test_database_refuses_a_second_address_in_another_case(programme):
    application_submit(programme=programme, data=_data(), language="ko")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeApplication.objects.create(
            programme=programme,
            programme_key=programme.translation_key,
            reference="AP-2099-000009",
            language="ko",
            organisation="x",
            contact_name="x",
            email="ANA@example.org",
            email_normalised="ana@example.org",
            participants=1,
            motivation="x",
        )


def test_duplicate_race_caught_from_the_constraint_is_refused_cleanly(programme):
    application_submit(programme=programme, data=_data(), language="ko")
    # The check before the insert misses the first application, as in a race.
    with (
        mock.patch("portal.programmes.services._already_applied", side_effect=[False, True]),
        pytest.raises(ApplicationRefused) as refused,
    ):
        application_submit(programme=programme, data=_data(email="Ana@Example.org"), language="en")
    assert refused.value.code == "duplicate"
    assert ProgrammeApplication.objects.count() == 1


def test_failed_acknowledgement_keeps_the_application_and_is_retried(
    programme, django_capture_on_commit_callbacks
):
    with (
        mock.patch("portal.programmes.services.send_mail", side_effect=OSError("SMTP down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        application = application_submit(programme=programme, data=_data(), language="en")
    application.refresh_from_db()
    assert application.acknowledged_at is None
    assert application.acknowledgement_failed_at is not None
    # A just-received application may still have its first e-mail on the way.
    assert applications_acknowledge_pending() == 0
    assert applications_acknowledge_pending(grace=dt.timedelta(0)) == 1
    application.refresh_from_db()
    assert application.acknowledged_at is not None
    assert application.acknowledgement_failed_at is None
    assert len(mail.outbox) == 1


def test_status_change_is_recorded_with_who_and_when(programme):
    staff = get_user_model().objects.create_user("staff", password="x")
    application = application_submit(programme=programme, data=_data(), language="ko")
    application_status_change(application=application, status="shortlisted", by=staff)
    application_status_change(application=application, status="shortlisted", by=staff)
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "received",
        "shortlisted",
        staff,
    )
    assert change.changed_at is not None
    application.refresh_from_db()
    assert application.status == "shortlisted"


def test_anonymise_replaces_personal_data_of_finished_old_applications_only(programme):
    old = timezone.now() - dt.timedelta(days=400)
    statuses = {
        "accepted@x.org": ApplicationStatus.ACCEPTED,
        "declined@x.org": ApplicationStatus.DECLINED,
        "received@x.org": ApplicationStatus.RECEIVED,
        "shortlisted@x.org": ApplicationStatus.SHORTLISTED,
    }
    for email, status in statuses.items():
        application = application_submit(
            programme=programme, data=_data(email=email), language="ko"
        )
        ProgrammeApplication.objects.filter(pk=application.pk).update(created_at=old, status=status)
    recent = application_submit(programme=programme, data=_data(email="new@x.org"), language="ko")
    ProgrammeApplication.objects.filter(pk=recent.pk).update(status=ApplicationStatus.DECLINED)
    cutoff = timezone.now() - dt.timedelta(days=365)

    assert applications_anonymise(older_than=cutoff, dry_run=True) == 2
    assert ProgrammeApplication.objects.filter(anonymised_at__isnull=False).count() == 0
    assert applications_anonymise(older_than=cutoff, dry_run=False) == 2
    assert applications_anonymise(older_than=cutoff, dry_run=False) == 0

    for application in ProgrammeApplication.objects.filter(anonymised_at__isnull=False):
        assert application.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)
        assert (application.contact_name, application.email, application.phone) == ("", "", "")
        assert (application.motivation, application.answers) == ("", [])
        assert "@" not in application.email_normalised
        assert application.organisation == "City of Lima"
    kept = ProgrammeApplication.objects.filter(anonymised_at__isnull=True)
    assert set(kept.values_list("email", flat=True)) == {
        "received@x.org",
        "shortlisted@x.org",
        "new@x.org",
    }


def test_retry_command_sends_the_pending_acknowledgements(programme, capsys):
    from django.core.management import call_command

    with mock.patch("portal.programmes.services.send_mail", side_effect=OSError("SMTP down")):
        application = application_submit(programme=programme, data=_data(), language="en")
        application_acknowledge(application_id=application.pk)
    type(application).objects.filter(pk=application.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    call_command("send_application_acknowledgements")
    assert "Sent 1 acknowledgement(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 1
