"""RSS 2.0 and Atom 1.0 feeds of the news, archive and policy boards.

One feed per board and language, optionally narrowed to a sector with ``?sector=<slug>``,
so that other cities can follow what Seoul publishes in the language they read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import feedgenerator, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Page, Site

from portal.core.catalogue import (
    DATE_FIELDS,
    ItemRecord,
    absolute_url,
    catalogue_pages,
    item_records,
    kind_model,
)
from portal.core.i18n import active_language, bilingual, locale_home
from portal.core.models import Sector
from portal.syndication.boards import BOARDS, Board, feed_title
from portal.syndication.structured_data import organisation_name

FEED_LIMIT = 50


class UnknownSector(Exception):
    """A feed was asked for a sector that does not exist."""


@dataclass
class FeedScope:
    """What one request's feed covers, and its items already described."""

    board: Board
    language: str
    sector: Sector | None
    link: str
    feed_url: str
    publisher: str
    records: list[ItemRecord] = field(default_factory=list)


def feed_records(
    board: Board, language: str, sector: Sector | None, request: HttpRequest
) -> list[ItemRecord]:
    """The newest public items of a board in one language: by the item's own date, then
    by when it was first published, so that items of one day keep a stable order."""
    model = kind_model(board.kind)
    date_order = F(f"{model._meta.model_name}__{DATE_FIELDS[board.kind]}").desc()
    ids = list(
        catalogue_pages(
            kinds=[board.kind], language=language, sector=sector.slug if sector else None
        )
        .order_by(date_order, F("first_published_at").desc(nulls_last=True), "-pk")
        .values_list("pk", flat=True)[:FEED_LIMIT]
    )
    # Read the items with what their descriptions need, a few queries for all of them.
    related = [name for name in ("sector", "document") if _has_field(model, name)]
    pages = model.objects.filter(pk__in=ids).select_related("locale", *related)
    by_id = (
        pages.prefetch_related("tags").in_bulk() if _has_field(model, "tags") else pages.in_bulk()
    )
    return item_records([by_id[pk] for pk in ids], request=request)


def _has_field(model, name: str) -> bool:
    return any(model_field.name == name for model_field in model._meta.get_fields())


def board_link(board: Board, language: str, sector: Sector | None, request: HttpRequest) -> str:
    """The absolute URL of the board the feed mirrors, filtered to the sector if any; the
    language's home page when the board has no live index page."""
    index = (
        Page.objects.live()
        .type(board.index_class())
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )
    if index is None:
        home = locale_home(site=Site.find_for_request(request), language=language)
        target = absolute_url(request, home) if home else f"/{language}/"
        return request.build_absolute_uri(target)
    url = absolute_url(request, index)
    return f"{url}?sector={sector.slug}" if sector else url


def item_pubdate(record: ItemRecord) -> dt.datetime | None:
    """The item's own date at the time of day it was first published (Seoul time).

    The date is what the board sorts by; the time keeps items of one day in the order
    they were published, so feed readers order them as the feed does.
    """
    published = record.first_published
    if record.date is None:
        return published
    tz = timezone.get_default_timezone()
    moment = timezone.localtime(published, tz).time() if published else dt.time()
    return dt.datetime.combine(record.date, moment, tzinfo=tz)


class BoardRssFeed(Feed):
    """RSS 2.0 feed of one board (``<lang>/feeds/<board>/rss/``)."""

    feed_type = feedgenerator.Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except UnknownSector as error:
            # Feed readers show the body of a failed fetch: say what went wrong.
            return HttpResponseNotFound(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request: HttpRequest, board: str) -> FeedScope:
        language = active_language()
        feed_board = BOARDS[board]
        sector = self._sector(request)
        scope = FeedScope(
            board=feed_board,
            language=language,
            sector=sector,
            link=board_link(feed_board, language, sector, request),
            feed_url=request.build_absolute_uri(request.get_full_path()),
            publisher=organisation_name(language, request),
        )
        scope.records = feed_records(feed_board, language, sector, request)
        return scope

    @staticmethod
    def _sector(request: HttpRequest) -> Sector | None:
        slug = request.GET.get("sector", "").strip()
        if not slug:
            return None
        sector = Sector.objects.filter(slug=slug).first()
        if sector is None:
            known = ", ".join(Sector.objects.values_list("slug", flat=True))
            # The first sentence is the API's, so both interfaces say it alike.
            raise UnknownSector(
                gettext("There is no sector “%(slug)s”.") % {"slug": slug}
                + " "
                + gettext("Known sectors: %(known)s.") % {"known": known}
            )
        return sector

    def get_feed(self, obj: FeedScope, request: HttpRequest):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.language
        return feed

    def title(self, obj: FeedScope) -> str:
        return feed_title(obj.board, obj.language, obj.sector)

    def description(self, obj: FeedScope) -> str:
        with translation.override(obj.language):
            board = str(obj.board.name)
            if obj.sector is None:
                return gettext("The latest items on the %(board)s board of Seoul Solution.") % {
                    "board": board
                }
            return gettext(
                "The latest items of the sector %(sector)s on the %(board)s board of "
                "Seoul Solution."
            ) % {"board": board, "sector": bilingual(obj.sector, "name", obj.language)}

    def link(self, obj: FeedScope) -> str:
        return obj.link

    def feed_url(self, obj: FeedScope) -> str:
        return obj.feed_url

    def author_name(self, obj: FeedScope) -> str:
        return obj.publisher

    def items(self, obj: FeedScope) -> list[ItemRecord]:
        return obj.records

    def item_title(self, item: ItemRecord) -> str:
        return item.title

    def item_description(self, item: ItemRecord) -> str:
        # Readers take the description as HTML; the summary is plain text.
        return escape(item.summary)

    def item_link(self, item: ItemRecord) -> str:
        return item.url

    def item_guid(self, item: ItemRecord) -> str:
        return item.url

    item_guid_is_permalink = True

    def item_pubdate(self, item: ItemRecord) -> dt.datetime | None:
        return item_pubdate(item)

    def item_updateddate(self, item: ItemRecord) -> dt.datetime | None:
        return item.last_modified

    def item_author_name(self, item: ItemRecord) -> str | None:
        return item.creator or None

    def item_categories(self, item: ItemRecord) -> list[str]:
        sector = [bilingual(item.sector, "name", item.language)] if item.sector else []
        return sector + item.tags

    def item_enclosures(self, item: ItemRecord) -> list[feedgenerator.Enclosure]:
        # RSS allows one enclosure per item: the document to download, if any.
        return [
            feedgenerator.Enclosure(
                attachment.url, str(attachment.size or 0), attachment.content_type
            )
            for attachment in item.attachments[:1]
        ]


class BoardAtomFeed(BoardRssFeed):
    """Atom 1.0 feed of one board (``<lang>/feeds/<board>/atom/``)."""

    feed_type = feedgenerator.Atom1Feed

    def subtitle(self, obj: FeedScope) -> str:
        return self.description(obj)
