"""The synonym glossary: sets of terms that name one concept in Korean and English."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from portal.glossary.terms import MAX_TERM_LENGTH, MAX_TERMS, MIN_TERMS, join_terms, parse_terms

PREVIEW_TERMS = 6


class SynonymSet(models.Model):
    """One concept and every name it goes by, in either language.

    The site search treats the terms of an enabled set as equivalent: a query with one of
    them also finds pages that use another, so "따릉이" finds "Seoul Bike" and the reverse.
    A set is not a list of related words: each term must mean the same thing.
    """

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_('A label for editors, e.g. "Public bicycle". Visitors never see it.'),
    )
    terms = models.TextField(
        _("terms"),
        help_text=_(
            "One term per line, in Korean or English: translations, official names, "
            "romanisations and abbreviations of the same concept. Repeated terms are removed."
        ),
    )
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Only enabled sets expand searches."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("For editors: where the terms come from, or why the set exists."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("terms"),
        FieldPanel("enabled"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Trim the name and the terms, drop repeated terms, then check what remains."""
        self.name = " ".join(self.name.split())
        if not self.terms:
            return  # the field's own "cannot be blank" error says it all
        terms = parse_terms(self.terms)
        self.terms = join_terms(terms)
        errors = []
        if len(terms) < MIN_TERMS:
            errors.append(
                ValidationError(
                    _("Enter at least two different terms, one per line."),
                    code="too_few_terms",
                )
            )
        if len(terms) > MAX_TERMS:
            errors.append(
                ValidationError(
                    _("A set can hold at most %(limit)d terms; this one has %(count)d."),
                    code="too_many_terms",
                    params={"limit": MAX_TERMS, "count": len(terms)},
                )
            )
        errors.extend(
            ValidationError(
                _("A term can be at most %(limit)d characters long: “%(term)s”."),
                code="term_too_long",
                params={"limit": MAX_TERM_LENGTH, "term": Truncator(term).chars(40)},
            )
            for term in terms
            if len(term) > MAX_TERM_LENGTH
        )
        if errors:
            raise ValidationError({"terms": errors})

    @property
    def term_list(self) -> list[str]:
        """The set's terms, one per line of ``terms``."""
        return parse_terms(self.terms)

    @property
    def terms_preview(self) -> str:
        """The first few terms on one line, for the admin listing."""
        terms = self.term_list
        preview = " · ".join(terms[:PREVIEW_TERMS])
        return f"{preview} …" if len(terms) > PREVIEW_TERMS else preview
