"""Reads of cooperation requests: mail still to send, purge candidates, likely policies,
the request a form already stored."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.inquiries.models import CooperationRequest, MailState, Status

logger = logging.getLogger(__name__)

# A pending e-mail younger than this may still be on its way from the request that
# saved it (on_commit); the retry command leaves it alone.
PENDING_GRACE = dt.timedelta(minutes=5)
UNSENT = [MailState.PENDING, MailState.FAILED]


@dataclass(frozen=True)
class PolicyGroup:
    """The published policies of one sector, offered to a visitor to attach to a request."""

    sector: str
    pages: list


@dataclass(frozen=True)
class LikelyPage:
    title: str
    url: str


def notify_recipients() -> list[str]:
    """Who hears of a new request: ``INQUIRIES_NOTIFY_EMAILS``, else the ``ADMINS``."""
    configured = list(getattr(settings, "INQUIRIES_NOTIFY_EMAILS", []))
    return configured or [address for _name, address in settings.ADMINS]


def requests_with_unsent_mail(*, now: dt.datetime | None = None) -> QuerySet[CooperationRequest]:
    """Requests whose acknowledgement or staff notification failed, or is still pending
    after the grace period."""
    now = now or timezone.now()
    settled = Q(created_at__lte=now - PENDING_GRACE)
    return CooperationRequest.objects.filter(anonymised_at__isnull=True).filter(
        Q(acknowledgement_state=MailState.FAILED)
        | Q(notification_state=MailState.FAILED)
        | (settled & Q(acknowledgement_state=MailState.PENDING))
        | (settled & Q(notification_state=MailState.PENDING))
    )


def requests_to_anonymise(*, older_than: dt.datetime) -> QuerySet[CooperationRequest]:
    """Closed and spam requests created before ``older_than`` that still hold personal data."""
    return CooperationRequest.objects.filter(
        status__in=[Status.CLOSED, Status.SPAM],
        created_at__lt=older_than,
        anonymised_at__isnull=True,
    )


def likely_pages(*, request: CooperationRequest, limit: int = 5) -> list[LikelyPage]:
    """The pages the site's search finds for the request's message, best first: what the
    request most likely asks about. An empty list when the search is unavailable."""
    from portal.search.selectors import search_page

    if not request.message or request.anonymised_at:
        return []
    try:
        results = search_page(
            query=request.message[:200], language=request.language, per_page=limit
        )
    except Exception:  # the admin page must open even when the search index is broken
        logger.warning("No likely pages for %s: the search failed.", request, exc_info=True)
        return []
    return [LikelyPage(title=hit.title, url=hit.url) for hit in results.hits[:limit]]


def policy_choices(*, language: str, exclude: set[int]) -> list[PolicyGroup]:
    """The live policies in ``language`` grouped by sector in the sectors' order, titles
    in alphabetical order, leaving out the pages already attached (``exclude``)."""
    from django.utils.translation import gettext

    from portal.policies.models import PolicyPage

    policies = (
        PolicyPage.objects.live()
        .filter(locale__language_code=language)
        .exclude(pk__in=exclude)
        .select_related("sector")
        .only("pk", "title", "sector")
        .order_by("sector__sort_order", "sector__slug", "title")
    )
    groups: dict[str, list] = {}
    for page in policies:
        name = page.sector.name if page.sector else gettext("Other")
        groups.setdefault(name, []).append(page)
    return [PolicyGroup(sector=name, pages=pages) for name, pages in groups.items()]


def inquiry_by_submission(*, submission: uuid.UUID | None) -> CooperationRequest | None:
    """The request stored from the form with this submission id, if any."""
    if submission is None:
        return None
    return CooperationRequest.objects.filter(submission=submission).first()
