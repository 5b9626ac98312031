"""How often pages are read and documents downloaded, per day: numbers, never people.

No row holds anything about a visitor (no address, no cookie, no user agent): a view or
a download adds one to the count of its object for the day, in Seoul time.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountKind(models.TextChoices):
    PAGE_VIEW = "view", _("page view")
    DOWNLOAD = "download", _("document download")


class DailyCount(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=CountKind.choices)
    # A page's id for a view, a document's for a download.
    object_id = models.PositiveIntegerField(_("object id"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "day"], name="unique_daily_count")
        ]
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.day}: {self.count}"


class SearchLog(models.Model):
    """One search made on the site: what was asked, in which language, how many items it
    found, and which result was opened, if any. Nothing about who searched."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    results = models.PositiveIntegerField(_("number of results"))
    searched_at = models.DateTimeField(_("searched at"), auto_now_add=True, db_index=True)
    clicked_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("result opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        indexes = [models.Index(fields=["query", "language", "searched_at"])]

    def __str__(self) -> str:
        return f"{self.language}: {self.query} ({self.results})"
