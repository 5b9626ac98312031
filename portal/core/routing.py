"""Page routing from the shared cache.

Wagtail finds the page of ``/ko/news/some-story/`` by asking the database for each
segment's child and then for its specific type: two queries per level. The answer only
changes when pages are published, moved or removed, so the page's id and type are kept
under the content version, and the page itself is then read with one query.

Only plain routes are kept; a route that carries arguments (a sub-page of a routable
page, such as a programme's application confirmation) and a path with no page are
routed by Wagtail every time.
"""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from portal.core.content_version import cached_content


def _plain_route(request: HttpRequest, path: str) -> tuple[int, str] | None:
    found = Page.route_for_request(request, path)  # kept on the request by Wagtail
    if found is None or found.args or found.kwargs:
        return None
    page = found.page
    return page.pk, page._meta.label_lower


def cached_route(request: HttpRequest, path: str) -> RouteResult | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    key = f"route:{site.pk}:{translation.get_language()}:{path}"
    target = cached_content(key, lambda: _plain_route(request, path))
    if target is None:
        return None
    route = getattr(request, "_wagtail_route_for_request", None)
    if route is not None:  # routed just now, while building the entry
        return route
    page_id, model_label = target
    page = apps.get_model(model_label).objects.filter(pk=page_id, live=True).first()
    return RouteResult(page) if page is not None else None


def serve(request: HttpRequest, path: str):
    """Wagtail's ``serve``, with the route from the cache when it has one."""
    routed = hasattr(request, "_wagtail_route_for_request")
    if not routed and (route := cached_route(request, path)) is not None:
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)
