"""Generated input at a programme's application form: an answer, never a server error, and
a stored application only when the input was valid."""

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.tests.fuzzing import FUZZ, field, form
from portal.programmes.forms import ProgrammeApplicationForm
from portal.programmes.models import ProgrammeApplication
from portal.programmes.tests.conftest import question_fields, valid_data

pytestmark = pytest.mark.django_db

# Every field the form has; the extra questions are drawn as one "question" below.
FIELDS = list(ProgrammeApplicationForm.base_fields)


@settings(FUZZ, max_examples=1000)
@given(
    language=st.sampled_from(["ko", "en"]),
    changes=st.fixed_dictionaries({}, optional=dict.fromkeys([*FIELDS, "question"], field)),
)
def test_the_application_form_answers_any_input(client, programme, language, changes):
    cache.clear()  # each example is a new visitor: no rate limit between them
    ProgrammeApplication.objects.all().delete()  # places and duplicate addresses stay free
    if "question" in changes:
        for name in question_fields(programme):
            changes[name] = changes["question"]
        del changes["question"]
    response = client.post(
        f"/{language}/programmes/training/", form(valid_data(programme, **changes))
    )
    assert response.status_code in (200, 302), response.status_code
    stored = ProgrammeApplication.objects.count()
    assert stored == (1 if response.status_code == 302 else 0)
