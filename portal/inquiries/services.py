"""Writes on cooperation requests: submit, e-mail, status, assignment, notes, reply, purge."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.core.services import reference_next
from portal.inquiries.models import (
    CooperationRequest,
    MailState,
    RequestNote,
    Status,
    StatusChange,
)
from portal.inquiries.selectors import (
    inquiry_by_submission,
    notify_recipients,
    requests_to_anonymise,
)

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "SS"
ANONYMISED = "[removed]"

# Where a request may go from each status. Spam can be undone (back to new); a closed
# request can be reopened for review.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_REVIEW, Status.ANSWERED, Status.CLOSED, Status.SPAM},
    Status.IN_REVIEW: {Status.NEW, Status.ANSWERED, Status.CLOSED, Status.SPAM},
    Status.ANSWERED: {Status.IN_REVIEW, Status.CLOSED, Status.SPAM},
    Status.CLOSED: {Status.IN_REVIEW},
    Status.SPAM: {Status.NEW},
}


def inquiry_submit(
    *, data: dict, related_pages: Iterable[Page], language: str
) -> CooperationRequest:
    """Store a valid request with its reference in one transaction; once committed, send
    the acknowledgement and the staff notification.

    A form sent again with the submission id of a stored request (a double click; the
    proxy passing it to another server after the first failed) is that request: it is
    returned as it is, and nothing is stored or sent twice.
    """
    submission = data.get("submission")
    if earlier := inquiry_by_submission(submission=submission):
        return earlier
    try:
        with transaction.atomic():
            reference = reference_next(series=REFERENCE_PREFIX, year=timezone.localdate().year)
            request = CooperationRequest.objects.create(
                reference=reference, language=language, **data
            )
            request.related_pages.set(list(related_pages))
            transaction.on_commit(partial(inquiry_send_mail, request_id=request.pk))
    except IntegrityError:
        # The same form, stored meanwhile by another worker or server.
        if earlier := inquiry_by_submission(submission=submission):
            return earlier
        raise
    return request


def _admin_url(request: CooperationRequest) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("cooperation_requests:edit", args=[request.pk])


def _acknowledgement(request: CooperationRequest) -> EmailMessage:
    with translation.override(request.language):
        context = {"request": request, "site_name": gettext("Seoul Solution")}
        subject = gettext("Your request to Seoul Solution: %(reference)s") % {
            "reference": request.reference
        }
        body = render_to_string("inquiries/email/acknowledgement.txt", context)
    return EmailMessage(subject=subject, body=body, to=[request.email])


def _notification(request: CooperationRequest) -> EmailMessage:
    recipients = notify_recipients()
    if not recipients:
        raise RuntimeError("No staff recipients: set INQUIRIES_NOTIFY_EMAILS or ADMINS.")
    # Staff read the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": request, "admin_url": _admin_url(request)}
        subject = gettext("New cooperation request %(reference)s") % {
            "reference": request.reference
        }
        body = render_to_string("inquiries/email/notification.txt", context)
    return EmailMessage(subject=subject, body=body, to=recipients)


def _send_one(request: CooperationRequest, which: str, build) -> bool:
    """Send one of the request's e-mails and record the outcome on the request; a failure
    is recorded, never raised."""
    try:
        build(request).send(fail_silently=False)
    except Exception as exc:  # SMTP, DNS, a missing recipient: all are recorded the same way
        logger.warning("The %s e-mail of %s failed.", which, request.reference, exc_info=True)
        state, error = MailState.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    else:
        state, error = MailState.SENT, ""
    CooperationRequest.objects.filter(pk=request.pk).update(
        **{
            f"{which}_state": state,
            f"{which}_attempts": F(f"{which}_attempts") + 1,
            f"{which}_error": error,
        }
    )
    return state == MailState.SENT


def inquiry_send_mail(*, request_id: int) -> dict[str, bool]:
    """Send whichever of the request's two e-mails is not sent yet; what was sent now."""
    request = CooperationRequest.objects.get(pk=request_id)
    sent = {}
    if request.anonymised_at is not None:
        return sent
    if request.acknowledgement_state != MailState.SENT:
        sent["acknowledgement"] = _send_one(request, "acknowledgement", _acknowledgement)
    if request.notification_state != MailState.SENT:
        sent["notification"] = _send_one(request, "notification", _notification)
    return sent


def inquiry_change_status(
    *, request: CooperationRequest, status: str, by: AbstractBaseUser | None
) -> StatusChange | None:
    """Move ``request`` to ``status`` and record who did it and when; ``None`` when it
    already has that status. Raises ``ValidationError`` for a move that is not allowed."""
    if status == request.status:
        return None
    if status not in TRANSITIONS.get(request.status, set()):
        raise ValidationError(
            _("A request cannot go from “%(from)s” to “%(to)s”."),
            code="transition",
            params={
                "from": Status(request.status).label,
                "to": Status(status).label if status in Status.values else status,
            },
        )
    with transaction.atomic():
        change = StatusChange.objects.create(
            request=request, from_status=request.status, to_status=status, changed_by=by
        )
        request.status = status
        CooperationRequest.objects.filter(pk=request.pk).update(status=status)
    return change


def inquiry_assign(*, request: CooperationRequest, assignee: AbstractBaseUser | None) -> None:
    request.assignee = assignee
    CooperationRequest.objects.filter(pk=request.pk).update(assignee=assignee)


def inquiry_add_note(
    *, request: CooperationRequest, text: str, by: AbstractBaseUser | None
) -> RequestNote:
    return RequestNote.objects.create(request=request, text=text, author=by)


def inquiry_record_reply(
    *, request: CooperationRequest, text: str, by: AbstractBaseUser | None
) -> None:
    """Keep the answer sent to the requester; a new or in-review request becomes answered."""
    if text == request.reply_text:
        return
    with transaction.atomic():
        request.reply_text = text
        request.replied_at = timezone.now() if text else None
        CooperationRequest.objects.filter(pk=request.pk).update(
            reply_text=request.reply_text, replied_at=request.replied_at
        )
        if text and request.status in (Status.NEW, Status.IN_REVIEW):
            inquiry_change_status(request=request, status=Status.ANSWERED, by=by)


def inquiries_anonymise(*, older_than: dt.datetime, dry_run: bool) -> int:
    """Remove the personal data of closed and spam requests created before ``older_than``;
    reference, kind, city, country, language, status, dates and numbers stay for
    statistics. How many requests were (or, with ``dry_run``, would be) anonymised."""
    candidates = requests_to_anonymise(older_than=older_than)
    if dry_run:
        return candidates.count()
    with transaction.atomic():
        ids = list(candidates.select_for_update().values_list("pk", flat=True))
        RequestNote.objects.filter(request_id__in=ids).update(text=ANONYMISED)
        requests = CooperationRequest.objects.filter(pk__in=ids)
        requests.exclude(reply_text="").update(reply_text=ANONYMISED)
        count = requests.update(
            name=ANONYMISED,
            organisation=ANONYMISED,
            email="",
            message=ANONYMISED,
            anonymised_at=timezone.now(),
        )
    return count
