"""Signing in: allauth's backend, loading with the user the one fact that registering needs.

Registering for an event needs a verified email address, and allauth's check asks the database
on every request. The backend answers it in the same query that loads the signed-in user.
"""

from functools import cache, wraps

from allauth.account import auth_backends
from allauth.account.decorators import (
    verified_email_required as allauth_verified_email_required,
)
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from failshare.rowread import column, read_one, select_with_exists


@cache
def _user_query() -> str:
    user_model = get_user_model()
    sql = select_with_exists(user_model, EmailAddress, "user", related_true="verified")
    return f"{sql} WHERE {column(user_model, user_model._meta.pk.name)} = %s"


class AuthenticationBackend(auth_backends.AuthenticationBackend):
    """allauth's email-and-password backend; its users carry ``has_verified_email``."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = read_one(user_model, _user_query(), [user_id], "has_verified_email")
        return user if user is not None and self.user_can_authenticate(user) else None


def verified_email_required(view):
    """allauth's ``verified_email_required``, without its query when the user is known verified.

    Anyone else (signed out, unverified, or signed in through another backend) goes through
    allauth's own check: sign in first, or verify the address it emails again.
    """
    checked_view = allauth_verified_email_required(view)

    @wraps(view)
    def view_for_verified(request, *args, **kwargs):
        if getattr(request.user, "has_verified_email", False):
            return view(request, *args, **kwargs)
        return checked_view(request, *args, **kwargs)

    return view_for_verified
