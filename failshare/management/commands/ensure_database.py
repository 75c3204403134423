import sys

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

# How PostgreSQL says it is there but will not let this user in (libpq's messages), as opposed
# to a server that is down or not listening.
REFUSED_LOGIN = (
    "password authentication failed",
    "no password supplied",
    "no pg_hba.conf entry",
    "authentication failed",
)


def refused_login(error: Exception) -> bool:
    text = str(error)
    return any(sign in text for sign in REFUSED_LOGIN) or (
        "role" in text and "does not exist" in text
    )


def reason(error: Exception) -> str:
    return str(error).strip().splitlines()[-1].split("FATAL:", 1)[-1].strip()


class Command(BaseCommand):
    help = "Create the configured database if it is missing; say so plainly if no server answers."

    def handle(self, *args, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        name = connection.settings_dict["NAME"]
        try:
            connection.ensure_connection()
            return
        except OperationalError as error:
            if refused_login(error):
                self.refused(connection, error)
            if "does not exist" not in str(error):
                self.unreachable(connection)
        connection.close()
        try:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        except OperationalError as error:
            if refused_login(error):
                self.refused(connection, error)
            self.unreachable(connection)
        self.stdout.write(f"Created database {name}.")

    def refused(self, connection, error):
        db = connection.settings_dict
        where = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        sys.stderr.write(
            f"PostgreSQL at {where} answers but refused the login of user "
            f"{db['USER'] or '(none)'}: check the user and password in DATABASE_URL, and that "
            f"the server lets that user in ({reason(error)}).\n"
        )
        sys.exit(1)

    def unreachable(self, connection):
        db = connection.settings_dict
        where = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        sys.stderr.write(
            f"PostgreSQL is not answering at {where}: start it, or leave DATABASE_URL unset "
            "for the one at 127.0.0.1:5432 or else an embedded one.\n"
        )
        sys.exit(1)
