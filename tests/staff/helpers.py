"""Signing staff in as a browser does: password first, then the authenticator app's code."""

from django.urls import reverse

from tests.people import authenticator_code

PASSWORD = "a-long-password-42"  # the staff personas' (tests/conftest.py)


def sign_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def enter_code(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def current_code(secret: str) -> str:
    return authenticator_code(secret)


def is_signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)
