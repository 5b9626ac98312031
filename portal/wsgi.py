"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE=portal.settings.production.

Stored anonymous pages are sent by ``PageCacheApp`` before Django builds a request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

django_application = get_wsgi_application()

from portal.core.page_cache import PageCacheApp  # noqa: E402  (needs the settings loaded)

application = PageCacheApp(django_application)
