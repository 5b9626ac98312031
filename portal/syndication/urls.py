"""Feeds, under each language's prefix: ``/<lang>/feeds/<board>/rss/`` and ``…/atom/``
for the boards news, archives and policies; ``?sector=<slug>`` narrows a feed to one
sector (an unknown slug answers 404 with a plain-text explanation)."""

from django.urls import re_path

from portal.syndication.boards import BOARDS
from portal.syndication.feeds import BoardAtomFeed, BoardRssFeed

app_name = "syndication"

_BOARD = "(?P<board>" + "|".join(BOARDS) + ")"

urlpatterns = [
    re_path(rf"^{_BOARD}/rss/$", BoardRssFeed(), name="rss"),
    re_path(rf"^{_BOARD}/atom/$", BoardAtomFeed(), name="atom"),
]
