"""Production: every value from the environment; refuses to start without a secret key."""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_bool, env_choice, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", required=True)
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Probes from the proxy or a load balancer may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# One JSON object a line, with the request id (portal.core.request_log).
LOG_FORMAT = env_choice("LOG_FORMAT", "json", LOG_FORMATS)  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405

STORAGES = {
    "default": MEDIA_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
