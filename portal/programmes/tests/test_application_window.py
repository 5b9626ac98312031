"""The form takes applications only inside the window (Seoul's calendar) and while places
are left; otherwise the page says why and a POST stores nothing."""

import datetime as dt
from unittest import mock

import pytest

from portal.programmes.models import ApplicationStatus, ProgrammeApplication
from portal.programmes.tests.conftest import valid_data

pytestmark = pytest.mark.django_db

UTC = dt.UTC
EN_URL = "/en/programmes/training/"


def _set_window(page, opens: dt.date, closes: dt.date) -> None:
    for translation in [page, *page.get_translations()]:
        translation.application_opens, translation.application_closes = opens, closes
        translation.save()


@pytest.mark.parametrize(
    ("at_utc", "accepted", "message"),
    [
        # 2030-03-09 23:59 in Seoul (UTC+9): the day before opening
        (dt.datetime(2030, 3, 9, 14, 59, tzinfo=UTC), False, "open on 2030-03-10"),
        # 2030-03-10 00:00 in Seoul: opening day
        (dt.datetime(2030, 3, 9, 15, 0, tzinfo=UTC), True, None),
        # 2030-03-12 23:59 in Seoul: the closing day
        (dt.datetime(2030, 3, 12, 14, 59, tzinfo=UTC), True, None),
        # 2030-03-13 00:00 in Seoul: the day after
        (dt.datetime(2030, 3, 12, 15, 0, tzinfo=UTC), False, "closed on 2030-03-12"),
    ],
    ids=["2359-before-opening", "0000-opening-day", "2359-closing-day", "0000-day-after"],
)
def test_window_edges_in_seoul_time(client, programme, at_utc, accepted, message):
    _set_window(programme, dt.date(2030, 3, 10), dt.date(2030, 3, 12))
    with mock.patch("django.utils.timezone.now", return_value=at_utc):
        page = client.get(EN_URL).content.decode()
        response = client.post(EN_URL, valid_data(programme))
    assert ('name="organisation"' in page) is accepted
    assert ProgrammeApplication.objects.exists() is accepted
    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 409
        assert message in response.content.decode()
        assert 'name="organisation"' not in response.content.decode()


def test_closed_page_states_the_dates_and_shows_no_form(client, programme):
    _set_window(programme, dt.date(2020, 8, 20), dt.date(2020, 8, 21))
    html = client.get(EN_URL).content.decode()
    assert "Applications closed on 2020-08-21" in html
    assert '<form method="post"' not in html


def test_full_programme_says_so_and_takes_nothing(client, programme):
    ProgrammeApplication.objects.create(
        programme=programme,
        programme_key=programme.translation_key,
        reference="AP-2030-000001",
        language="ko",
        organisation="Seoul",
        contact_name="Kim",
        email="kim@example.org",
        email_normalised="kim@example.org",
        participants=10,
        motivation="-",
    )
    html = client.get(EN_URL).content.decode()
    assert "This programme is full" in html
    assert 'name="organisation"' not in html
    response = client.post(EN_URL, valid_data(programme))
    assert response.status_code == 409
    assert ProgrammeApplication.objects.count() == 1


def test_declined_applications_free_their_places(client, programme):
    ProgrammeApplication.objects.create(
        programme=programme,
        programme_key=programme.translation_key,
        reference="AP-2030-000001",
        language="ko",
        organisation="Seoul",
        contact_name="Kim",
        email="kim@example.org",
        email_normalised="kim@example.org",
        participants=8,
        motivation="-",
        status=ApplicationStatus.DECLINED,
    )
    response = client.post(EN_URL, valid_data(programme, participants="10"))
    assert response.status_code == 302


def test_more_participants_than_places_left_is_refused(client, programme):
    client.post(EN_URL, valid_data(programme, participants="8"))
    response = client.post(EN_URL, valid_data(programme, email="b@example.org"))
    assert "Only 2 places are left" in response.content.decode()
    assert ProgrammeApplication.objects.count() == 1
