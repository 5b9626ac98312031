"""Admin registration of the shared sector taxonomy, and what every page is served with."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.models import Sector
from portal.core.selectors import page_use_cached_relations


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name_ko", "name_en", "slug", "sort_order"]
    search_fields = ["name_ko", "name_en", "slug"]


register_snippet(SectorViewSet)


@hooks.register("before_serve_page")
def read_language_and_sector_from_the_cache(page, request, serve_args, serve_kwargs):
    page_use_cached_relations(page)
