"""Admin registration of the synonym glossary."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from portal.glossary.models import SynonymSet


class SynonymSetCreateView(CreateView):
    """The add form, started with a term when one is given (``?term=``): the dashboard
    links each search that found nothing here."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        term = " ".join(self.request.GET.get("term", "").split())[:100]
        if term:
            instance = instance or self.model()
            instance.name = term
            instance.terms = term
        return instance


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    add_view_class = SynonymSetCreateView
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
