"""allauth's pages, errors and emails in Welsh: signing up, confirming and signing in from /cy/."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-good-long-pass-93"


def test_signing_up_in_welsh_sends_the_confirmation_in_welsh(client, mailoutbox):
    response = client.post(
        "/cy/accounts/signup/",
        {"email": "sam@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response["Location"] == "/cy/accounts/confirm-email/"
    (email,) = mailoutbox
    assert "Cadarnhewch eich cyfeiriad e-bost" in email.subject
    link = re.search(r"https?://\S+/cy/accounts/confirm-email/\S+/", email.body).group(0)
    page = client.get("/" + link.split("/", 3)[3]).content.decode()
    assert '<html lang="cy"' in page


def test_a_wrong_password_is_told_in_welsh(client):
    user = User.objects.create_user("sam", "sam@example.org", PASSWORD)
    user.emailaddress_set.create(email="sam@example.org", primary=True, verified=True)
    body = client.post(
        "/cy/accounts/login/", {"login": "sam@example.org", "password": "not-the-password"}
    ).content.decode()
    assert "not correct" not in body and "Gwall:" in body
    response = client.post(
        "/cy/accounts/login/", {"login": "sam@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/cy/"  # home, in the language signed in from
    assert client.post("/cy/accounts/logout/")["Location"] == "/cy/"


def test_a_weak_password_is_refused_in_welsh(client):
    body = client.post(
        "/cy/accounts/signup/",
        {"email": "sam@example.org", "password1": "12345678", "password2": "12345678"},
    ).content.decode()
    assert "entirely numeric" not in body and "commonly used" not in body
    assert "Mae&#x27;r cyfrinair hwn yn rhifau i gyd." in body
    assert not User.objects.exists()
