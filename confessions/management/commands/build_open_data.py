from django.core.management.base import BaseCommand

from confessions.api.exports import build, stale_formats
from failshare.periodic import records_run


class Command(BaseCommand):
    help = "Build the bulk downloads of the published stories that are older than the stories."

    @records_run
    def handle(self, *args, **options):
        for format in stale_formats():
            export = build(format)
            self.stdout.write(f"Built {format}: {export.stories} stories")
