"""Create the first administrator, only when none exists, with a random password shown once."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an administrator account if there is none; print its random password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@localhost")

    def handle(self, *args, username: str, email: str, **options):
        from portal.core.services import admin_ensure

        password = admin_ensure(username=username, email=email)
        if password is None:
            self.stdout.write("An administrator account already exists; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the administrator '{username}' with the password: {password}\n"
                "It is shown only this once; change it after signing in at /admin/."
            )
        )
