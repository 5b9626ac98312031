"""Writes shared by the whole portal."""

import secrets

from django.contrib.auth import get_user_model


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
