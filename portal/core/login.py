"""Sign-in to the admin, throttled: after repeated wrong passwords from one address, or
for one account, sign-in is refused for a while without checking the password.

Wagtail's login form with two failure counters in the shared cache
(``ratelimit.FailureLimit``), so that every app server counts the same failures:

- an address: ``LOGIN_FAILURES_PER_ADDRESS`` (5) in ``LOGIN_FAILURE_WINDOW`` seconds (15
  minutes), against guessing many accounts' passwords from one place;
- an account: ``LOGIN_FAILURES_PER_ACCOUNT`` (20) in the same window, against guessing one
  account's password from many places, high enough that someone else cannot easily lock
  an editor out.

While blocked, the password is not checked at all, and the form says how long to wait, in
the editor's language. A successful sign-in clears both counts.
"""

from __future__ import annotations

import logging
import math

from django import forms
from django.conf import settings
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from portal.core.ratelimit import FailureLimit, client_address

logger = logging.getLogger(__name__)


def _limits() -> tuple[FailureLimit, FailureLimit]:
    window = settings.LOGIN_FAILURE_WINDOW
    return (
        FailureLimit("login-address", settings.LOGIN_FAILURES_PER_ADDRESS, window),
        FailureLimit("login-account", settings.LOGIN_FAILURES_PER_ACCOUNT, window),
    )


class ThrottledLoginForm(LoginForm):
    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().casefold()
        by_address, by_account = _limits()
        identities = ((by_address, client_address(self.request)), (by_account, username))
        wait = max(limit.blocked_for(identity) for limit, identity in identities if identity)
        if wait:
            logger.warning("Admin sign-in refused: too many failures (%s).", username[:40])
            minutes = math.ceil(wait / 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                    "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                for limit, identity in identities:
                    if identity:
                        limit.fail(identity)
            raise
        for limit, identity in identities:
            if identity:
                limit.clear(identity)
        return cleaned
