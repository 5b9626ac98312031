"""A cooperation request, its notes and status history, and the per-year reference counter."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 5000
PEOPLE_MAX = 200


class Kind(models.TextChoices):
    STUDY_VISIT = "study_visit", _("Study visit")
    CONSULTING = "consulting", _("Consulting")
    TRAINING = "training", _("Training")
    PARTNERSHIP = "partnership", _("Partnership")
    INFORMATION = "information", _("Information")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    SPAM = "spam", _("Spam")


class MailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class CooperationRequest(models.Model):
    """A request from a city or organisation abroad for a study visit, consulting,
    training, a partnership or information."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # The id the form was given when it was shown: the same form sent twice (a double
    # click, or the proxy sending it again to another server after the first failed)
    # is one request.
    submission = models.UUIDField(_("submission id"), null=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        help_text=_("The language the requester wrote in; e-mails to them use it."),
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=100, db_index=True)
    # Blank only once the request has been anonymised.
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    kind = models.CharField(_("kind of request"), max_length=20, choices=Kind.choices)
    related_pages = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        verbose_name=_("related pages"),
        help_text=_("The pages the requester was reading when they wrote."),
    )
    preferred_start = models.DateField(_("preferred start date"), null=True, blank=True)
    preferred_end = models.DateField(_("preferred end date"), null=True, blank=True)
    people = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(PEOPLE_MAX)],
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    consent = models.BooleanField(
        _("consent to the privacy notice"),
        default=False,
        help_text=_("The requester agreed that Seoul keeps their data to answer the request."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
        help_text=_("The staff member who answers this request."),
    )
    reply_text = models.TextField(
        _("reply"),
        blank=True,
        max_length=20000,
        help_text=_("The answer sent to the requester, kept with the request."),
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    acknowledgement_state = models.CharField(
        _("acknowledgement e-mail"),
        max_length=10,
        choices=MailState.choices,
        default=MailState.PENDING,
    )
    acknowledgement_attempts = models.PositiveSmallIntegerField(
        _("acknowledgement attempts"), default=0
    )
    acknowledgement_error = models.TextField(_("last acknowledgement error"), blank=True)
    notification_state = models.CharField(
        _("staff notification e-mail"),
        max_length=10,
        choices=MailState.choices,
        default=MailState.PENDING,
    )
    notification_attempts = models.PositiveSmallIntegerField(_("notification attempts"), default=0)
    notification_error = models.TextField(_("last notification error"), blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        help_text=_("When the personal data was removed; statistics fields are kept."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_end__isnull=True)
                | Q(preferred_start__isnull=True)
                | Q(preferred_end__gte=models.F("preferred_start")),
                name="inquiries_request_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(people__gte=1) & Q(people__lte=PEOPLE_MAX),
                name="inquiries_request_people_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def mail_failed(self) -> bool:
        return MailState.FAILED in (self.acknowledgement_state, self.notification_state)


class RequestNote(models.Model):
    """An internal note by staff; the requester never sees it."""

    request = models.ForeignKey(
        CooperationRequest,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    text = models.TextField(_("note"), max_length=5000)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.text[:40]}"


class StatusChange(models.Model):
    """One change of a request's status: from what, to what, by whom, when."""

    request = models.ForeignKey(
        CooperationRequest,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("request"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"
