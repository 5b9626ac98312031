"""The demo programmes: the 2020 call stays closed, the MITI course is open relative to
today, and loading again moves its window only once it is no longer open."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from portal.programmes.models import ProgrammePage
from portal.programmes.selectors import ApplicationState, seoul_today

pytestmark = pytest.mark.django_db

MITI = "miti-urban-mobility-training"


def _load():
    call_command("load_seed", stdout=StringIO())


def test_seed_has_a_closed_call_and_an_open_course_in_both_languages(client):
    _load()
    for language in ("ko", "en"):
        finance = ProgrammePage.objects.get(
            slug="seoul-international-finance-office-2020", locale__language_code=language
        )
        miti = ProgrammePage.objects.get(slug=MITI, locale__language_code=language)
        assert finance.state() is ApplicationState.CLOSED
        assert miti.state() is ApplicationState.OPEN
        assert miti.application_opens == seoul_today() - dt.timedelta(days=10)
        assert miti.questions.get().required
        html = client.get(miti.url).content.decode()
        assert 'name="organisation"' in html
        assert 'name="organisation"' not in client.get(finance.url).content.decode()
    ko_question = ProgrammePage.objects.get(slug=MITI, locale__language_code="ko").questions.get()
    assert "교통 문제" in ko_question.label


def test_loading_again_later_keeps_an_open_window_and_adds_no_revision():
    _load()
    revisions = Revision.objects.count()
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(days=5)
    ):
        _load()
    assert Revision.objects.count() == revisions
    miti = ProgrammePage.objects.get(slug=MITI, locale__language_code="ko")
    assert miti.application_opens == seoul_today() - dt.timedelta(days=10)


def test_loading_after_the_window_closed_opens_it_again():
    _load()
    later = timezone.now() + dt.timedelta(days=60)
    with mock.patch("django.utils.timezone.now", return_value=later):
        _load()
        miti = ProgrammePage.objects.get(slug=MITI, locale__language_code="en")
        assert miti.state() is ApplicationState.OPEN
        assert miti.application_opens == seoul_today() - dt.timedelta(days=10)
