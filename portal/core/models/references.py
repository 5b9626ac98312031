"""Reference numbers given to what visitors send (requests, applications)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceCounter(models.Model):
    """The last number given out in one series (``SS``, ``AP``…) and year. Its row is
    locked while a record takes the next number, so two records never share one and
    whatever the caller checks inside that transaction is checked one at a time."""

    series = models.CharField(_("series"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="unique_reference_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_number}"
