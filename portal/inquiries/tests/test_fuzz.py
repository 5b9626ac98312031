"""Generated input at the cooperation request form: an answer, never a server error, and a
stored request only when the input was valid."""

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.tests.fuzzing import FUZZ, field, form
from portal.inquiries.forms import CooperationRequestForm
from portal.inquiries.models import CooperationRequest

pytestmark = pytest.mark.django_db

# Every field the form has (honeypot and consent included): a new field is fuzzed too.
FIELDS = list(CooperationRequestForm.base_fields)


@settings(FUZZ, max_examples=1500)
@given(
    language=st.sampled_from(["ko", "en"]),
    changes=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, field)),
)
def test_the_request_form_answers_any_input(client, policy, valid_data, language, changes):
    cache.clear()  # each example is a new visitor: no rate limit between them
    before = CooperationRequest.objects.count()
    response = client.post(f"/{language}/inquiries/request/", form({**valid_data, **changes}))
    # 400: the form again with its errors; 413: more than a request's largest body.
    assert response.status_code in (302, 400, 413), response.status_code
    stored = CooperationRequest.objects.count() - before
    if response.status_code != 302:  # refused: nothing stored
        assert stored == 0
    else:
        assert stored == 1 and "/inquiries/request/sent/" in response["Location"]
