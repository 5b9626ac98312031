"""What every public form shares against abuse: a honeypot field and a rate limit.

Both answer in the visitor's language and store nothing: a form that trips either is
refused before anything is written.
"""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The honeypot's name looks like a field a bot would fill; people never see it.
HONEYPOT_FIELD = "website"
logger = logging.getLogger(__name__)


class HoneypotFormMixin(forms.Form):
    """Adds a hidden text field that must stay empty (CSS hides it, ``tabindex=-1`` and
    ``autocomplete=off`` keep browsers and keyboards away from it)."""

    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("The form could not be sent. Please try again without filling in hidden fields."),
                code="honeypot",
            )
        return ""


def client_address(request: HttpRequest) -> str:
    """The visitor's address as the server sees it (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_hit(*, request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """Count one attempt of ``scope`` from the visitor's address; whether the address has
    now made more than ``limit`` attempts in the last ``window`` seconds.

    The address is stored only as a hash in the cache, for ``window`` seconds. If the
    cache is unreachable the attempt is allowed: a form must not fail because its guard
    does.
    """
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    try:
        if cache.add(key, 1, timeout=window):
            return limit < 1
        return cache.incr(key) > limit
    except Exception:  # any cache failure means "no limit"
        logger.warning("Rate limit not checked: the cache is unreachable.", exc_info=True)
        return False
