"""The search page's query string: the query, the facet filters and the page number."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.selectors import sectors_in_order
from portal.search.engine import clean_query
from portal.search.results import SearchFilters
from portal.search.selectors import kind_labels

# Years a filter may name; anything else in the URL is a typo or a probe.
MIN_YEAR = 1900
MAX_YEAR = 2100
# Deeper pages than this are not worth reading and only cost the server.
MAX_PAGE = 1000
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


class QueryField(forms.CharField):
    """Free text that never fails validation: it is cleaned instead (see
    ``clean_query``), so a NUL or a stray control character cannot turn a search
    into an error."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # CharField refuses NUL characters; to_python has already replaced them.
        self.validators = []

    def to_python(self, value):
        return clean_query(value if isinstance(value, str) else "")[0]


class PageField(forms.Field):
    """A page number; anything that is not one is page 1, never an error."""

    def to_python(self, value) -> int:
        value = value.strip() if isinstance(value, str) else ""
        if not _PAGE_NUMBER.fullmatch(value):
            return 1
        return min(max(1, int(value)), MAX_PAGE)


class SearchForm(forms.Form):
    """``q``, ``sector``, ``kind``, ``year``, ``lang`` and ``page``, all optional.

    As on the boards, a filter value that is not offered (a typo in the URL, an old link)
    is reported and ignored while the other filters still apply. A page that is not a
    number is page 1.
    """

    q = QueryField(label=_("Search"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    lang = forms.ChoiceField(label=_("Language"), required=False)
    page = PageField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["sector"].choices = everything + [
            (sector.slug, sector.name) for sector in sectors_in_order()
        ]
        self.fields["kind"].choices = everything + list(kind_labels().items())
        self.fields["lang"].choices = everything + list(settings.LANGUAGES)
        raw = self.data.get("q", "") if self.is_bound else ""
        self.truncated = clean_query(raw if isinstance(raw, str) else "")[1]

    def _value(self, name: str):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name)

    @property
    def query(self) -> str:
        return self._value("q") or ""

    @property
    def page_number(self) -> int:
        return self._value("page") or 1

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(
            sector=self._value("sector") or "",
            kind=self._value("kind") or "",
            year=self._value("year"),
            language=self._value("lang") or "",
        )

    @property
    def invalid_fields(self) -> list[forms.BoundField]:
        """The filters whose values were reported and ignored."""
        return [self[name] for name in self.errors if name in self.fields]
