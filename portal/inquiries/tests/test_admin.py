"""The staff workflow in Wagtail's admin: who sees requests, editing, export."""

import datetime as dt

import pytest
from django.urls import reverse

from portal.inquiries.models import CooperationRequest, Status

pytestmark = pytest.mark.django_db

INDEX = "cooperation_requests:index"
EDIT = "cooperation_requests:edit"


def test_a_user_outside_the_staff_group_cannot_see_requests(client, make_request, outsider):
    request = make_request()
    client.force_login(outsider)
    for url in (reverse(INDEX), reverse(EDIT, args=[request.pk]), reverse(INDEX) + "?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"ana@example.org" not in response.content
        assert b"Ana Souza" not in response.content


def test_an_anonymous_visitor_is_sent_to_the_login(client, make_request):
    response = client.get(reverse(INDEX))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_see_the_list_with_search_and_filters(client, make_request, staff_user):
    make_request(name="Ana Souza", country="Brazil")
    make_request(name="Kofi Mensah", country="Ghana", email="kofi@example.org")
    client.force_login(staff_user)
    html = client.get(reverse(INDEX)).content.decode()
    assert "Ana Souza" in html and "Kofi Mensah" in html
    html = client.get(reverse(INDEX), {"q": "kofi@"}).content.decode()
    assert "Kofi Mensah" in html and "Ana Souza" not in html
    html = client.get(reverse(INDEX), {"country": "Brazil"}).content.decode()
    assert "Ana Souza" in html and "Kofi Mensah" not in html


def test_staff_edit_records_status_assignee_note_and_reply(
    client, make_request, staff_user, monkeypatch
):
    monkeypatch.setattr("portal.inquiries.viewsets.likely_pages", lambda request: [])
    request = make_request()
    client.force_login(staff_user)
    url = reverse(EDIT, args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "ana@example.org" in page.content.decode()
    response = client.post(
        url,
        {
            "status": Status.IN_REVIEW,
            "assignee": staff_user.pk,
            "reply_text": "",
            "new_note": "Ask the transport office.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    assert request.assignee == staff_user
    change = request.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.NEW,
        Status.IN_REVIEW,
        staff_user,
    )
    note = request.notes.get()
    assert (note.text, note.author) == ("Ask the transport office.", staff_user)


def test_staff_edit_shows_the_pages_the_request_likely_asks_about(
    client, make_request, staff_user, monkeypatch
):
    from portal.inquiries.selectors import LikelyPage

    monkeypatch.setattr(
        "portal.inquiries.viewsets.likely_pages",
        lambda request: [LikelyPage(title="Bus reform of 2004", url="/en/policies/bus/")],
    )
    request = make_request()
    client.force_login(staff_user)
    html = client.get(reverse(EDIT, args=[request.pk])).content.decode()
    assert "Bus reform of 2004" in html and 'href="/en/policies/bus/"' in html


def test_likely_pages_come_from_the_site_search(make_request, monkeypatch):
    from types import SimpleNamespace

    from portal.inquiries.selectors import likely_pages

    calls = []

    def fake_search_page(**kwargs):
        calls.append(kwargs)
        return SimpleNamespace(hits=[SimpleNamespace(title="Bus reform", url="/ko/policies/bus/")])

    monkeypatch.setattr("portal.search.selectors.search_page", fake_search_page)
    request = make_request(message="x" * 300, language="ko")
    assert [page.title for page in likely_pages(request=request)] == ["Bus reform"]
    assert calls == [{"query": "x" * 200, "language": "ko", "per_page": 5}]


def test_staff_edit_refuses_a_status_move_that_is_not_allowed(
    client, make_request, staff_user, monkeypatch
):
    monkeypatch.setattr("portal.inquiries.viewsets.likely_pages", lambda request: [])
    request = make_request()
    request.status = Status.SPAM
    request.save()
    client.force_login(staff_user)
    response = client.post(
        reverse(EDIT, args=[request.pk]),
        {"status": Status.ANSWERED, "assignee": "", "reply_text": "", "new_note": ""},
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == Status.SPAM
    assert not request.status_changes.exists()


def test_csv_export_contains_the_rows(client, make_request, staff_user):
    first, second = make_request(), make_request(name="Kofi Mensah", email="kofi@example.org")
    client.force_login(staff_user)
    response = client.get(reverse(INDEX), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert len(lines) == 3
    # The header is in the staff member's language (Korean by default).
    assert lines[0].split(",")[0] in {"Reference", "reference", "접수번호"}
    assert first.reference in content and second.reference in content
    assert "kofi@example.org" in content


def test_csv_export_reads_in_seoul_time_with_labels(client, make_request, staff_user):
    request = make_request()
    CooperationRequest.objects.filter(pk=request.pk).update(
        created_at=dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC)
    )
    client.force_login(staff_user)
    response = client.get(reverse(INDEX), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="ko")
    row = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1]
    assert ",2026-03-02 00:30," in row
    assert ",신규," in row and ",연수 방문," in row
    assert ",new," not in row and ",study_visit," not in row


def test_mail_failed_filter(client, make_request, staff_user):
    from portal.inquiries.models import CooperationRequest, MailState

    failed = make_request(name="Failed Person")
    make_request(name="Fine Person")
    CooperationRequest.objects.filter(pk=failed.pk).update(notification_state=MailState.FAILED)
    client.force_login(staff_user)
    html = client.get(reverse(INDEX), {"mail_failed": "true"}).content.decode()
    assert "Failed Person" in html and "Fine Person" not in html


def test_edit_view_shows_the_preferred_dates_or_that_none_were_given(
    client, make_request, staff_user
):
    import datetime as dt

    client.force_login(staff_user)
    without = make_request()
    with_start = make_request(name="Kofi Mensah", preferred_start=dt.date(2026, 10, 5))
    html = client.get(reverse(EDIT, args=[without.pk])).content.decode()
    assert "None given" in html or "입력하지 않음" in html  # the staff member's language
    assert "2026-10-05 – …" in client.get(reverse(EDIT, args=[with_start.pk])).content.decode()
