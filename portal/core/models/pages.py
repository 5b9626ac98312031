"""Page bases: every page of the portal, the boards (listings) and the items on them."""

from __future__ import annotations

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField


class PortalPage(Page):
    """Base of every page type: breadcrumbs and the shared promote settings."""

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """Wagtail's restrictions of this page and its ancestors, without the two queries
        per page view when there are none: their ids are kept until content changes (a
        change of privacy is a change of content)."""
        from wagtail.models import PageViewRestriction

        from portal.core.content_version import cached_content

        ids = cached_content(
            f"view-restrictions:{self.pk}",
            lambda: list(Page.get_view_restrictions(self).values_list("pk", flat=True)),
        )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)

    def breadcrumb_pages(self) -> list[Page]:
        """Ancestors from the language's home page down to the parent."""
        from portal.core.content_version import cached_content

        return cached_content(
            f"breadcrumb:{self.pk}", lambda: list(self.get_ancestors().filter(depth__gte=2))
        )


class BoardIndexPage(PortalPage):
    """A board: a paginated listing of one kind of child page, filtered by sector and year.

    Subclasses name the child model in ``item_model`` and the field that gives an item's
    year in ``year_field`` (a date field, or an integer year).
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    item_model: type[BoardItemPage]
    year_field = "date"
    paginate_by = 10
    max_count_per_parent = 1

    content_panels = PortalPage.content_panels + [FieldPanel("intro")]
    search_fields = PortalPage.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from portal.core.content_version import cached_content
        from portal.core.forms import BoardFilterForm
        from portal.core.selectors import board_items, board_years

        context = super().get_context(request, *args, **kwargs)
        items = board_items(index=self)
        # The filters offer what the board's published items have: it changes only when
        # content does.
        sectors, years = cached_content(
            f"board-filters:{self.pk}",
            lambda: (
                list(self.filter_sectors(items)),
                board_years(items=items, field=self.year_field),
            ),
        )
        form = BoardFilterForm(
            request.GET or None, sectors=sectors, years=years, kinds=self.filter_kinds()
        )
        # A value that is not offered is reported and ignored; the other filters still
        # apply (cleaned_data keeps the fields that validated).
        form.is_valid()
        items = self.apply_filters(items, getattr(form, "cleaned_data", {}))
        context["filter_form"] = form
        context["items_page"] = self.paginate(request, items)
        return context

    def paginate(self, request, items) -> PaginatorPage:
        """A page of items; a page number that is not a number or out of range gives the
        first or last page instead of an error."""
        return Paginator(items, self.paginate_by).get_page(request.GET.get("page"))

    def filter_sectors(self, items):
        from portal.core.models.sectors import Sector

        return Sector.objects.filter(pk__in=items.values("sector"))

    def filter_kinds(self) -> list[tuple[str, str]]:
        """Choices of a kind filter; boards without kinds return none."""
        return []

    def apply_filters(self, items, data: dict):
        from portal.core.selectors import year_lookup

        if data.get("sector"):
            items = items.filter(sector__slug=data["sector"])
        if data.get("year"):
            items = items.filter(
                **year_lookup(model=self.item_model, field=self.year_field, year=data["year"])
            )
        if data.get("kind"):
            items = items.filter(kind=data["kind"])
        return items


class BoardItemPage(PortalPage):
    """An item on a board: a sector and a place in the board's order for previous/next.

    ``source_id`` keeps the item's id in the collection it was imported from, so that a
    later import of the same collection can be traced back to the page.
    """

    sector = models.ForeignKey(
        "core.Sector",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_id = models.CharField(
        _("source id"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_('The id of the item in the collection it was imported from, e.g. "D005".'),
    )

    ordering_field = "date"

    settings_panels = PortalPage.settings_panels + [FieldPanel("source_id")]
    # An identifier, not text: a translation keeps the source page's id.
    override_translatable_fields = [SynchronizedField("source_id")]

    class Meta:
        abstract = True

    @classmethod
    def board_ordering(cls) -> tuple[str, str]:
        return (f"-{cls.ordering_field}", "-pk")

    def board_neighbours(self) -> dict[str, BoardItemPage | None]:
        """The newer and older live items on the same board, in the board's order."""
        from portal.core.selectors import board_neighbours

        return board_neighbours(item=self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.board_neighbours())
        return context
