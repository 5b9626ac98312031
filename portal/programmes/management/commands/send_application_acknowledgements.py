"""Send the acknowledgements of programme applications that failed or are still pending
(run it from cron, e.g. every ten minutes)."""

from django.core.management.base import BaseCommand

from portal.programmes.services import applications_acknowledge_pending


class Command(BaseCommand):
    help = "Retry the acknowledgement e-mails of programme applications that were not sent."

    def handle(self, *args, **options):
        sent = applications_acknowledge_pending()
        self.stdout.write(f"Sent {sent} acknowledgement(s).")
