"""Whether a programme takes applications: decided on Seoul's calendar, not the server's."""

import datetime as dt
import enum
import uuid
from zoneinfo import ZoneInfo

from django.db.models import Sum
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


def programme_places_taken(*, programme_key: uuid.UUID) -> int:
    """Places held by a programme's applications in any language: the participants of every
    application that is not declined."""
    from portal.programmes.models import STATUSES_HOLDING_A_PLACE, ProgrammeApplication

    total = ProgrammeApplication.objects.filter(
        programme_key=programme_key, status__in=STATUSES_HOLDING_A_PLACE
    ).aggregate(total=Sum("participants"))["total"]
    return total or 0


def programme_places_left(*, capacity: int | None, programme_key: uuid.UUID) -> int | None:
    """How many participants the programme can still take; None when it has no capacity."""
    if capacity is None:
        return None
    return max(capacity - programme_places_taken(programme_key=programme_key), 0)


def programme_questions(*, programme, request) -> list:
    """The editors' questions of a programme, kept until content next changes; a preview
    reads the questions of the revision being previewed."""
    from portal.core.content_version import cached_content

    if getattr(request, "is_preview", False) or programme.pk is None:
        return list(programme.questions.all())
    return cached_content(
        f"programme-questions:{programme.pk}", lambda: list(programme.questions.all())
    )
