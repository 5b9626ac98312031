"""Editors list, search, filter, add and edit synonym sets in the admin."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from portal.glossary.models import SynonymSet
from portal.glossary.tests.factories import SynonymSetFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_glossary_synonymset:list"
ADD = "wagtailsnippets_glossary_synonymset:add"
EDIT = "wagtailsnippets_glossary_synonymset:edit"


@pytest.fixture
def english_admin(admin_client, admin_user):
    """The admin in English, so the tests read the messages' source text."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


@pytest.fixture
def sets():
    return [
        SynonymSetFactory(name="Public bicycle", terms="따릉이\nDdareungi\nSeoul Bike"),
        SynonymSetFactory(name="Tap water", terms="수돗물\n아리수\nArisu", enabled=False),
    ]


def test_the_glossary_has_its_own_menu_item(english_admin):
    html = english_admin.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(LIST) in html
    assert "Glossary" in html


def test_the_listing_shows_name_terms_and_state(english_admin, sets):
    response = english_admin.get(reverse(LIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Public bicycle" in html and "Tap water" in html
    assert "따릉이 · Ddareungi · Seoul Bike" in html
    assert reverse(EDIT, args=(sets[0].pk,)) in html


@pytest.mark.parametrize(
    ("query", "found", "missing"),
    [
        ("따릉", "Public bicycle", "Tap water"),
        ("arisu", "Tap water", "Public bicycle"),
        ("bicycle", "Public bicycle", "Tap water"),
    ],
    ids=["korean-term", "english-term-any-case", "name"],
)
def test_the_listing_searches_names_and_terms(english_admin, sets, query, found, missing):
    html = english_admin.get(reverse(LIST), {"q": query}).content.decode()
    assert found in html
    assert missing not in html


def test_the_listing_filters_by_enabled(english_admin, sets):
    html = english_admin.get(reverse(LIST), {"enabled": "false"}).content.decode()
    assert "Tap water" in html
    assert "Public bicycle" not in html


def test_an_editor_adds_a_set(english_admin):
    response = english_admin.post(
        reverse(ADD),
        {
            "name": "Fine dust",
            "terms": "미세먼지\r\n fine dust \r\nFine Dust\r\n\r\nPM2.5",
            "enabled": "on",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    synonym_set = SynonymSet.objects.get(name="Fine dust")
    assert synonym_set.terms == "미세먼지\nfine dust\nPM2.5"
    assert synonym_set.enabled


def test_an_editor_edits_and_disables_a_set(english_admin, sets):
    response = english_admin.post(
        reverse(EDIT, args=(sets[0].pk,)),
        {
            "name": "Public bicycle",
            "terms": "따릉이\nDdareungi\nSeoul Bike\npublic bike",
            "note": "Seoul's bike-sharing service",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sets[0].refresh_from_db()
    assert sets[0].term_list[-1] == "public bike"
    assert not sets[0].enabled
    assert sets[0].note == "Seoul's bike-sharing service"


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("따릉이\n\n따릉이", "Enter at least two different terms, one per line."),
        ("따릉이\n" + "b" * 101, "A term can be at most 100 characters long"),
        (
            "\n".join(f"t{n}" for n in range(51)),
            "A set can hold at most 50 terms; this one has 51.",
        ),
    ],
    ids=["one-term", "term-too-long", "too-many-terms"],
)
def test_bad_terms_are_refused_with_a_message(english_admin, terms, message):
    response = english_admin.post(
        reverse(ADD), {"name": "Bad", "terms": terms, "enabled": "on", "note": ""}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SynonymSet.objects.filter(name="Bad").exists()


def test_a_repeated_name_is_refused_with_a_message(english_admin, sets):
    response = english_admin.post(
        reverse(ADD), {"name": "Tap water", "terms": "물\nwater", "enabled": "on", "note": ""}
    )
    assert response.status_code == 200
    assert SynonymSet.objects.filter(name="Tap water").count() == 1
    assert "already exists" in response.content.decode()
