import pytest
from django.contrib.auth.models import Group, User

from tests.people import give_second_factor

pytestmark = pytest.mark.django_db


def test_staff_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Moderators", "Organisers"}


def test_account_pages_use_the_site_layout(client):
    body = client.get("/accounts/signup/").content.decode()
    assert "Skip to main content" in body
    assert "Share a story" in body
    assert 'name="username"' not in body


def test_signing_up_sends_a_verification_email_and_does_not_sign_in(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "sam@example.org",
            "password1": "a-good-long-pass-93",
            "password2": "a-good-long-pass-93",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam@example.org"]
    assert "_auth_user_id" not in client.session


def test_an_unverified_account_cannot_sign_in(client):
    user = User.objects.create_user("sam", "sam@example.org", "a-good-long-pass-93")
    user.emailaddress_set.create(email="sam@example.org", primary=True, verified=False)
    client.post("/accounts/login/", {"login": "sam@example.org", "password": "a-good-long-pass-93"})
    assert "_auth_user_id" not in client.session


def test_a_verified_account_signs_in_by_email(client):
    user = User.objects.create_user("sam", "sam@example.org", "a-good-long-pass-93")
    user.emailaddress_set.create(email="sam@example.org", primary=True, verified=True)
    response = client.post(
        "/accounts/login/", {"login": "sam@example.org", "password": "a-good-long-pass-93"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_wrong_passwords_are_rate_limited(client):
    user = User.objects.create_user("sam", "sam@example.org", "a-good-long-pass-93")
    user.emailaddress_set.create(email="sam@example.org", primary=True, verified=True)
    bodies = [
        client.post(
            "/accounts/login/", {"login": "sam@example.org", "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in bodies[0]
    assert "Too many failed login attempts" in bodies[-1]
    # Even the right password is refused while the limit holds.
    client.post("/accounts/login/", {"login": "sam@example.org", "password": "a-good-long-pass-93"})
    assert "_auth_user_id" not in client.session


def test_the_admin_login_shares_allauths_rate_limits(client):
    user = User.objects.create_user("sam", "sam@example.org", "a-good-long-pass-93", is_staff=True)
    user.emailaddress_set.create(email="sam@example.org", primary=True, verified=True)
    response = client.get("/admin/login/")
    # secure_admin_login sends people to allauth's login, which is rate limited.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_reach_the_admin_through_their_group(client):
    user = User.objects.create_user("mo", "mo@example.org", "a-good-long-pass-93", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    give_second_factor(user)  # required of them: tests/test_staff_second_factor.py
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_non_staff_cannot_reach_the_admin(client):
    user = User.objects.create_user("at", "at@example.org", "a-good-long-pass-93")
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_staff_sessions_expire_sooner(client, settings):
    user = User.objects.create_user("mo", "mo@example.org", "a-good-long-pass-93", is_staff=True)
    client.force_login(user)
    client.get("/")
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_SECONDS


def test_passwords_are_hashed_with_argon2():
    user = User.objects.create_user("sam", "sam@example.org", "a-good-long-pass-93")
    assert user.password.startswith("argon2$")


def test_weak_passwords_are_refused_at_signup(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "weak@example.org", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="weak@example.org").exists()
