"""Archive items (brochures, reports, interviews, videos) and the archive board."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from portal.core.blocks import RICH_TEXT_FEATURES
from portal.core.models import BoardIndexPage, BoardItemPage


class ArchiveKind(models.TextChoices):
    BROCHURE = "brochure", _("Brochure")
    REPORT = "report", _("Report")
    INTERVIEW = "interview", _("Interview")
    VIDEO = "video", _("Video")


class ArchivePageTag(TaggedItemBase):
    """The link between an archive item and one of its tags."""

    content_object = ParentalKey(
        "archives.ArchivePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArchivePage(BoardItemPage):
    """A published resource: a document to download, an external page or a video."""

    kind = models.CharField(_("kind"), max_length=20, choices=ArchiveKind.choices)
    date = models.DateField(_("registration date"))
    author = models.CharField(_("author"), max_length=100)
    publication_year = models.PositiveSmallIntegerField(
        _("publication year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The PDF visitors download."),
    )
    external_url = models.URLField(
        _("external link"), blank=True, help_text=_("Where the item is published elsewhere.")
    )
    video_url = models.URLField(_("video URL"), blank=True)

    tags = ClusterTaggableManager(
        verbose_name=_("tags"),
        through=ArchivePageTag,
        blank=True,
        help_text=_("Keywords in Korean or English, separated by commas."),
    )

    content_panels = BoardItemPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("date"),
                FieldPanel("author"),
                FieldPanel("publication_year"),
                FieldPanel("sector"),
                FieldPanel("tags"),
            ],
            heading=_("About this item"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("external_url"), FieldPanel("video_url")],
            heading=_("Where to get it"),
        ),
    ]
    search_fields = BoardItemPage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
        index.FilterField("publication_year"),
        index.FilterField("sector"),
        index.RelatedFields("sector", [index.SearchField("name_ko"), index.SearchField("name_en")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["archives.ArchiveIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")

    def document_facts(self) -> DocumentFacts | None:
        """What the check of the attached document found, if it was checked."""
        if self.document_id is None:
            return None
        return DocumentFacts.objects.filter(document_id=self.document_id).first()

    def clean(self):
        super().clean()
        if self.kind == ArchiveKind.VIDEO and not self.video_url:
            raise ValidationError({"video_url": _("A video needs its video URL.")})


class ArchiveIndexPage(BoardIndexPage):
    """The archive board, filterable by kind as well."""

    item_model = ArchivePage
    year_field = "publication_year"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["archives.ArchivePage"]

    class Meta:
        verbose_name = _("archive board")
        verbose_name_plural = _("archive boards")

    def filter_kinds(self):
        return ArchiveKind.choices


class DocumentFacts(models.Model):
    """What the check of a document's file found: pages, and whether it has readable text.

    Written each time a file is accepted (see ``portal.archives.forms``); a file whose
    text cannot be read (a scan) is kept, and flagged by ``text_readable``.
    """

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="facts"
    )
    pages = models.PositiveIntegerField(_("pages"))
    text_readable = models.BooleanField(_("text readable"))
    # Of the text: "ko" or "en"; "" when the file has no readable text.
    language = models.CharField(_("language"), max_length=8, blank=True)
    # The first page, drawn when the file was accepted.
    thumbnail = models.ImageField(_("thumbnail"), upload_to="documents/thumbnails", blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("document facts")
        verbose_name_plural = _("document facts")

    def __str__(self) -> str:
        return f"{self.document}: {self.pages} p."


class DocumentPageText(models.Model):
    """The text of one page of a document, for search."""

    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="page_texts"
    )
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("document page text")
        verbose_name_plural = _("document page texts")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_page")
        ]
        ordering = ["document", "number"]

    def __str__(self) -> str:
        return f"{self.document}, p. {self.number}"
