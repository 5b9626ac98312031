"""Count a document's downloads as Wagtail serves it; the editors' dashboard."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.counts import admin_views
from portal.counts.models import CountKind
from portal.counts.services import count_event, is_bot


@hooks.register("before_serve_document")
def count_download(document, request):
    # A range request is the rest of a download already counted (a PDF reader fetching
    # the pages it shows); a HEAD request downloads nothing.
    if request.method == "GET" and "HTTP_RANGE" not in request.META and not is_bot(request):
        count_event(kind=CountKind.DOWNLOAD, object_id=document.pk)


@hooks.register("register_admin_urls")
def dashboard_urls():
    return [path("statistics/", admin_views.dashboard, name="counts_dashboard")]


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return MenuItem(_("Statistics"), reverse("counts_dashboard"), icon_name="view", order=240)
