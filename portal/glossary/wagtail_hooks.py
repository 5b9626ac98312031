"""Admin registration of the synonym glossary."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.glossary.models import SynonymSet


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    icon = "list-ul"
    menu_label = _("Glossary")
    add_to_admin_menu = True
    menu_order = 230
    list_display = [
        "name",
        Column("terms_preview", label=_("Terms")),
        BooleanColumn("enabled", label=_("Enabled"), sort_key="enabled"),
    ]
    list_filter = ["enabled"]
    # The model is not in Wagtail's search index: these filter the listing with the ORM
    # (icontains), which also finds a Korean term by any part of it.
    search_fields = ["name", "terms"]
    ordering = ["name"]


register_snippet(SynonymSetViewSet)
