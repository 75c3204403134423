from django.core.management.base import BaseCommand

from failshare import demo


class Command(BaseCommand):
    help = "Fill the site with believable demo content. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--confessions",
            type=int,
            default=0,
            help="also create this many bulk approved stories (for benchmarks)",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed for bulk content")

    def handle(self, *args, **options):
        for line in demo.seed(bulk_confessions=options["confessions"], seed=options["seed"]):
            self.stdout.write(line)
