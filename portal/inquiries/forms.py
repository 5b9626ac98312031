"""The public cooperation request form and the staff form of the admin's edit view."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page

from portal.inquiries.models import (
    MESSAGE_MAX_LENGTH,
    PEOPLE_MAX,
    CooperationRequest,
    Kind,
    Status,
)
from portal.inquiries.protection import HoneypotFormMixin

MAX_RELATED_PAGES = 10
# The KRDS class of each visible field's input.
STYLE = {
    "name": "krds-input medium",
    "organisation": "krds-input medium",
    "city": "krds-input medium",
    "country": "krds-input medium",
    "email": "krds-input medium",
    "kind": "krds-form-select medium",
    "preferred_start": "krds-input medium",
    "preferred_end": "krds-input medium",
    "people": "krds-input medium",
    "message": "krds-input",
}


class RelatedPagesField(forms.ModelMultipleChoiceField):
    """Ids of live pages; an id that does not exist or is not published is refused."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Page.objects.live().filter(depth__gt=1),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _(
                    "The page you came from (%(value)s) does not exist or is not published."
                ),
                "invalid_pk_value": _("“%(pk)s” is not a page number."),
            },
            **kwargs,
        )

    def clean(self, value):
        if value and len(value) > MAX_RELATED_PAGES:
            raise ValidationError(
                _("Choose at most %(max)d related pages."),
                code="too_many",
                params={"max": MAX_RELATED_PAGES},
            )
        for pk in value if isinstance(value, (list, tuple)) else []:
            # A page number the database can hold: a longer one made the lookup fail with
            # an overflow (a server error) instead of a message.
            text = str(pk).strip()
            if not (text.isdigit() and len(text) <= 18):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super().clean(value)


class CooperationRequestForm(HoneypotFormMixin, forms.ModelForm):
    """Everything a visitor fills in; the model gives each field its maximum length."""

    related_pages = RelatedPagesField(label=_("Related pages"))
    # Given when the form is shown, sent back with it (see the model's field).
    submission = forms.CharField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("I agree that Seoul keeps these details to answer my request."),
        error_messages={"required": _("Please agree to the privacy notice to send the request.")},
    )

    class Meta:
        model = CooperationRequest
        fields = [
            "name",
            "organisation",
            "city",
            "country",
            "email",
            "kind",
            "related_pages",
            "preferred_start",
            "preferred_end",
            "people",
            "message",
            "consent",
        ]
        widgets = {
            "preferred_start": forms.DateInput(attrs={"type": "date"}),
            "preferred_end": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "name": _("Your name"),
            "organisation": _("Organisation"),
            "city": _("City"),
            "country": _("Country"),
            "email": _("E-mail"),
            "kind": _("What do you ask for?"),
            "preferred_start": _("Preferred start date"),
            "preferred_end": _("Preferred end date"),
            "people": _("Number of people"),
            "message": _("Your message"),
        }
        help_texts = {
            "email": _("We send the confirmation and our answer to this address."),
            "preferred_start": _("Optional. For example 2026-10-05."),
            "preferred_end": _("Optional. Not before the start date."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        kind = self.fields["kind"]
        kind.choices = [("", _("Choose one"))] + list(Kind.choices)
        kind.error_messages["invalid_choice"] = _("Choose one of the kinds of request listed.")
        self.fields["people"].widget.attrs.update({"min": 1, "max": PEOPLE_MAX})
        self.fields["people"].help_text = gettext("From 1 to %(max)d.") % {"max": PEOPLE_MAX}
        self.fields["message"].help_text = gettext("Up to %(max)d characters.") % {
            "max": MESSAGE_MAX_LENGTH
        }
        for name, field in self.fields.items():
            max_length = getattr(field, "max_length", None)
            if max_length:
                field.widget.attrs["maxlength"] = max_length
            if name in STYLE:
                field.widget.attrs["class"] = STYLE[name]
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        super().full_clean()
        # Point each invalid field at its message, for screen readers and the KRDS style.
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = " ".join(
                filter(None, [f"id_{name}-error", attrs.get("aria-describedby", "")])
            )
            attrs["class"] = f"{attrs.get('class', '')} is-error".strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("preferred_start"), cleaned.get("preferred_end")
        if start and end and end < start:
            self.add_error("preferred_end", _("The end date cannot be before the start date."))
        return cleaned

    def clean_submission(self) -> uuid.UUID | None:
        # Only the form's own ids are kept; anything else is a form without one.
        try:
            return uuid.UUID(self.cleaned_data.get("submission") or "")
        except ValueError:
            return None

    def request_data(self) -> dict:
        """The cleaned values the model stores directly (not the related pages)."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("related_pages",)
        } | {"submission": self.cleaned_data.get("submission")}


class StaffRequestForm(WagtailAdminModelForm):
    """What staff change on a request: status, assignee, reply, and a new internal note.
    The view applies each through the services, so every change is recorded."""

    new_note = forms.CharField(
        label=_("Add an internal note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see notes. Each note keeps its author and time."),
    )

    class Meta:
        model = CooperationRequest
        fields = ["status", "assignee", "reply_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("username" if hasattr(get_user_model(), "username") else "pk")
        )
        self.fields["status"].choices = Status.choices

    def clean_status(self):
        from portal.inquiries.services import TRANSITIONS

        status = self.cleaned_data["status"]
        current = self.initial.get("status")
        if current and status != current and status not in TRANSITIONS.get(current, set()):
            raise ValidationError(
                _("A request cannot go from “%(from)s” to “%(to)s”."),
                code="transition",
                params={"from": Status(current).label, "to": Status(status).label},
            )
        return status
