"""Admin views shared by the records visitors send (requests, applications): exports and
detail pages that read as staff expect, in Seoul time and with labels instead of codes."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from wagtail.admin.views.generic import IndexView, InspectView

EMPTY = "—"


def local_minute(value: dt.datetime) -> str:
    """``2026-11-27 23:22`` in the site's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _naive_local(value: dt.datetime) -> dt.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class RecordIndexView(IndexView):
    """The list and its CSV/XLSX export: times in the site's time zone to the minute, and
    each choice as its label ("답변 완료", not ``answered``)."""

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        dt.datetime: {
            IndexView.FORMAT_CSV: local_minute,
            IndexView.FORMAT_XLSX: _naive_local,
        },
    }

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for field in row:
            display = getattr(item, f"get_{field}_display", None)
            if callable(display):
                row[field] = display()
        return row


class RecordInspectView(InspectView):
    """A record's detail page: local times, a dash for what is empty, line breaks kept."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return EMPTY
        if isinstance(value, dt.datetime):
            return local_minute(value)
        if isinstance(value, str) and "\n" in value:
            return mark_safe(linebreaks(value, autoescape=True))  # escaped by linebreaks
        return value
