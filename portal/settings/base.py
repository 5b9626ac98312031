"""Settings shared by every environment; the other modules override only what differs."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.settings.env import env_bool, env_choice, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# Everything the site writes (SQLite database, uploads, collected static files) lives
# under one git-ignored folder, so a checkout stays clean and one path is backed up.
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.core",
    "portal.home",
    "portal.news",
    "portal.archives",
    "portal.policies",
    "portal.partners",
    "portal.programmes",
    "portal.glossary",
    "portal.search",
    "portal.inquiries",
    "portal.api",
    "portal.oai",
    "portal.syndication",
    "portal.counts",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",
]

MIDDLEWARE = [
    # Outermost: every log line of a request, and its response, carry the request's id.
    "portal.core.request_log.RequestIdMiddleware",
    # Then: a cached page is sent as stored, with the headers every layer below added.
    "portal.core.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Inside the page cache, so that a stored page keeps the headers it was sent with.
    "portal.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.LocaleMiddleware",
    "portal.api.middleware.ApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.core.middleware.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None:
    # The embedded default: a SQLite file that needs nothing but this folder.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: pages are served without the cache (see portal/core/cache.py);
            # short timeouts so a dead store costs a visitor milliseconds, not seconds.
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    # The embedded default: files every process of this machine shares, so a change of
    # content (or a rate limit) is seen by all the workers at once.
    CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientFileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Korean is the default and the fallback when a visitor's preference is unknown.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Programme windows and registration dates are Seoul dates.
TIME_ZONE = "Asia/Seoul"

STATIC_URL = "/static/"
# Several app servers may share one collected copy (the stack in deploy/stack.py does).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    # The design system's CSS, fonts and scripts, installed from npm (package.json).
    ("krds", BASE_DIR / "node_modules" / "krds-uiux" / "resources"),
    # The package's component.css asks for its icons one folder deeper than they lie
    # (../../img/img/component/...); this second prefix makes those URLs resolve.
    ("krds/img/img", BASE_DIR / "node_modules" / "krds-uiux" / "resources" / "img"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded files: the folder MEDIA_ROOT (which several servers may mount from one
# place), or S3-compatible storage when MEDIA_S3_BUCKET is set.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "portal.core.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Another provider than AWS: its address, e.g. https://kr.object.ncloudstorage.com
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL"),
            "region_name": env_str("MEDIA_S3_REGION"),
            # Without keys, boto3's own chain: AWS_* variables, an instance role.
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY"),
            "location": env_str("MEDIA_S3_PREFIX", ""),
            # A public bucket or a CDN in front: plain addresses on that domain.
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN"),
            # Otherwise addresses signed for an hour, so the bucket can stay private.
            "querystring_auth": env_str("MEDIA_S3_CUSTOM_DOMAIN") is None,
            "querystring_expire": 3600,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Seoul Solution <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Cooperation requests (portal/inquiries). Staff notified of each new request; when
# empty, the ADMINS are; when both are empty the notification is marked failed, so the
# admin's "Mail failed" filter shows it and `send_pending_inquiry_mail` sends it later.
INQUIRIES_NOTIFY_EMAILS = env_list("INQUIRIES_NOTIFY_EMAILS")
ADMINS = [(address, address) for address in env_list("ADMINS")]
# The proxies whose X-Forwarded-For header names the visitor (addresses or networks):
# nginx on the same machine, as shipped. Behind it every request comes from 127.0.0.1, and
# the rate limits and sign-in throttling below must count each visitor, not nginx.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
# Accepted requests per visitor address and window (seconds); more are refused.
INQUIRIES_RATE_LIMIT = env_int("INQUIRIES_RATE_LIMIT", 5)
INQUIRIES_RATE_WINDOW = env_int("INQUIRIES_RATE_WINDOW", 3600)

# The JSON API: requests per address per window, and how long clients may reuse an answer.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 300)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)

# Security headers on every response (portal.core.security). No inline script runs without
# the response's nonce; inline styles are allowed (the admin sets style attributes).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "media-src": "'self'",
    "frame-src": "'self'",
    "frame-ancestors": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Admin sign-in: wrong passwords allowed per address and per account in the window
# (seconds) before sign-in is refused for the rest of it (portal.core.login).
WAGTAILADMIN_USER_LOGIN_FORM = "portal.core.login.ThrottledLoginForm"
# No avatars fetched from gravatar.com: editors' e-mail hashes stay here, and the
# policy below allows images from this site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for a newer version.
WAGTAIL_ENABLE_UPDATE_CHECK = False
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 5)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 20)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900)
API_MAX_AGE = env_int("API_MAX_AGE", 60)
# Anonymous pages are kept in the shared cache this long at most (0 turns the page cache
# off); a change of content ends them at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

# OAI-PMH: the repository's name in identifiers (oai:<this>:policy/12), records per answer.
OAI_REPOSITORY_IDENTIFIER = env_str("OAI_REPOSITORY_IDENTIFIER", "seoulsolution.kr")
OAI_PAGE_SIZE = env_int("OAI_PAGE_SIZE", 100)
OAI_ADMIN_EMAIL = env_str("OAI_ADMIN_EMAIL", "webmaster@seoulsolution.kr")
# A request body larger than this is refused before its fields are read.
INQUIRIES_MAX_BODY_BYTES = env_int("INQUIRIES_MAX_BODY_BYTES", 64 * 1024)

WAGTAIL_SITE_NAME = _("Seoul Solution")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# From this many search entries (a large index) the site search matches words itself,
# over postings in a file every process maps, and compares meanings by cluster, over
# embeddings in another such file (see docs/search.md).
SEARCH_POSTINGS_FROM = env_int("SEARCH_POSTINGS_FROM", 20_000)
SEARCH_SHARED_VECTORS_FROM = env_int("SEARCH_SHARED_VECTORS_FROM", 20_000)
# Archive attachments are documents a visitor downloads; only PDFs are accepted.
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# Every uploaded document is read in a child process before it is accepted (see
# portal/archives/pdf.py): a real PDF, not encrypted, within these limits.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.archives.forms.CheckedDocumentForm"
DOCUMENT_MAX_PAGES = env_int("DOCUMENT_MAX_PAGES", 2000)
DOCUMENT_MAX_TEXT_CHARS = env_int("DOCUMENT_MAX_TEXT_CHARS", 2_000_000)
DOCUMENT_CHECK_SECONDS = env_int("DOCUMENT_CHECK_SECONDS", 20)
DOCUMENT_CHECK_MEMORY_BYTES = env_int("DOCUMENT_CHECK_MEMORY_BYTES", 1024 * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILLOCALIZE_ENABLE_MACHINE_TRANSLATION = False

# LOG_FORMAT: "text" (the default here) or "json", one object a line (production's).
LOG_FORMATS = ("text", "json")
LOG_FORMAT = env_choice("LOG_FORMAT", "text", LOG_FORMATS)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.core.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "portal.core.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        # Background tasks run inline by default and log every start and end.
        "django_tasks": {"level": "WARNING"},
    },
}
