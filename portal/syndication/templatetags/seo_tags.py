"""``{% page_meta page %}``: the <head> metadata of every public page (see metadata.py)."""

from django import template
from wagtail.models import Page

from portal.syndication.metadata import page_meta as build_page_meta
from portal.syndication.metadata import view_meta

register = template.Library()


@register.inclusion_tag("syndication/page_meta.html", takes_context=True)
def page_meta(context, page: Page | None = None) -> dict:
    """Canonical URL, hreflang, feeds, OpenGraph and JSON-LD of the page being rendered.

    Pages served by views of their own (search, the request form) pass no Wagtail page:
    their title and language links come from the view's context instead.
    """
    request = context.get("request")
    if request is None:  # the server error page renders without a request
        return {"meta": None}
    if isinstance(page, Page):
        return {"meta": build_page_meta(request, page, context.get("items_page"))}
    return {"meta": view_meta(request, context.get("page_title"), context.get("language_links"))}
