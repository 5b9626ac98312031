"""Whether a programme takes applications: decided on Seoul's calendar, not the server's."""

import datetime as dt
import enum
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SEOUL = ZoneInfo("Asia/Seoul")


class ApplicationState(enum.Enum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS = {
    ApplicationState.UPCOMING: _("Applications not yet open"),
    ApplicationState.OPEN: _("Applications open"),
    ApplicationState.CLOSED: _("Applications closed"),
}


def seoul_today(*, at: dt.datetime | None = None) -> dt.date:
    """The calendar date in Seoul at ``at`` (now by default)."""
    return timezone.localtime(at or timezone.now(), SEOUL).date()


def programme_application_state(
    *, opens: dt.date, closes: dt.date, at: dt.datetime | None = None
) -> ApplicationState:
    """Upcoming before the first day, open from 00:00 on ``opens`` to 24:00 on ``closes``
    (Seoul time), closed afterwards."""
    today = seoul_today(at=at)
    if today < opens:
        return ApplicationState.UPCOMING
    if today > closes:
        return ApplicationState.CLOSED
    return ApplicationState.OPEN
