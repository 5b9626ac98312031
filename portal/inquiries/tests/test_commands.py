"""manage.py purge_personal_data."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.inquiries.models import CooperationRequest, Status
from portal.inquiries.services import ANONYMISED, inquiry_add_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(make_request):
    old = timezone.now() - dt.timedelta(days=400)
    made = {}
    for key, status, created in [
        ("old_closed", Status.CLOSED, old),
        ("old_spam", Status.SPAM, old),
        ("old_answered", Status.ANSWERED, old),
        ("new_closed", Status.CLOSED, timezone.now()),
    ]:
        request = make_request(name=f"Person {key}", email=f"{key}@example.org")
        CooperationRequest.objects.filter(pk=request.pk).update(status=status, created_at=created)
        made[key] = request
    inquiry_add_note(request=made["old_closed"], text="Called Ana on +55 41 1234", by=None)
    return made


def _purge(*args) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_purge_anonymises_only_old_closed_and_spam_requests(requests):
    output = _purge("--older-than", "365")
    assert "Anonymised 2 cooperation request(s)" in output
    by_key = {key: CooperationRequest.objects.get(pk=r.pk) for key, r in requests.items()}
    for key in ("old_closed", "old_spam"):
        request = by_key[key]
        assert (request.name, request.email, request.organisation, request.message) == (
            ANONYMISED, "", ANONYMISED, ANONYMISED,
        )  # fmt: skip
        assert request.anonymised_at is not None
        assert request.reference.startswith("SS-")
        assert (request.kind, request.country, request.city) == (
            "study_visit",
            "Brazil",
            "Curitiba",
        )
    assert by_key["old_closed"].notes.get().text == ANONYMISED
    for key in ("old_answered", "new_closed"):
        assert by_key[key].name == f"Person {key}"
        assert by_key[key].anonymised_at is None


def test_purge_dry_run_changes_nothing(requests):
    output = _purge("--older-than", "365", "--dry-run")
    assert "Would anonymise 2 cooperation request(s)" in output
    assert "Dry run" in output
    assert not CooperationRequest.objects.filter(anonymised_at__isnull=False).exists()
    assert CooperationRequest.objects.get(pk=requests["old_closed"].pk).name == "Person old_closed"


def test_purge_calls_the_programme_applications_anonymiser_when_there_is_one(requests):
    anonymiser = mock.Mock(return_value=7)
    with mock.patch(
        "portal.inquiries.management.commands.purge_personal_data._programme_anonymiser",
        return_value=anonymiser,
    ):
        output = _purge("--older-than", "30", "--dry-run")
    assert "Would anonymise 7 programme application(s)" in output
    kwargs = anonymiser.call_args.kwargs
    assert kwargs["dry_run"] is True
    assert abs(kwargs["older_than"] - (timezone.now() - dt.timedelta(days=30))) < dt.timedelta(
        minutes=1
    )


def test_purge_works_without_a_programme_anonymiser(requests):
    with mock.patch(
        "portal.inquiries.management.commands.purge_personal_data._programme_anonymiser",
        return_value=None,
    ):
        output = _purge("--older-than", "365")
    assert "Programme applications: nothing to do" in output
