"""Tombstones: what harvesters are told about items that are no longer published."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletedRecord(models.Model):
    """One language version of an item that was harvestable and no longer is.

    The repository declares ``deletedRecord=persistent``: a harvester that copied the
    record must learn that it went, so the record stays listed (as deleted) instead of
    vanishing. The page row may be gone, so everything the header needs is kept here.
    """

    identifier = models.CharField(_("OAI identifier"), max_length=255, db_index=True)
    kind = models.CharField(_("kind"), max_length=20)
    page_id = models.PositiveIntegerField(_("page id"), unique=True)
    language = models.CharField(_("language"), max_length=10)
    # The sector's slug, also in ``sets``: a column so that set selection is one filter on
    # every database (SQLite cannot look inside JSON lists).
    sector = models.SlugField(_("sector"), max_length=60, blank=True)
    sets = models.JSONField(_("sets"), default=list)
    deleted_at = models.DateTimeField(_("deleted at"))

    class Meta:
        ordering = ["deleted_at", "page_id"]
        indexes = [models.Index(fields=["deleted_at", "page_id"], name="oai_deleted_order")]
        verbose_name = _("deleted OAI record")
        verbose_name_plural = _("deleted OAI records")

    def __str__(self) -> str:
        return self.identifier
