"""Reads of partners for the directory and the home page's strip."""

from django.db.models import QuerySet

from portal.partners.models import Partner, PartnerKind


def partners_for_home() -> QuerySet[Partner]:
    return Partner.objects.filter(show_on_home=True).select_related("logo")


def partners_by_kind() -> list[tuple[str, list[Partner]]]:
    """Partners grouped by kind, in the order the kinds are declared; empty kinds left out."""
    groups: dict[str, list[Partner]] = {}
    for partner in Partner.objects.select_related("logo"):
        groups.setdefault(partner.kind, []).append(partner)
    return [(label, groups[value]) for value, label in PartnerKind.choices if value in groups]
