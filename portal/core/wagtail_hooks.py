"""Admin registration of the shared sector taxonomy, and what every page is served with."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.i18n import locales_by_id
from portal.core.models import Sector
from portal.core.selectors import sectors_by_id


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
    """A page's language and sector are read all through its rendering: take them from
    the shared cache instead of a query each."""
    locale = locales_by_id().get(page.locale_id)
    if locale is not None:
        page.locale = locale
    sector_id = getattr(page, "sector_id", None)
    if sector_id is not None and (sector := sectors_by_id().get(sector_id)) is not None:
        page.sector = sector
