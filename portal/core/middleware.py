"""Django's LocaleMiddleware, except for the addresses that have no language prefix."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
