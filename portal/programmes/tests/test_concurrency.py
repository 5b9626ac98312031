"""Applications sent at the same moment: the counter's row lock makes the capacity and
one-per-address checks see each other, so neither is beaten by a race. Needs a database
with row locks and concurrent writers (PostgreSQL); SQLite runs one writer at a time."""

import threading

import pytest
from django.db import connection, connections

from portal.programmes.models import ProgrammeApplication
from portal.programmes.services import ApplicationData, ApplicationRefused, application_submit

pytestmark = [
    # serialized_rollback: restore the pages of the migrations that the flush after a
    # transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need concurrent writers"
    ),
]


def _race(programme, emails: list[str], participants: int) -> tuple[list[str], list[str]]:
    """Submit one application per address from as many threads at once; the references
    given and the refusal codes."""
    barrier = threading.Barrier(len(emails))
    references, refusals, lock = [], [], threading.Lock()

    def apply(email: str) -> None:
        data = ApplicationData(
            organisation="City",
            contact_name="Contact",
            email=email,
            participants=participants,
            motivation="Why",
            answers=[],
        )
        try:
            barrier.wait()
            application = application_submit(programme=programme, data=data, language="en")
            with lock:
                references.append(application.reference)
        except ApplicationRefused as refused:
            with lock:
                refusals.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return references, refusals


def test_simultaneous_applications_never_exceed_the_capacity(programme):
    # Capacity 10, four participants each: two fit, the third would make twelve.
    references, refusals = _race(programme, [f"city{n}@example.org" for n in range(6)], 4)
    assert len(references) == 2 and len(set(references)) == 2
    assert sorted(refusals) == sorted(["too_many_participants"] * 4)
    assert sum(ProgrammeApplication.objects.values_list("participants", flat=True)) == 8


def test_simultaneous_applications_from_one_address_store_one(programme):
    references, refusals = _race(programme, ["Same@Example.org", "same@example.org"] * 3, 1)
    assert len(references) == 1
    assert refusals == ["duplicate"] * 5
    assert ProgrammeApplication.objects.count() == 1
