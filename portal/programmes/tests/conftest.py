"""An open programme in both languages, with one extra required question."""

import datetime as dt

import pytest

from portal.core.tests import factories as f
from portal.programmes.models import ProgrammeQuestion
from portal.programmes.selectors import seoul_today


@pytest.fixture
def programme(tree):
    """The Korean page of an open programme for 10 participants; its English translation is
    at /en/programmes/training/."""
    today = seoul_today()
    page = f.ProgrammePageFactory(
        parent=tree.programmes["ko"],
        slug="training",
        title="도시교통 연수",
        application_opens=today - dt.timedelta(days=1),
        application_closes=today + dt.timedelta(days=5),
        recruitment_start=today - dt.timedelta(days=10),
        recruitment_end=today + dt.timedelta(days=5),
        capacity=10,
    )
    page.questions = [ProgrammeQuestion(label="귀 도시의 교통 문제", required=True, max_length=100)]
    f.publish(page)
    english = f.translate(page, "en", title="Urban transport training")
    question = english.questions.get()
    question.label = "Your city's transport problem"
    question.save()
    return page


def question_fields(page) -> list[str]:
    """The form field names of the extra question, in both languages' forms."""
    questions = ProgrammeQuestion.objects.filter(page__translation_key=page.translation_key)
    return [f"question_{question.pk}" for question in questions]


def valid_data(page, **changes) -> dict:
    data = {
        "organisation": "City of Hanoi",
        "contact_name": "Nguyen Van A",
        "email": "nguyen@example.org",
        "phone": "+84 24 3825 3536",
        "participants": "3",
        "motivation": "We are reorganising our bus network.",
        "consent": "on",
        "website": "",
    }
    for name in question_fields(page):
        data[name] = "Congestion on the ring roads."
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
