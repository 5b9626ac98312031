"""Anonymise the personal data of closed and spam cooperation requests, and of programme
applications when that app offers it, older than a number of days."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.inquiries.services import inquiries_anonymise


def _programme_anonymiser():
    """The programme applications' anonymiser, or None while that app has none."""
    try:
        from portal.programmes import services
    except ImportError:
        return None
    return getattr(services, "applications_anonymise", None)


class Command(BaseCommand):
    help = (
        "Anonymise closed and spam cooperation requests (and programme applications) "
        "created more than DAYS days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing."
        )

    def handle(self, *args, older_than: int, dry_run: bool, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        cutoff = timezone.now() - dt.timedelta(days=older_than)
        verb = "Would anonymise" if dry_run else "Anonymised"
        count = inquiries_anonymise(older_than=cutoff, dry_run=dry_run)
        self.stdout.write(
            f"{verb} {count} cooperation request(s) closed or marked spam and created "
            f"before {cutoff:%Y-%m-%d %H:%M %Z}."
        )
        anonymise_applications = _programme_anonymiser()
        if anonymise_applications is None:
            self.stdout.write("Programme applications: nothing to do (no anonymiser).")
        else:
            applications = anonymise_applications(older_than=cutoff, dry_run=dry_run)
            self.stdout.write(f"{verb} {applications} programme application(s).")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
