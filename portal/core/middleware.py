"""Middleware of the whole site: the language (with machine addresses left alone) and the
Wagtail site of each request."""

from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.models import Site

from portal.core.content_version import cached_content

# Machine-read addresses outside /ko/ and /en/: a 404 there is an answer, not a page
# whose language prefix was forgotten, so it is never redirected to /ko/….
UNPREFIXED = ("/api/", "/oai/", "/sitemap", "/robots.txt", "/documents/", "/admin/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class SiteMiddleware:
    """Finds the request's Wagtail site in the shared cache instead of a query per request
    (Wagtail reads ``request._wagtail_site`` when it is set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(UNPREFIXED):  # pages only; the rest asks Wagtail
            return self.get_response(request)
        # After CommonMiddleware: only allowed host names get this far (and into the cache).
        hostname = split_domain_port(request.get_host())[0]
        key = f"site:{hostname}:{request.get_port()}"
        request._wagtail_site = cached_content(key, lambda: Site._find_for_request(request))
        # Read by every page URL built; Wagtail would ask the cache store each request.
        request._wagtail_cached_site_root_paths = cached_content(
            "site-root-paths", Site.get_site_root_paths
        )
        return self.get_response(request)
