import getpass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Make a superuser whose email address is already confirmed, so they can sign in to the "
        "admin at once (they set up a second factor on their first visit). Asks on the terminal "
        "for what is not given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", help="the superuser's email address, their login")
        parser.add_argument("--password", help="their password (asked for, hidden, when not given)")

    def handle(self, *args, email: str | None, password: str | None, **options):
        email = (email or input("Email address: ")).strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if EmailAddress.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account with {email} exists already.")
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords are not the same.")
        User = get_user_model()
        user = User(username=email.split("@")[0][:100] + "-admin", email=email)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            if User.objects.filter(username=user.username).exists():
                user.username = f"{user.username}-{User.objects.count()}"
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        self.stdout.write(f"Superuser {email} made: sign in to the admin with it.")
