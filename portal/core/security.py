"""Security headers on every response Django sends: a Content-Security-Policy that allows
no inline script without this response's nonce, and a Permissions-Policy.

(``X-Content-Type-Options``, ``Referrer-Policy``, HSTS and ``X-Frame-Options`` come from
Django's own middleware, configured in settings.)

The nonce is made only when a template asks for it (``{% csp_nonce %}``, which also works
in form widgets' templates: it reads the request's nonce from a context variable). The
public pages have no inline script and so no nonce: their header is the same for every
visitor and is stored with the page in the page cache. A response that used a nonce
must not be stored and sent to someone else, and is marked private. The admin's inline
scripts (Wagtail's and wagtail-localize's) get theirs through template overrides in
``portal/core/templates`` and, for the chooser widgets, which write theirs in Python,
through ``nonce_chooser_scripts``.
"""

from __future__ import annotations

import contextvars
import secrets

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.safestring import mark_safe

CSP = "Content-Security-Policy"


class _Nonce:
    """This request's nonce, made on first use."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: str | None = None

    def get(self) -> str:
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


_current: contextvars.ContextVar[_Nonce | None] = contextvars.ContextVar("csp_nonce", default=None)


def csp_nonce() -> str:
    """The nonce an inline script of this response must carry ("" outside a request)."""
    holder = _current.get()
    return holder.get() if holder is not None else ""


def policy(nonce: str | None) -> str:
    directives = dict(settings.CONTENT_SECURITY_POLICY)
    if nonce:
        directives["script-src"] = f"{directives['script-src']} 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        holder = _Nonce()
        token = _current.set(holder)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if holder.value is not None:
            patch_cache_control(response, private=True, no_store=True)
        if CSP not in response:
            response[CSP] = policy(holder.value)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def nonce_chooser_scripts() -> None:
    """Wagtail's chooser widgets (page, image, document, snippet) end their HTML with an
    inline ``<script>`` written in Python (``BaseChooser.render``): give it the nonce.

    Only the script Wagtail itself appended, the last one, is changed; what comes before
    it is the widget's escaped HTML.
    """
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "adds_nonce", False):
        return
    render = BaseChooser.render

    def render_with_nonce(self, *args, **kwargs):
        html = render(self, *args, **kwargs)
        head, script, tail = str(html).rpartition("<script>")
        if not script:
            return html
        opening = format_html('<script nonce="{}">', csp_nonce())
        return mark_safe(head + opening + tail)  # noqa: S308 (Wagtail's own, marked safe)

    render_with_nonce.adds_nonce = True
    BaseChooser.render = render_with_nonce
