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
from django.db import connection, models
from django.db.models.expressions import RawSQL


@cache
def _has_verified_email() -> RawSQL:
    # Written out: building Exists(EmailAddress.objects.filter(...)) on every request costs
    # about as much as the separate query it replaces.
    email, user = EmailAddress._meta, get_user_model()._meta
    quote = connection.ops.quote_name
    addresses = quote(email.db_table)
    # Only table and column names from the models, quoted: nothing from a request.
    condition = (
        f"EXISTS (SELECT 1 FROM {addresses} WHERE "  # noqa: S608
        f"{addresses}.{quote(email.get_field('user').column)} = "
        f"{quote(user.db_table)}.{quote(user.pk.column)} "
        f"AND {addresses}.{quote(email.get_field('verified').column)})"
    )
    return RawSQL(condition, (), output_field=models.BooleanField())  # noqa: S611


class AuthenticationBackend(auth_backends.AuthenticationBackend):
    """allauth's email-and-password backend; its users carry ``has_verified_email``."""

    def get_user(self, user_id):
        user_model = get_user_model()
        users = user_model._default_manager.annotate(has_verified_email=_has_verified_email())
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


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
