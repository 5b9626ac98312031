"""Admin registration of the shared sector taxonomy."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.models import Sector


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name_ko", "name_en", "slug", "sort_order"]
    search_fields = ["name_ko", "name_en", "slug"]


register_snippet(SectorViewSet)
