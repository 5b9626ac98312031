"""Local development: debug pages, a throw-away key, e-mail printed to the console."""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_bool, env_int, env_list, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-7f1c2e9a4b")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
INQUIRIES_NOTIFY_EMAILS = env_list("INQUIRIES_NOTIFY_EMAILS", ["cooperation@localhost"])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A template or code change shows at once: no page cache unless asked for.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
