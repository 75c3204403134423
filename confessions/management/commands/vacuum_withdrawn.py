from django.core.management.base import BaseCommand

from confessions.vacuum import reorder_story_rows, vacuum_after_withdrawals
from failshare.periodic import records_run


class Command(BaseCommand):
    help = (
        "VACUUM the story tables when a story was withdrawn since the last run, so the old row "
        "versions that still hold its text are freed. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Vacuum even if no story was withdrawn (after a migration that rewrote stories).",
        )
        parser.add_argument(
            "--reorder",
            action="store_true",
            help="Then rewrite the story, tag-link and tag tables in key order (CLUSTER), so a "
            "dump does not list them in the order they arrived. Locks each table while it runs.",
        )

    @records_run
    def handle(self, *args, force=False, reorder=False, **options):
        tables = vacuum_after_withdrawals(force=force)
        if tables:
            self.stdout.write(f"Vacuumed {len(tables)} tables: {', '.join(tables)}.")
        else:
            self.stdout.write("Nothing to vacuum: no story was withdrawn since the last run.")
        if reorder:
            rewritten = reorder_story_rows()
            self.stdout.write(f"Rewrote in key order: {', '.join(rewritten)}.")
