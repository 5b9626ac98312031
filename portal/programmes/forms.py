"""The application form of a programme page: the fixed fields and the editors' questions."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.inquiries.protection import HoneypotFormMixin
from portal.programmes.models import MAX_PARTICIPANTS, ProgrammePage
from portal.programmes.services import ApplicationData

QUESTION_PREFIX = "question_"
# Answers this long or longer get a text area rather than a one-line field.
LONG_ANSWER = 300
# What browsers may fill in (WCAG 1.3.5, identify input purpose).
AUTOCOMPLETE = {
    "organisation": "organization",
    "contact_name": "name",
    "email": "email",
    "phone": "tel",
}

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-.]{5,38}$",
    _("Enter a phone number with digits, spaces and + - ( ) only."),
    code="invalid_phone",
)


class ProgrammeApplicationForm(HoneypotFormMixin, forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send the acknowledgement and our answer to this address."),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        validators=[phone_validator],
        help_text=_("With the country code, e.g. +82 2 120."),
    )
    participants = forms.IntegerField(label=_("Number of participants"), min_value=1)
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why your organisation applies and what it expects (up to 5,000 characters)."),
    )

    consent = forms.BooleanField(
        label=_("I agree that Seoul keeps these details to handle my application."),
        error_messages={
            "required": _("Please agree to the privacy notice to send the application.")
        },
    )

    def __init__(
        self, *args, programme: ProgrammePage, questions: list | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        maximum = programme.capacity or MAX_PARTICIPANTS
        self.fields["participants"] = forms.IntegerField(
            label=_("Number of participants"),
            min_value=1,
            max_value=maximum,
            help_text=_("From 1 to %(maximum)s.") % {"maximum": maximum},
        )
        self.questions = list(programme.questions.all()) if questions is None else questions
        for question in self.questions:
            widget = (
                forms.Textarea(attrs={"rows": 4})
                if question.max_length >= LONG_ANSWER
                else forms.TextInput
            )
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = forms.CharField(
                label=question.label,
                help_text=question.help_text,
                required=question.required,
                max_length=question.max_length,
                widget=widget,
            )
        # Consent after the questions, then the honeypot, after the visible fields.
        self.fields["consent"] = self.fields.pop("consent")
        self.fields["website"] = self.fields.pop("website")
        for name, form_field in self.fields.items():
            if name != "website":
                form_field.widget.attrs["class"] = "krds-input"
                if name in AUTOCOMPLETE:
                    form_field.widget.attrs["autocomplete"] = AUTOCOMPLETE[name]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def application_data(self) -> ApplicationData:
        data = self.cleaned_data
        return ApplicationData(
            organisation=data["organisation"],
            contact_name=data["contact_name"],
            email=data["email"],
            phone=data.get("phone", ""),
            participants=data["participants"],
            motivation=data["motivation"],
            answers=[
                {
                    "key": str(question.translation_key),
                    "question": question.label,
                    "answer": data.get(f"{QUESTION_PREFIX}{question.pk}", ""),
                }
                for question in self.questions
            ],
        )
