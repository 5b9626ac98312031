"""URLs: the admin and documents without a language prefix, every public page under /ko/ or /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import health, routing

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("portal.api.urls")),
    path("oai/", include("portal.oai.urls")),
    path("count/", include("portal.counts.urls")),
    path("", include("portal.syndication.root_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# "/" has no page of its own: LocaleMiddleware redirects it to /ko/ or /en/ by the
# visitor's Accept-Language, Korean when unsure (LANGUAGE_CODE). The search and the
# cooperation request form come before Wagtail's catch-all, which would otherwise look
# for pages with the slugs "search" and "inquiries".
urlpatterns += i18n_patterns(
    path("search/", include("portal.search.urls")),
    path("inquiries/", include("portal.inquiries.urls")),
    path("feeds/", include("portal.syndication.urls")),
    # Wagtail's own URLs, its page view served with routes from the cache.
    *[p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=True,
)

# A database that cannot be reached is answered 503 with a page that needs none.
handler500 = "portal.core.errors.server_error"
