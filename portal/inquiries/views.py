"""The public cooperation request form (/ko/inquiries/request/, /en/inquiries/request/)
and its confirmation page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from wagtail.models import Page, Site

from portal.core.i18n import active_language, locale_home
from portal.inquiries.forms import MAX_RELATED_PAGES, CooperationRequestForm
from portal.inquiries.models import CooperationRequest
from portal.inquiries.protection import rate_limit_hit
from portal.inquiries.selectors import inquiry_by_submission, policy_choices
from portal.inquiries.services import inquiry_submit

LANGUAGE_NAMES = dict(settings.LANGUAGES)
SESSION_KEY = "inquiries_sent"
# The confirmation pages a session may open: its last few references.
SESSION_KEEP = 10


def _page_from_query(request: HttpRequest) -> tuple[Page | None, bool]:
    """The live page named by ``?page=<id>`` and whether the parameter was refused."""
    raw = request.GET.get("page", "")
    if not raw:
        return None, False
    if not raw.isdigit() or len(raw) > 12:
        return None, True
    page = Page.objects.live().filter(pk=int(raw), depth__gt=1).first()
    return (page.specific if page else None), page is None


def _language_links(request: HttpRequest, url_name: str, **kwargs) -> list[dict]:
    current = active_language()
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse(url_name, kwargs=kwargs) + query
        links.append({"code": code, "name": name, "url": url, "is_current": code == current})
    return links


def _base_context(request: HttpRequest, title: str, url_name: str, **kwargs) -> dict:
    language = active_language()
    home = locale_home(site=Site.find_for_request(request), language=language)
    return {
        "language_links": _language_links(request, url_name, **kwargs),
        "current_language_name": LANGUAGE_NAMES[language],
        "breadcrumb_ancestors": [home] if home is not None else [],
        "breadcrumb_page": {"title": title},
        "page_title": title,
    }


def _too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.INQUIRIES_MAX_BODY_BYTES


def _remember(request: HttpRequest, reference: str) -> None:
    sent = [ref for ref in request.session.get(SESSION_KEY, []) if ref != reference]
    request.session[SESSION_KEY] = (sent + [reference])[-SESSION_KEEP:]


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    title = gettext("Ask Seoul")
    context = _base_context(request, title, "inquiries:request")
    status = 200
    refusal = ""
    if request.method == "POST":
        if _too_big(request):
            form = CooperationRequestForm()
            refusal = gettext(
                "Your request was too large to be accepted (more than %(size)d KB). "
                "Please shorten your message and send it again."
            ) % {"size": settings.INQUIRIES_MAX_BODY_BYTES // 1024}
            status = 413
        else:
            form = CooperationRequestForm(request.POST)
            if form.is_valid() and (
                earlier := inquiry_by_submission(submission=form.cleaned_data["submission"])
            ):
                # Sent again (a double click, or a retry through another server).
                _remember(request, earlier.reference)
                return redirect("inquiries:sent", reference=earlier.reference)
            if form.is_valid():
                if rate_limit_hit(
                    request=request,
                    scope="inquiries",
                    limit=settings.INQUIRIES_RATE_LIMIT,
                    window=settings.INQUIRIES_RATE_WINDOW,
                ):
                    refusal = gettext(
                        "We have received several requests from your network in the last "
                        "hour. Please wait an hour and send your request again."
                    )
                    status = 429
                else:
                    inquiry = inquiry_submit(
                        data=form.request_data(),
                        related_pages=form.cleaned_data["related_pages"],
                        language=active_language(),
                    )
                    _remember(request, inquiry.reference)
                    return redirect("inquiries:sent", reference=inquiry.reference)
            else:
                status = 400
    else:
        page, refused = _page_from_query(request)
        form = CooperationRequestForm(
            initial={"related_pages": [page.pk] if page else [], "submission": uuid.uuid4()}
        )
        if refused:
            messages.warning(
                request,
                gettext(
                    "The page you came from does not exist or is not published, so it is "
                    "not attached to your request."
                ),
            )
    related = form["related_pages"]
    chosen = {str(value) for value in (related.value() or [])}
    chosen_ids = {int(v) for v in chosen if v.isdigit() and len(v) <= 12}
    context.update(
        {
            "form": form,
            "refusal": refusal,
            # The pages this request is about come first, as ticked boxes; every other
            # policy can be added from a list grouped by sector.
            "related_choices": list(Page.objects.live().filter(pk__in=chosen_ids)),
            "chosen_pages": chosen,
            "policy_groups": policy_choices(language=active_language(), exclude=chosen_ids),
            "max_related": MAX_RELATED_PAGES,
        }
    )
    return render(request, "inquiries/request_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def request_sent(request: HttpRequest, reference: str) -> HttpResponse:
    if reference not in request.session.get(SESSION_KEY, []):
        raise Http404
    inquiry = CooperationRequest.objects.filter(reference=reference).first()
    if inquiry is None:
        raise Http404
    title = gettext("Your request has been sent")
    context = _base_context(request, title, "inquiries:sent", reference=reference)
    context["inquiry"] = inquiry
    context["related_pages"] = list(inquiry.related_pages.live().specific())
    return render(request, "inquiries/request_sent.html", context)
