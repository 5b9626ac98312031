"""Admin registration of partners."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.partners.models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partners")
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["name_ko", "name_en", "kind", "show_on_home", "sort_order"]
    list_filter = ["kind", "show_on_home"]
    search_fields = ["name_ko", "name_en"]
    ordering = ["sort_order", "name_en"]


register_snippet(PartnerViewSet)
