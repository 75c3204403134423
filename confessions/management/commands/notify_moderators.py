import uuid

from django.conf import settings
from django.core.management.base import BaseCommand

from confessions import tasks
from confessions.models import Confession, Message, ModeratorDigestSent
from failshare.periodic import records_run


class Command(BaseCommand):
    help = (
        "Queue the moderators' digest (how many stories wait, whether writers answered) when "
        "any story or answer waits. Run it on "
        "a schedule (once a day, or every few hours), never because a story arrived: its time "
        "then says nothing about when a story came."
    )

    @records_run
    def handle(self, *args, **options):
        waiting = (
            Confession.objects.pending().exists() or Message.objects.filter(unread=True).exists()
        )
        if not settings.MODERATOR_EMAILS or not waiting:
            self.stdout.write("No digest: no story waits, or no moderator address is set.")
            return
        # Each digest has a key of its own, so a task run twice sends it once. The keys of
        # earlier digests are no longer needed: their tasks finished long ago (a digest is queued
        # hours apart, a worker re-runs an orphaned task within minutes).
        ModeratorDigestSent.objects.all().delete()
        tasks.notify_moderators.enqueue(str(uuid.uuid4()))
        self.stdout.write("Queued the moderators' digest.")
