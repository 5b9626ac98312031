"""Fixtures of the inquiries tests: a published policy, valid form data, staff users."""

import pytest
from django.contrib.auth.models import Group

from portal.core.tests import factories as f
from portal.inquiries.models import CooperationRequest, Kind
from portal.inquiries.services import inquiry_submit


@pytest.fixture
def policy(tree):
    return f.PolicyPageFactory(parent=tree.policies["ko"], title="대중교통 개편", slug="bus-reform")


@pytest.fixture
def valid_data():
    return {
        "name": "Ana Souza",
        "organisation": "City of Curitiba",
        "city": "Curitiba",
        "country": "Brazil",
        "email": "ana@example.org",
        "kind": "study_visit",
        "preferred_start": "2026-10-05",
        "preferred_end": "2026-10-09",
        "people": "12",
        "message": "We would like to visit Seoul to learn about the bus reform.",
        "consent": "on",
        "website": "",
    }


@pytest.fixture
def make_request(db):
    def make(**fields):
        data = {
            "name": "Ana Souza",
            "organisation": "City of Curitiba",
            "city": "Curitiba",
            "country": "Brazil",
            "email": "ana@example.org",
            "kind": Kind.STUDY_VISIT,
            "people": 3,
            "message": "Bus reform",
            "consent": True,
        }
        language = fields.pop("language", "en")
        data.update(fields)
        return inquiry_submit(data=data, related_pages=[], language=language)

    return make


@pytest.fixture
def staff_user(django_user_model):
    user = django_user_model.objects.create_user(
        username="staff", email="staff@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name="Cooperation staff"))
    return user


@pytest.fixture
def outsider(django_user_model):
    """An editor who may use the admin, but is not in the cooperation staff group."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="editor", email="editor@example.org", password="pw"
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def stored_count() -> int:
    return CooperationRequest.objects.count()
