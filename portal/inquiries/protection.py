"""What every public form shares against abuse: a honeypot field and a rate limit.

Both answer in the visitor's language and store nothing: a form that trips either is
refused before anything is written.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.core.ratelimit import rate_limit_count

# The honeypot's name looks like a field a bot would fill; people never see it.
HONEYPOT_FIELD = "website"


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


def rate_limit_hit(*, request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """Count one attempt of ``scope`` from the visitor's address; whether it is now over
    ``limit`` attempts in ``window`` seconds (see ``portal.core.ratelimit``)."""
    return rate_limit_count(request=request, scope=scope, limit=limit, window=window).exceeded
