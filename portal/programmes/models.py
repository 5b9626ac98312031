"""Training programmes and calls, each with a recruitment period and an application window."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from portal.core.blocks import RICH_TEXT_FEATURES
from portal.core.models import BoardIndexPage, BoardItemPage
from portal.core.serializers import SectorSerializer
from portal.programmes.selectors import ApplicationState, programme_application_state


class ProgrammePage(BoardItemPage):
    """A programme or call. Dates are Seoul calendar dates; both periods include their
    last day."""

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
    ]
    search_fields = BoardItemPage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("organiser"),
        index.FilterField("application_opens"),
        index.FilterField("sector"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("description"),
        APIField("organiser"),
        APIField("contact_email"),
        APIField("recruitment_start"),
        APIField("recruitment_end"),
        APIField("application_opens"),
        APIField("application_closes"),
        APIField("capacity"),
        APIField("application_state"),
        APIField("sector", serializer=SectorSerializer()),
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


class ProgrammeIndexPage(BoardIndexPage):
    """The board of programmes and calls."""

    item_model = ProgrammePage
    year_field = "application_opens"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["programmes.ProgrammePage"]

    class Meta:
        verbose_name = _("programme board")
        verbose_name_plural = _("programme boards")
