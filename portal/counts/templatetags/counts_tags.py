"""The beacon that counts a page view, and the view count shown on a page."""

from django import template

from portal.counts.models import CountKind
from portal.counts.selectors import total

register = template.Library()


@register.inclusion_tag("counts/beacon.html", takes_context=True)
def view_beacon(context, page):
    """The counting picture, for a published page seen by a visitor (not a preview)."""
    request = context.get("request")
    counted = bool(
        page is not None
        and getattr(page, "pk", None)
        and getattr(page, "live", False)
        and not getattr(request, "is_preview", False)
    )
    return {"page_id": page.pk if counted else None}


@register.simple_tag
def view_count(page) -> int:
    return total(kind=CountKind.PAGE_VIEW, object_id=page.pk)
