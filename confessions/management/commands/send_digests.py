from django.core.management.base import BaseCommand
from django.utils import timezone

from confessions.digests.models import Frequency, Subscription, period_of
from confessions.digests.tasks import send_digest
from failshare.periodic import records_run


class Command(BaseCommand):
    help = (
        "Queue this week's and this month's digests not yet sent. Safe to run twice or at once "
        "on two machines: each digest is sent once (confessions/digests/services.py)."
    )

    @records_run
    def handle(self, *args, **options):
        today = timezone.localdate()
        queued = 0
        for frequency in Frequency.values:
            period = period_of(frequency, today)
            due = Subscription.objects.confirmed().filter(frequency=frequency)
            for pk in due.exclude(sent__period=period).values_list("pk", flat=True).iterator():
                send_digest.enqueue(pk, period)
                queued += 1
        self.stdout.write(f"Queued {queued} digests")
