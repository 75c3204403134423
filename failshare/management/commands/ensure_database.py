import sys

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections


class Command(BaseCommand):
    help = "Create the configured database if it is missing; say so plainly if no server answers."

    def handle(self, *args, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        name = connection.settings_dict["NAME"]
        try:
            connection.ensure_connection()
            return
        except OperationalError as error:
            if "does not exist" not in str(error):
                self.unreachable(connection)
        connection.close()
        try:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        except OperationalError:
            self.unreachable(connection)
        self.stdout.write(f"Created database {name}.")

    def unreachable(self, connection):
        db = connection.settings_dict
        where = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        sys.stderr.write(
            f"PostgreSQL is not answering at {where}: start it, or leave DATABASE_URL unset "
            "for the one at 127.0.0.1:5432 or else an embedded one.\n"
        )
        sys.exit(1)
