"""Application windows are decided on Seoul's calendar, including at midnight."""

import datetime as dt

import pytest

from portal.programmes.selectors import ApplicationState, programme_application_state

UTC = dt.UTC
OPENS = dt.date(2020, 8, 20)
CLOSES = dt.date(2020, 8, 21)


@pytest.mark.parametrize(
    ("at_utc", "expected"),
    [
        # 2020-08-19 23:59:59 in Seoul (UTC+9)
        (dt.datetime(2020, 8, 19, 14, 59, 59, tzinfo=UTC), ApplicationState.UPCOMING),
        # 2020-08-20 00:00:00 in Seoul: still the 19th in UTC, but the window is open
        (dt.datetime(2020, 8, 19, 15, 0, 0, tzinfo=UTC), ApplicationState.OPEN),
        # 2020-08-21 23:59:59 in Seoul: the last second of the last day
        (dt.datetime(2020, 8, 21, 14, 59, 59, tzinfo=UTC), ApplicationState.OPEN),
        # 2020-08-22 00:00:00 in Seoul: closed, although it is still the 21st in UTC
        (dt.datetime(2020, 8, 21, 15, 0, 0, tzinfo=UTC), ApplicationState.CLOSED),
    ],
    ids=["before-midnight-opening", "midnight-opening", "last-second", "midnight-closing"],
)
def test_state_at_the_boundaries_of_the_window(at_utc, expected):
    assert programme_application_state(opens=OPENS, closes=CLOSES, at=at_utc) is expected


def test_one_day_window_is_open_all_that_day():
    day = dt.date(2020, 8, 20)
    noon = dt.datetime(2020, 8, 20, 3, 0, tzinfo=UTC)
    assert programme_application_state(opens=day, closes=day, at=noon) is ApplicationState.OPEN
