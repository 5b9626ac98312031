"""The sitemap: every live, public page of the site in every language, each with links
to its other language versions, so search engines index each version once, in its own
language."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.core.catalogue import absolute_url

# x-default: the Korean version, where visitors of other languages land first.
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


class PortalSitemap(Sitemap):
    """Wagtail's sitemap covers only the site's root page and its descendants, which is
    the Korean tree here; this one covers the root's translations too, and adds the
    hreflang alternates of each page. Locations use the requesting host."""

    limit = 50_000

    def items(self) -> QuerySet[Page]:
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_root = Q()
        for root in roots:
            under_a_root |= Q(path__startswith=root.path)
        return (
            Page.objects.live()
            .public()
            .filter(under_a_root)
            .select_related("locale")
            .order_by("path")
        )

    def lastmod(self, page: Page) -> dt.datetime | None:
        return page.last_published_at or page.latest_revision_created_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        # Django's version reads every page; one aggregate does.
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict]:
        pages = list(self.paginator.page(page).object_list)
        versions = public_versions(pages)
        urls = [
            info
            for item in pages
            if (info := self.url_info(item, versions[item.translation_key])) is not None
        ]
        lastmods = [info["lastmod"] for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def url_info(self, page: Page, versions: dict[str, Page]) -> dict | None:
        """One ``<url>`` of the sitemap; ``None`` for a page no URL leads to."""
        if page.get_url(self.request) is None:
            return None
        locations = {
            code: absolute_url(self.request, version)
            for code, version in sorted(versions.items())
            if version.get_url(self.request) is not None
        }
        alternates = [{"lang_code": code, "location": url} for code, url in locations.items()]
        if DEFAULT_LANGUAGE in locations:
            alternates.append({"lang_code": "x-default", "location": locations[DEFAULT_LANGUAGE]})
        return {
            "item": page,
            "location": absolute_url(self.request, page),
            "lastmod": self.lastmod(page),
            "changefreq": None,
            "priority": "",
            "alternates": alternates,
        }


def public_versions(pages: list[Page]) -> dict[object, dict[str, Page]]:
    """For each translation key of ``pages``, its live public versions by language."""
    keys = {page.translation_key for page in pages}
    found: dict[object, dict[str, Page]] = {key: {} for key in keys}
    versions = Page.objects.live().public().filter(translation_key__in=keys)
    for version in versions.select_related("locale"):
        found[version.translation_key][version.locale.language_code] = version
    return found
