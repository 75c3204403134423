"""Queue the feedback emails for people who attended events that have ended: cron, daily.

Each is sent once (``SentEmail``), however often this runs."""

from django.core.management.base import BaseCommand

from events import services
from failshare.periodic import records_run


class Command(BaseCommand):
    help = "Queue feedback emails for attendees of events that ended in the last 30 days."

    @records_run
    def handle(self, *args, **options):
        queued = services.feedback_requests_queue()
        self.stdout.write(f"{queued} feedback emails queued.")
