"""Making people for tests: accounts with a verified (or unverified) email address."""

import itertools

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
