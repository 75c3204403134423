from django.conf import settings
from django.core.management.base import BaseCommand

from confessions import tasks
from confessions.models import Confession


class Command(BaseCommand):
    help = (
        "Queue the moderators' digest (how many stories wait) when any story waits. Run it on "
        "a schedule (once a day, or every few hours), never because a story arrived: its time "
        "then says nothing about when a story came."
    )

    def handle(self, *args, **options):
        if not settings.MODERATOR_EMAILS or not Confession.objects.pending().exists():
            self.stdout.write("No digest: no story waits, or no moderator address is set.")
            return
        tasks.notify_moderators.enqueue()
        self.stdout.write("Queued the moderators' digest.")
