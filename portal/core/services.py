"""Writes shared by the whole portal."""

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F

from portal.core.models import ReferenceCounter


def admin_ensure(*, username: str, email: str) -> str | None:
    """Create a superuser with a random password if no superuser exists.

    Returns the password when an account was created, None when one already existed.
    A fixed default password would be a known credential on every fresh install.
    """
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(username=username, email=email, password=password)
    return password


def reference_next(*, series: str, year: int) -> str:
    """The next reference of ``series`` in ``year``, e.g. ``SS-2026-000123``.

    Call it inside the transaction that stores the record: the counter row stays locked
    until that transaction ends, so numbers are never given twice and checks the caller
    makes after taking a number (capacity, duplicates) run one at a time.
    """
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(series=series, year=year)
    except IntegrityError:  # another record created the row first
        pass
    counter = ReferenceCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"{series}-{year}-{counter.last_number:06d}"
