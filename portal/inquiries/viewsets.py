"""Staff workflow in Wagtail's admin: the list of requests with filters, search and CSV
export, and an edit view whose changes go through the services (so each is recorded)."""

from __future__ import annotations

import django_filters
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.admin_views import RecordIndexView
from portal.inquiries.forms import StaffRequestForm
from portal.inquiries.models import CooperationRequest, Kind, MailState, Status
from portal.inquiries.selectors import likely_pages
from portal.inquiries.services import (
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_record_reply,
)


def _countries():
    values = (
        CooperationRequest.objects.exclude(country="")
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
    return [(value, value) for value in values]


class CooperationRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind of request"), choices=Kind.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=_countries)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget
    )
    mail_failed = django_filters.BooleanFilter(label=_("Mail failed"), method="filter_mail_failed")

    class Meta:
        model = CooperationRequest
        fields = ["status", "kind", "country", "created_at", "assignee", "mail_failed"]

    def filter_mail_failed(self, queryset, name, value):
        failed = Q(acknowledgement_state=MailState.FAILED) | Q(notification_state=MailState.FAILED)
        if value is None:
            return queryset
        return queryset.filter(failed) if value else queryset.exclude(failed)


class RequestIndexView(RecordIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("assignee")


class RequestEditView(EditView):
    template_name = "inquiries/admin/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "inquiry": self.object,
                "related_pages": [page.specific for page in self.object.related_pages.all()],
                "notes": self.object.notes.select_related("author"),
                "status_changes": self.object.status_changes.select_related("changed_by"),
                "likely_pages": likely_pages(request=self.object),
            }
        )
        return context

    def save_instance(self):
        # The form has already copied its values onto self.object: read the stored row.
        stored = CooperationRequest.objects.get(pk=self.object.pk)
        data = self.form.cleaned_data
        user = self.request.user
        with transaction.atomic():
            inquiry_change_status(request=stored, status=data["status"], by=user)
            if data["assignee"] != stored.assignee:
                inquiry_assign(request=stored, assignee=data["assignee"])
            inquiry_record_reply(request=stored, text=data["reply_text"], by=user)
            if data.get("new_note"):
                inquiry_add_note(request=stored, text=data["new_note"], by=user)
        return CooperationRequest.objects.get(pk=stored.pk)


class CooperationRequestViewSet(ModelViewSet):
    model = CooperationRequest
    name = "cooperation_requests"
    icon = "mail"
    menu_label = _("Cooperation requests")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = RequestIndexView
    edit_view_class = RequestEditView
    filterset_class = CooperationRequestFilterSet
    search_fields = ["reference", "name", "organisation", "email", "message"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "reference",
        Column("name", label=_("Name")),
        "organisation",
        "country",
        Column("get_kind_display", label=_("Kind of request")),
        Column("get_status_display", label=_("Status")),
        Column("assignee", label=_("Assignee")),
        DateColumn("created_at", label=_("Received")),
    ]
    list_export = [
        "reference",
        "created_at",
        "language",
        "status",
        "kind",
        "name",
        "organisation",
        "city",
        "country",
        "email",
        "people",
        "preferred_start",
        "preferred_end",
        "assignee",
        "replied_at",
        "acknowledgement_state",
        "notification_state",
        "message",
    ]
    export_filename = "cooperation-requests"

    def get_form_class(self, for_update=False):
        return StaffRequestForm


cooperation_request_viewset = CooperationRequestViewSet()
