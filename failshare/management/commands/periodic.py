import argparse

from django.core.management import call_command
from django.core.management.base import BaseCommand

from failshare.periodic import recorded_run


class Command(BaseCommand):
    help = (
        "Run another management command and record that it ran, for the operator's page: "
        "python manage.py periodic prune_db_task_results --min-age-days 0"
    )

    def add_arguments(self, parser):
        parser.add_argument("command", help="the command to run")
        # Everything after the command's name is its own, options included.
        parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments and options")

    def handle(self, *args, **options):
        name = options["command"]
        with recorded_run(name):
            call_command(name, *args)
