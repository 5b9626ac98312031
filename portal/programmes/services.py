"""Writes on programme applications: submitting, acknowledging, status changes, anonymising."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.core.services import reference_next
from portal.programmes.models import (
    FINISHED_STATUSES,
    ApplicationStatusChange,
    ProgrammeApplication,
    ProgrammePage,
)
from portal.programmes.selectors import (
    ApplicationState,
    programme_places_left,
    seoul_today,
)

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "AP"

DUPLICATE_MESSAGE = _(
    "An application from this e-mail address has already been received for this programme."
)


class ApplicationRefused(Exception):
    """The application cannot be taken; ``message`` says why in the visitor's language and
    ``field`` names the form field it concerns (None for the whole form)."""

    def __init__(self, message, *, code: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


@dataclass
class ApplicationData:
    organisation: str
    contact_name: str
    email: str
    participants: int
    motivation: str
    phone: str = ""
    answers: list[dict] = field(default_factory=list)


def email_normalise(email: str) -> str:
    """The form of an address used to compare applicants: trimmed and lower case."""
    return email.strip().casefold()


def application_window_refusal(*, programme: ProgrammePage, at=None) -> ApplicationRefused | None:
    """Why the programme takes no application at ``at`` (now), or None while it is open."""
    state = programme.state(at=at)
    if state is ApplicationState.UPCOMING:
        return ApplicationRefused(
            _("Applications are not open yet: they open on %(opens)s (Seoul time).")
            % {"opens": programme.application_opens.isoformat()},
            code="upcoming",
        )
    if state is ApplicationState.CLOSED:
        return ApplicationRefused(
            _("Applications closed on %(closes)s (Seoul time).")
            % {"closes": programme.application_closes.isoformat()},
            code="closed",
        )
    return None


def _already_applied(*, programme_key, email_normalised: str) -> bool:
    return ProgrammeApplication.objects.filter(
        programme_key=programme_key, email_normalised=email_normalised
    ).exists()


def application_submit(
    *, programme: ProgrammePage, data: ApplicationData, language: str
) -> ProgrammeApplication:
    """Store an application with a new reference, in one transaction, and send the
    acknowledgement once it is committed. Raises ``ApplicationRefused`` (nothing stored)
    when the window is not open, the places are taken or the address already applied."""
    refusal = application_window_refusal(programme=programme)
    if refusal:
        raise refusal
    key = programme.translation_key
    normalised = email_normalise(data.email)
    try:
        with transaction.atomic():
            # The counter's row lock serialises concurrent applications, so the capacity
            # and duplicate checks below see every earlier application.
            reference = reference_next(series=REFERENCE_PREFIX, year=seoul_today().year)
            left = programme_places_left(capacity=programme.capacity, programme_key=key)
            if left == 0:
                raise ApplicationRefused(
                    _("This programme is full: it takes no more applications."), code="full"
                )
            if left is not None and data.participants > left:
                raise ApplicationRefused(
                    _("Only %(left)s places are left: please name fewer participants.")
                    % {"left": left},
                    code="too_many_participants",
                    field="participants",
                )
            if _already_applied(programme_key=key, email_normalised=normalised):
                raise ApplicationRefused(DUPLICATE_MESSAGE, code="duplicate", field="email")
            application = ProgrammeApplication.objects.create(
                programme=programme,
                programme_key=key,
                reference=reference,
                language=language,
                organisation=data.organisation,
                contact_name=data.contact_name,
                email=data.email.strip(),
                email_normalised=normalised,
                phone=data.phone,
                participants=data.participants,
                motivation=data.motivation,
                answers=data.answers,
            )
            transaction.on_commit(partial(application_acknowledge, application_id=application.pk))
    except IntegrityError as error:
        # Two submissions of one address at the same moment: the constraint stops the second.
        if _already_applied(programme_key=key, email_normalised=normalised):
            raise ApplicationRefused(DUPLICATE_MESSAGE, code="duplicate", field="email") from error
        raise
    return application


def application_acknowledge(*, application_id: int) -> bool:
    """E-mail the applicant their reference, in the language they applied in. A failure is
    logged and marked on the application (``acknowledgement_failed_at``) for a retry by
    ``manage.py send_application_acknowledgements``; the application itself stays."""
    application = (
        ProgrammeApplication.objects.select_related("programme")
        .filter(pk=application_id, acknowledged_at__isnull=True, anonymised_at__isnull=True)
        .first()
    )
    if application is None:
        return False
    with translation.override(application.language):
        context = {"application": application, "programme": application.programme}
        subject = " ".join(
            render_to_string("programmes/emails/acknowledgement_subject.txt", context).split()
        )
        body = render_to_string("programmes/emails/acknowledgement_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])
    except Exception:  # any backend failure: keep the application, mark it, retry later
        logger.exception("Acknowledgement of %s not sent.", application.reference)
        ProgrammeApplication.objects.filter(pk=application.pk).update(
            acknowledgement_failed_at=timezone.now()
        )
        return False
    ProgrammeApplication.objects.filter(pk=application.pk).update(
        acknowledged_at=timezone.now(), acknowledgement_failed_at=None
    )
    return True


def applications_acknowledge_pending(*, grace: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Send every acknowledgement not sent yet; how many were sent.

    Applications younger than ``grace`` are left alone: their first e-mail may still be
    on its way, and the applicant should not get two.
    """
    pending = ProgrammeApplication.objects.filter(
        acknowledged_at__isnull=True,
        anonymised_at__isnull=True,
        created_at__lt=timezone.now() - grace,
    ).values_list("pk", flat=True)
    return sum(application_acknowledge(application_id=pk) for pk in list(pending))


@transaction.atomic
def application_status_change(
    *, application: ProgrammeApplication, status: str, by: AbstractBaseUser | None
) -> ProgrammeApplication:
    """Move an application to ``status`` and record who did it and when."""
    locked = ProgrammeApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != status:
        ApplicationStatusChange.objects.create(
            application=locked, from_status=locked.status, to_status=status, changed_by=by
        )
        locked.status = status
        locked.save(update_fields=["status"])
    application.status = locked.status
    return locked


def applications_anonymise(*, older_than: dt.datetime, dry_run: bool) -> int:
    """Replace the personal data of finished applications (accepted or declined: their
    outcome is decided) received before ``older_than``: contact name, e-mail, phone,
    motivation and answers. The organisation, the number of participants, the status and
    its history stay for statistics. Returns how many were (or, with ``dry_run``, would
    be) anonymised; applications still received or shortlisted are never touched."""
    applications = ProgrammeApplication.objects.filter(
        status__in=FINISHED_STATUSES, created_at__lt=older_than, anonymised_at__isnull=True
    )
    if dry_run:
        return applications.count()
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for application in applications.select_for_update():
            application.contact_name = ""
            application.email = ""
            # Unique per programme, as the constraint requires, and never an address.
            application.email_normalised = f"anonymised-{application.pk}"
            application.phone = ""
            application.motivation = ""
            application.answers = []
            application.anonymised_at = now
            application.save()
            count += 1
    return count
