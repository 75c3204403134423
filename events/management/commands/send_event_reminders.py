"""Queue the "can you still come?" reminders that are due: run by cron, e.g. hourly.

Each reminder goes through the task queue, and the task sends it only if no reminder has left
for that registration (``SentEmail``), so running this twice, or before the worker caught up,
sends nobody two.
"""

from django.core.management.base import BaseCommand

from events import services
from failshare.periodic import records_run


class Command(BaseCommand):
    help = "Queue reminder emails for confirmed attendees of events within their reminder days."

    @records_run
    def handle(self, *args, **options):
        queued = services.reminders_queue()
        self.stdout.write(f"{queued} reminders queued.")
