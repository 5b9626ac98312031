"""Programme pages say whether applications are upcoming, open or closed, with the dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


def _window(days_from_today: int, length: int = 2):
    today = timezone.localdate()
    opens = today + dt.timedelta(days=days_from_today)
    return {"application_opens": opens, "application_closes": opens + dt.timedelta(days=length - 1)}


@pytest.mark.parametrize(
    ("offset", "ko_text", "en_text"),
    [
        (5, "접수 예정", "not yet open"),
        (0, "접수 중", "Applications open"),
        (-10, "접수 마감", "closed"),
    ],
    ids=["upcoming", "open", "closed"],
)
def test_programme_page_states_its_window_in_both_languages(client, tree, offset, ko_text, en_text):
    programme = f.ProgrammePageFactory(parent=tree.programmes["ko"], slug="call", **_window(offset))
    f.translate(programme, "en", title="Call for tenants")
    ko = client.get("/ko/programmes/call/").content.decode()
    en = client.get("/en/programmes/call/").content.decode()
    assert ko_text in ko
    assert en_text in en
    assert programme.application_closes.isoformat() in ko


def test_window_that_closes_before_it_opens_is_refused():
    page = f.ProgrammePageFactory.build(
        application_opens=dt.date(2020, 8, 21), application_closes=dt.date(2020, 8, 20)
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "application_closes" in error.value.message_dict


def test_programme_board_lists_the_state(client, tree):
    f.ProgrammePageFactory(
        parent=tree.programmes["ko"], title="서울국제금융오피스 입주기업 모집", slug="sifo"
    )
    html = client.get("/ko/programmes/").content.decode()
    assert "서울국제금융오피스 입주기업 모집" in html
    assert "접수 마감" in html
