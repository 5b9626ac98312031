"""Generated input at the search analyser and the boards' filters: never a server error."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.tests import factories as f
from portal.core.tests.fuzzing import FUZZ, field, form, text
from portal.search.analysis import analyse


@settings(FUZZ, max_examples=5000)
@given(value=text, for_query=st.booleans(), names=st.booleans())
def test_the_analyser_takes_any_text(value, for_query, names):
    analysis = analyse(value, for_query=for_query, names=names)
    assert all(isinstance(term, str) and term for term in analysis.terms)


@pytest.fixture
def board(tree):
    f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="첫 소식", slug="first"))
    return tree


@pytest.mark.django_db
@settings(FUZZ, max_examples=1000)
@given(
    language=st.sampled_from(["ko", "en"]),
    path=st.sampled_from(["news", "archives", "policies", "partners", "programmes"]),
    query=st.fixed_dictionaries(
        {"sector": field, "year": field, "kind": field, "page": field, "q": field}
    ),
)
def test_every_board_answers_any_filter(client, board, language, path, query):
    response = client.get(f"/{language}/{path}/", form(query))
    assert response.status_code in (200, 404), response.status_code
