from django.conf import settings
from django.core.management.base import BaseCommand

from failshare.periodic import records_run
from failshare.staff import staff_audit_prune


class Command(BaseCommand):
    help = "Delete staff audit entries older than STAFF_AUDIT_DAYS (run daily from cron)."

    @records_run
    def handle(self, *args, **options):
        deleted = staff_audit_prune(days=settings.STAFF_AUDIT_DAYS)
        self.stdout.write(
            f"{deleted} staff audit entries older than {settings.STAFF_AUDIT_DAYS} days deleted"
        )
