"""The test suite: the same settings as production where it matters, fast where it does not."""

import tempfile
from pathlib import Path

from portal.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
INQUIRIES_NOTIFY_EMAILS = ["cooperation@example.org"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files straight from the app and package folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Generated API tests send thousands of requests from one address; the limit itself is
# tested with a lower value.
API_RATE_LIMIT = 1_000_000
# Tests read each response's template context, which a page served from the page cache
# does not have: the page cache is on only in its own tests (and those of invalidation).
PAGE_CACHE_SECONDS = 0
