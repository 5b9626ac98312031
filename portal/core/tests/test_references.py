"""The one reference counter: numbers per series and year, and the move of the counters
each form used to keep on its own."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from portal.core.models import ReferenceCounter
from portal.core.services import reference_next


@pytest.mark.django_db
def test_each_series_counts_on_its_own():
    assert reference_next(series="SS", year=2026) == "SS-2026-000001"
    assert reference_next(series="AP", year=2026) == "AP-2026-000001"
    assert reference_next(series="SS", year=2026) == "SS-2026-000002"
    assert reference_next(series="SS", year=2027) == "SS-2027-000001"
    assert ReferenceCounter.objects.count() == 3


# serialized_rollback: the flush after a transactional test empties every table; this puts
# back what the migrations created (content types, the root page) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_the_numbers_already_given():
    before = [
        ("inquiries", "0002_cooperation_staff_group"),
        ("programmes", "0004_programme_staff_group"),
    ]
    after = [
        ("inquiries", "0003_delete_referencecounter"),
        ("programmes", "0005_delete_applicationcounter"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("inquiries", "ReferenceCounter").objects.create(year=2025, last_number=41)
    old_apps.get_model("programmes", "ApplicationCounter").objects.create(year=2025, last=7)

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    with transaction.atomic():  # as the forms call it: inside the transaction that stores
        assert reference_next(series="SS", year=2025) == "SS-2025-000042"
        assert reference_next(series="AP", year=2025) == "AP-2025-000008"
