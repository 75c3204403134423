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
from django.db import connections


@cache
def _user_query() -> tuple[str, list[str]]:
    """The user's columns and whether they have a verified address, by id; and the field names.

    Written out because it runs on every signed-in request: building the same query with the
    ORM (an ``Exists`` annotation and a ``get``) costs several times what running it does."""
    user, email = get_user_model()._meta, EmailAddress._meta
    quote = connections[get_user_model()._default_manager.db].ops.quote_name
    users, addresses = quote(user.db_table), quote(email.db_table)
    columns = ", ".join(f"{users}.{quote(field.column)}" for field in user.concrete_fields)
    # Only table and column names from the models, quoted: nothing from a request.
    sql = (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {addresses} WHERE "  # noqa: S608
        f"{addresses}.{quote(email.get_field('user').column)} = {users}.{quote(user.pk.column)} "
        f"AND {addresses}.{quote(email.get_field('verified').column)}) "
        f"FROM {users} WHERE {users}.{quote(user.pk.column)} = %s"
    )
    return sql, [field.attname for field in user.concrete_fields]


class AuthenticationBackend(auth_backends.AuthenticationBackend):
    """allauth's email-and-password backend; its users carry ``has_verified_email``."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql, field_names = _user_query()
        database = user_model._default_manager.db
        with connections[database].cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = user_model.from_db(database, field_names, row[:-1])
        user.has_verified_email = row[-1]
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
