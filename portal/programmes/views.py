"""The programme page with its application form, and the confirmation after applying.

The page's own address takes the form: a GET shows it while the window is open, a POST
to the same address submits it (Wagtail's ``serve`` through ``RoutablePageMixin``), and a
success redirects to ``applied/`` under the page, which shows the reference only to the
session that applied.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from portal.inquiries.protection import rate_limit_hit
from portal.programmes.forms import ProgrammeApplicationForm
from portal.programmes.models import ProgrammePage
from portal.programmes.selectors import (
    ApplicationState,
    programme_places_left,
    programme_questions,
)
from portal.programmes.services import (
    ApplicationRefused,
    application_submit,
    application_window_refusal,
)

# The largest request body accepted: the longest possible answers, percent-encoded
# Korean included, fit well below it.
MAX_BODY_BYTES = 256 * 1024
RATE_LIMIT = 10
RATE_WINDOW = 60 * 60
SESSION_KEY = "programme_applications"


def _render(request, page: ProgrammePage, *, form=None, refusal=None, status: int = 200):
    state = page.state()
    places_left = programme_places_left(capacity=page.capacity, programme_key=page.translation_key)
    full = places_left == 0
    if form is None and state is ApplicationState.OPEN and not full:
        form = ProgrammeApplicationForm(
            programme=page, questions=programme_questions(programme=page, request=request)
        )
    response = page.render(
        request,
        context_overrides={
            "application_form": form if state is ApplicationState.OPEN and not full else None,
            "application_refusal": refusal,
            "programme_full": full,
            "places_left": places_left,
        },
    )
    response.status_code = status
    return response


def programme_page_serve(request: HttpRequest, *, page: ProgrammePage) -> HttpResponse:
    if request.method != "POST":
        return _render(request, page)

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        refusal = _("The application is too large to be sent. Please shorten your answers.")
        return _render(request, page, refusal=refusal, status=413)

    window = application_window_refusal(programme=page)
    if window:
        return _render(request, page, refusal=window.message, status=409)

    if rate_limit_hit(
        request=request, scope="programme-application", limit=RATE_LIMIT, window=RATE_WINDOW
    ):
        refusal = _("Too many applications were sent from your address. Please try again later.")
        form = ProgrammeApplicationForm(request.POST, programme=page)
        form.is_valid()
        return _render(request, page, form=form, refusal=refusal, status=429)

    form = ProgrammeApplicationForm(request.POST, programme=page)
    if not form.is_valid():
        return _render(request, page, form=form)
    try:
        application = application_submit(
            programme=page, data=form.application_data(), language=page.locale.language_code
        )
    except ApplicationRefused as refusal:
        if refusal.field:
            form.add_error(refusal.field, refusal.message)
            return _render(request, page, form=form)
        return _render(request, page, form=form, refusal=refusal.message, status=409)

    applied = request.session.get(SESSION_KEY, {})
    applied[str(page.translation_key)] = application.reference
    request.session[SESSION_KEY] = applied
    return HttpResponseRedirect(page.url + page.reverse_subpage("applied"))


def programme_application_confirmation(
    request: HttpRequest, *, page: ProgrammePage
) -> HttpResponse:
    reference = request.session.get(SESSION_KEY, {}).get(str(page.translation_key))
    if not reference:
        return HttpResponseRedirect(page.url)
    return page.render(
        request,
        template="programmes/programme_application_confirmation.html",
        context_overrides={"reference": reference},
    )
