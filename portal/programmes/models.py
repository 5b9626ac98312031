"""Training programmes and calls, each with a recruitment period and an application window,
and the applications visitors send to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index

from portal.core.blocks import RICH_TEXT_FEATURES
from portal.core.models import BoardIndexPage, BoardItemPage
from portal.programmes.selectors import ApplicationState, programme_application_state

# The largest number of participants one application may name when the programme has no
# capacity.
MAX_PARTICIPANTS = 200


class ProgrammePage(RoutablePageMixin, BoardItemPage):
    """A programme or call. Dates are Seoul calendar dates; both periods include their
    last day.

    The page itself takes applications: a GET shows the form while the window is open, a
    POST to the same address submits it, and ``applied/`` shows the reference to the
    session that applied (see ``views.py``).
    """

    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES)
    organiser = models.CharField(_("organiser"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    recruitment_start = models.DateField(_("recruitment starts"))
    recruitment_end = models.DateField(_("recruitment ends"))
    application_opens = models.DateField(_("applications open"))
    application_closes = models.DateField(_("applications close"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("How many participants or organisations can be accepted."),
    )

    ordering_field = "application_opens"

    content_panels = BoardItemPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldPanel("contact_email"),
                FieldPanel("sector"),
                FieldPanel("capacity"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("recruitment_start"), FieldPanel("recruitment_end")]),
                FieldRowPanel([FieldPanel("application_opens"), FieldPanel("application_closes")]),
            ],
            heading=_("Dates (Seoul time)"),
        ),
        InlinePanel(
            "questions",
            heading=_("Extra questions on the application form"),
            label=_("Question"),
        ),
    ]
    search_fields = BoardItemPage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("organiser"),
        index.FilterField("application_opens"),
        index.FilterField("sector"),
    ]

    parent_page_types = ["programmes.ProgrammeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.recruitment_start
            and self.recruitment_end
            and self.recruitment_end < self.recruitment_start
        ):
            errors["recruitment_end"] = _("Recruitment cannot end before it starts.")
        if (
            self.application_opens
            and self.application_closes
            and self.application_closes < self.application_opens
        ):
            errors["application_closes"] = _("Applications cannot close before they open.")
        if errors:
            raise ValidationError(errors)

    def state(self, at=None) -> ApplicationState:
        return programme_application_state(
            opens=self.application_opens, closes=self.application_closes, at=at
        )

    @property
    def application_state(self) -> str:
        return self.state().value

    @path("")
    def index_route(self, request, *args, **kwargs):
        from portal.programmes.views import programme_page_serve

        return programme_page_serve(request, page=self)

    @path("applied/", name="applied")
    def application_confirmation(self, request):
        from portal.programmes.views import programme_application_confirmation

        return programme_application_confirmation(request, page=self)


class ProgrammeQuestion(TranslatableMixin, Orderable):
    """A question editors add to a programme's application form; each becomes a text
    field. Translated with its page, so the English form asks in English."""

    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=255)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    required = models.BooleanField(_("required"), default=False)
    max_length = models.PositiveIntegerField(
        _("maximum length"),
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("The longest answer accepted, in characters (at most 5,000)."),
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("max_length")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# Applications that hold a place: all but the declined ones.
STATUSES_HOLDING_A_PLACE = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.ACCEPTED,
)
# Applications whose outcome is decided, and which may therefore be anonymised.
FINISHED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)


class ProgrammeApplication(models.Model):
    """One organisation's application to a programme.

    ``programme_key`` is the programme's translation key: the Korean and English pages of
    one programme share their applications, their capacity and the one-per-address rule.
    """

    programme = models.ForeignKey(
        ProgrammePage,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    programme_key = models.UUIDField(_("programme key"), db_index=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, editable=False
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    # The address as compared: lower case, so "A@x.org" and "a@x.org" are one applicant.
    email_normalised = models.CharField(max_length=254, editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"))
    motivation = models.TextField(_("motivation"), max_length=5000)
    answers = models.JSONField(_("answers to extra questions"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
        db_index=True,
    )
    acknowledged_at = models.DateTimeField(_("acknowledgement sent at"), null=True, blank=True)
    acknowledgement_failed_at = models.DateTimeField(
        _("acknowledgement failed at"),
        null=True,
        blank=True,
        help_text=_("Set when the e-mail to the applicant could not be sent; it is retried."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_key", "email_normalised"],
                name="programmes_one_application_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.organisation}"

    @property
    def answers_text(self) -> str:
        """The extra answers as "question: answer" lines, for the list export."""
        return "\n".join(f"{item['question']}: {item['answer']}" for item in self.answers or [])

    @property
    def status_history(self) -> str:
        """Every status change, oldest first, with who made it and when."""
        lines = []
        for change in self.status_changes.select_related("changed_by"):
            when = timezone.localtime(change.changed_at).strftime("%Y-%m-%d %H:%M")
            who = change.changed_by.get_username() if change.changed_by else "-"
            lines.append(
                f"{when} {change.get_from_status_display()} → {change.get_to_status_display()}"
                f" ({who})"
            )
        return "\n".join(lines) or "-"

    status_history.fget.short_description = _("Status history")
    answers_text.fget.short_description = _("Answers to the programme's questions")


class ApplicationStatusChange(models.Model):
    """Who moved an application to which status, and when."""

    application = models.ForeignKey(
        ProgrammeApplication, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ProgrammeIndexPage(BoardIndexPage):
    """The board of programmes and calls."""

    item_model = ProgrammePage
    year_field = "application_opens"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["programmes.ProgrammePage"]

    class Meta:
        verbose_name = _("programme board")
        verbose_name_plural = _("programme boards")
