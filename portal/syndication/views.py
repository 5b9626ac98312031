"""The sitemap and robots.txt, at the site's root."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import prepare_sitemaps
from wagtail.models import Page

from portal.syndication.sitemaps import PortalSitemap

SITEMAPS = {"pages": PortalSitemap}


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the pages themselves while they fit in one file (50,000 URLs),
    else an index of numbered files (``/sitemap-pages.xml?p=2``)."""
    sitemaps = prepare_sitemaps(request, SITEMAPS)
    if "p" not in request.GET and any(s.paginator.num_pages > 1 for s in sitemaps.values()):
        return sitemap_views.index(
            request, sitemaps, sitemap_url_name="syndication-sitemap-section"
        )
    return sitemap_views.sitemap(request, sitemaps)


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One file of a sitemap index."""
    return sitemap_views.sitemap(request, prepare_sitemaps(request, SITEMAPS), section=section)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Everything may be crawled but the admin, search results and the confirmation pages
    of the request and application forms, which hold nothing to index."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths(request)]
    lines += [
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('syndication-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def disallowed_paths(request: HttpRequest) -> list[str]:
    # The admin, and the counting beacon (a crawler's visit is not a reader's).
    paths = [reverse("wagtailadmin_home"), _parent(reverse("counts:view", args=[1]))]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("search:search"))
            paths.append(_parent(reverse("inquiries:sent", kwargs={"reference": "x"})))
    return paths + programme_confirmation_paths(request)


def programme_confirmation_paths(request: HttpRequest) -> list[str]:
    """``<board>/*/applied/`` under each programme board: the page that shows an applicant
    their reference (a wildcard, as RFC 9309 allows)."""
    from portal.programmes.models import ProgrammeIndexPage, ProgrammePage

    applied = ProgrammePage().reverse_subpage("applied")
    boards = Page.objects.live().type(ProgrammeIndexPage).order_by("path")
    return [f"{url}*/{applied}" for board in boards if (url := board.get_url(request))]


def _parent(path: str) -> str:
    """``/ko/inquiries/request/sent/x/`` → ``/ko/inquiries/request/sent/``."""
    return path.rstrip("/").rsplit("/", 1)[0] + "/"
