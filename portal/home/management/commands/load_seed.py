"""Load the seed page's demo content (news, archives, partners, MITI, Sharing City)."""

from django.core.management.base import BaseCommand

from portal.home.services import seed_load


class Command(BaseCommand):
    help = "Load the demo content in Korean and English. Running it again changes nothing."

    def handle(self, *args, **options):
        report = seed_load()
        for outcome in ("created", "updated", "unchanged"):
            counts = getattr(report, outcome)
            if counts:
                summary = ", ".join(f"{label} {count}" for label, count in sorted(counts.items()))
                self.stdout.write(f"{outcome}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
