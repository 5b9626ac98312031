"""Applications in the admin: only the "Programme staff" group (and superusers) see them;
staff change statuses (recorded) and export CSV."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from portal.programmes.services import ApplicationData, application_submit

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/programme_applications/"


@pytest.fixture
def application(programme):
    return application_submit(
        programme=programme,
        data=ApplicationData(
            organisation="City of Quito",
            contact_name="Maria",
            email="maria@example.org",
            participants=2,
            motivation="Bus rapid transit",
            answers=[{"key": "k", "question": "Problem", "answer": "Traffic"}],
        ),
        language="en",
    )


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("staff", password="pw")
    user.groups.add(Group.objects.get(name="Programme staff"))
    return user


@pytest.fixture
def editor(db):
    """An admin user outside the group: may enter the admin, not see applications."""
    user = get_user_model().objects.create_user("editor", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_staff_group_sees_the_list_and_searches_it(client, staff, application):
    client.force_login(staff)
    html = client.get(LIST_URL).content.decode()
    assert application.reference in html
    assert "City of Quito" in client.get(LIST_URL, {"q": "Quito"}).content.decode()
    assert "City of Quito" not in client.get(LIST_URL, {"q": "Nairobi"}).content.decode()
    filtered = client.get(LIST_URL, {"status": "declined"}).content.decode()
    assert application.reference not in filtered


def test_user_outside_the_group_cannot_see_applications(client, editor, application):
    client.force_login(editor)
    response = client.get(LIST_URL)
    assert response.status_code in (302, 403)
    assert application.reference not in client.get(LIST_URL, follow=True).content.decode()
    inspect = client.get(f"{LIST_URL}inspect/{application.pk}/", follow=True)
    assert "maria@example.org" not in inspect.content.decode()


def test_staff_status_change_is_recorded_with_who_and_when(client, staff, application):
    client.force_login(staff)
    response = client.post(f"{LIST_URL}edit/{application.pk}/", {"status": "accepted"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "received",
        "accepted",
        staff,
    )
    inspect = client.get(f"{LIST_URL}inspect/{application.pk}/").content.decode()
    assert f"({staff.get_username()})" in inspect


def test_staff_export_csv(client, staff, application):
    client.force_login(staff)
    response = client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    # The header is in the staff member's language (Korean by default).
    assert header.split(",")[0] in {"Reference", "reference", "접수번호"}
    assert application.reference in row
    assert "maria@example.org" in row
    assert "Problem: Traffic" in row


def test_export_and_detail_read_in_seoul_time_with_labels(client, staff, application):
    # 15:30 UTC is half past midnight the next day in Seoul.
    type(application).objects.filter(pk=application.pk).update(
        created_at=dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC)
    )
    client.force_login(staff)
    response = client.get(LIST_URL, {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="ko")
    row = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1]
    assert ",2026-03-02 00:30," in row
    assert ",접수," in row and ",received," not in row  # the status's label, not its code
    assert ",English," in row

    inspect = client.get(f"{LIST_URL}inspect/{application.pk}/").content.decode()
    assert "2026-03-02 00:30" in inspect
    assert ">None<" not in inspect.replace(" ", "").replace("\n", "")  # empty: a dash


def test_nobody_adds_or_deletes_applications_in_the_admin(client, application):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root-admin", "root@example.org", "x")
    client.force_login(admin)
    listing = client.get(LIST_URL).content.decode()
    assert f"{LIST_URL}new/" not in listing
    assert client.get(f"{LIST_URL}new/").status_code in (302, 403)
    assert client.post(f"{LIST_URL}delete/{application.pk}/").status_code in (302, 403)
    assert type(application).objects.filter(pk=application.pk).exists()
