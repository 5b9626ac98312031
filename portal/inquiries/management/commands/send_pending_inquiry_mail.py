"""Send the acknowledgements and staff notifications of cooperation requests that failed
or are still pending (run it from cron, e.g. every ten minutes)."""

from django.core.management.base import BaseCommand

from portal.inquiries.selectors import requests_with_unsent_mail
from portal.inquiries.services import inquiry_send_mail


class Command(BaseCommand):
    help = "Retry the e-mails of cooperation requests that were not sent."

    def handle(self, *args, **options):
        sent = failed = 0
        for request in requests_with_unsent_mail().only("pk", "reference"):
            for which, ok in inquiry_send_mail(request_id=request.pk).items():
                if ok:
                    sent += 1
                else:
                    failed += 1
                    self.stderr.write(f"{request.reference}: the {which} e-mail failed again.")
        self.stdout.write(f"Sent {sent} e-mail(s); {failed} failed.")
