"""The boards that have feeds, and which board a page belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.core.catalogue import KIND_MODELS
from portal.core.i18n import bilingual
from portal.core.models import Sector

FORMATS = ("rss", "atom")
FEED_MIME_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
FORMAT_LABELS = {"rss": "RSS", "atom": "Atom"}


@dataclass(frozen=True)
class Board:
    """A board with feeds: its slug in feed URLs, its catalogue kind and its index page."""

    slug: str
    kind: str
    name: Promise
    index_model: str

    def index_class(self) -> type[Page]:
        return apps.get_model(self.index_model)


BOARDS: dict[str, Board] = {
    board.slug: board
    for board in (
        Board("news", "news", _("News"), "news.NewsIndexPage"),
        Board("archives", "archive", _("Archives"), "archives.ArchiveIndexPage"),
        Board("policies", "policy", _("Policies"), "policies.PolicyIndexPage"),
    )
}
# The home page advertises the news feed: news is what changes most often.
HOME_BOARD = "news"


def board_of(page: Page) -> Board | None:
    """The board whose feeds a page advertises: its own board (the index page or an item
    on it), the news board for the home page, none for other pages."""
    model = page.specific_class
    if model is None:
        return None
    label = model._meta.label_lower
    if label == "home.homepage":
        return BOARDS[HOME_BOARD]
    for board in BOARDS.values():
        if label in (board.index_model.lower(), KIND_MODELS[board.kind].lower()):
            return board
    return None


def feed_path(board: Board, fmt: str, language: str, sector: str | None = None) -> str:
    """The path of a feed under the language's prefix, with the sector as a parameter."""
    with translation.override(language):
        path = reverse(f"syndication:{fmt}", kwargs={"board": board.slug})
    return f"{path}?sector={sector}" if sector else path


def feed_title(board: Board, language: str, sector: Sector | None = None) -> str:
    """ "Seoul Solution – News", in the feed's language, with the sector when there is one."""
    with translation.override(language):
        parts = [gettext("Seoul Solution"), str(board.name)]
    if sector is not None:
        parts.append(bilingual(sector, "name", language))
    return " – ".join(parts)
