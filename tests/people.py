"""Making people for tests: accounts with a verified (or unverified) email address."""

import itertools
import time

import pyotp
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User

PASSWORD = "learning-from-failure-42"
_numbers = itertools.count(1)


def make_user(
    email: str | None = None, *, verified: bool = True, password: str | None = None, **extra
) -> User:
    """Without a password unless asked: hashing one takes a noticeable time."""
    number = next(_numbers)
    email = email or f"person{number}@example.org"
    user = User.objects.create_user(f"user{number}", email, password, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def give_second_factor(user: User) -> str:
    """Set up an authenticator app for ``user``, as allauth's own page does; answers its
    secret, from which ``authenticator_code(secret)`` gives a current code."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_with_second_factor(client, user: User) -> None:
    """Sign ``client`` in as ``user`` the way allauth leaves a session after a second factor
    was accepted: signed in, with an "mfa" authentication record."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    client.force_login(user)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


def restore_staff_groups() -> None:
    """Make the staff groups and their permissions again with the data migrations' own code:
    the flush after each transactional test empties every table, these groups too."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    for key in [
        ("failshare", "0001_staff_groups"),
        ("confessions", "0002_moderator_permissions"),
        ("events", "0002_organiser_permissions"),
        ("failshare", "0005_staff_see_background_tasks"),
        ("events", "0009_season_permissions"),
    ]:
        state = executor.loader.project_state(key, at_end=True)
        for operation in executor.loader.get_migration(*key).operations:
            operation.code(state.apps, None)


def authenticator_code(secret: str, *, seconds_left: float = 10.0) -> str:
    """The authenticator app's current code for ``secret``, with at least ``seconds_left`` of
    its 30-second step still to run. The site accepts a code in its own step only, so a code
    read just before the step ends could be refused by the clock, not by the site's rules."""
    totp = pyotp.TOTP(secret)
    left = totp.interval - time.time() % totp.interval
    if left < seconds_left:
        time.sleep(left + 0.05)
    return totp.now()
