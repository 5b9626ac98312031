"""The filter form shown above every board."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BoardFilterForm(forms.Form):
    """Sector, year and (on boards that have them) kind; all optional.

    Choices come from the board's own items, so a value that is not offered (a typo in
    the URL, an old link) is reported as an error and the full listing is shown.
    """

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, sectors, years, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["sector"].choices = everything + [(s.slug, s.name) for s in sectors]
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in years]
        if kinds:
            self.fields["kind"].choices = everything + list(kinds)
        else:
            del self.fields["kind"]
