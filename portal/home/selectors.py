"""What the home page shows, read in a fixed, small number of queries."""

from portal.core.selectors import board_items
from portal.home.models import HomePage
from portal.partners.selectors import partners_for_home


def _latest(index, count: int) -> list:
    if index is None or not index.live:
        return []
    return list(board_items(index=index)[:count])


def home_sections(*, home: HomePage) -> dict:
    partner_index = home.partner_index
    return {
        "news_index": home.news_index,
        "latest_news": _latest(home.news_index, home.news_count),
        "archive_index": home.archive_index,
        "latest_archives": _latest(home.archive_index, home.archive_count),
        "partner_index": partner_index
        if partner_index is not None and partner_index.live
        else None,
        "partners": list(partners_for_home()),
    }
