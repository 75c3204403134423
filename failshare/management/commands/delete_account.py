from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from failshare.services import AccountInUse, account_delete


class Command(BaseCommand):
    help = (
        "Delete a person's account on their request, with everything linked to it: email "
        "addresses, registrations and answers, sessions. Places they held go to the next people "
        "waiting."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the account's email address")

    def handle(self, *args, email: str, **options):
        users = get_user_model().objects.filter(emailaddress__email__iexact=email).distinct()
        users = list(users) or list(get_user_model().objects.filter(email__iexact=email))
        if len(users) != 1:
            raise CommandError(f"No single account has the email address {email}.")
        try:
            account_delete(user=users[0])
        except AccountInUse as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Deleted the account of {email} and everything linked to it.")
