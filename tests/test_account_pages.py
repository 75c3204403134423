"""The account pages in the site's style and words, and deleting one's own account."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.urls import reverse

from events.models import Registration
from tests.events.conftest import make_event
from tests.people import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/password/reset/key/1-bad-key/",
]


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_are_in_the_site_layout_without_placeholders_or_colons(client, path):
    response = client.get(path, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skip to main content" in body
    assert body.count("<h1") == 1
    assert "placeholder=" not in body
    assert not re.search(r":\s*</label>", body)
    if "<form" in body and "csrfmiddlewaretoken" in body and 'name="password' in body:
        assert "novalidate" in body


def test_the_sign_in_form_has_a_remember_me_checkbox_and_a_reset_link(client):
    body = client.get("/accounts/login/").content.decode()
    assert re.search(r'<input type="checkbox" name="remember" id="id_remember"', body)
    assert '<label for="id_remember">Remember me' in body
    assert 'href="/accounts/password/reset/"' in body


def test_an_empty_sign_in_shows_an_error_summary_and_the_sites_messages(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in body
    assert 'class="error-summary"' in body and "autofocus" in body
    assert '<a href="#id_login">Enter your email address</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body
    assert 'aria-describedby="id_login_error"' in body
    assert "This field is required" not in body


def test_a_badly_formed_email_address_is_explained(client):
    body = client.post("/accounts/signup/", {"email": "sam"}).content.decode()
    assert "Enter an email address in the correct format, like name@example.org" in body
    assert "Enter a password" in body


def test_sign_up_password_help_is_plain_text_in_a_hint(client):
    body = client.get("/accounts/signup/").content.decode()
    hint = re.search(r'<p class="field-help" id="id_password1_helptext">(.*?)</p>', body, re.S)
    assert hint and "<" not in hint.group(1)
    assert 'aria-describedby="id_password1_helptext"' in body


def test_a_signed_out_person_sent_to_register_is_told_why_and_offered_sign_up(client):
    event = make_event()
    register = reverse("events:register", args=[event.slug])
    response = client.get(register, follow=True)
    body = response.content.decode()
    assert "Sign in to register for a place" in body
    signup = re.search(r'<a href="(/accounts/signup/[^"]*)">create an account</a>', body, re.I)
    assert signup and "next=" in signup.group(1)


def test_the_plain_sign_in_page_gives_no_reason(client):
    assert "Sign in to register" not in client.get("/accounts/login/").content.decode()


def test_allauth_emails_name_the_site_and_no_username(client, mailoutbox, settings):
    settings.SITE_URL = "https://failshare.example"
    user = make_user("sam@example.org")
    client.post("/accounts/password/reset/", {"email": "sam@example.org"})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert body.startswith("Hello from failshare.")
    assert "failshare.example" in body
    assert "testserver" not in body.replace("http://testserver/accounts/", "")
    assert user.username not in body
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    body = mailoutbox[-1].body
    assert body.startswith("Hello from failshare.")
    assert "testserver" not in body.replace("http://testserver/accounts/", "")
    assert " user " not in body


def test_a_verified_address_is_not_offered_a_new_verification(client):
    user = make_user("sam@example.org")
    EmailAddress.objects.create(user=user, email="other@example.org", verified=False)
    client.force_login(user)
    body = client.get("/accounts/email/").content.decode()
    assert body.count('name="action_send"') == 1
    form = re.search(r'value="other@example.org">.*?</form>', body, re.S).group(0)
    assert 'name="action_send"' in form


def test_the_account_page_offers_to_delete_the_account(client):
    client.force_login(make_user())
    body = client.get("/accounts/email/").content.decode()
    assert f'href="{reverse("account_delete")}"' in body


def test_the_delete_page_says_what_is_removed(client):
    client.force_login(make_user())
    body = client.get(reverse("account_delete")).content.decode()
    assert "event registrations" in body
    assert "cannot undo" in body
    assert 'type="password"' in body


def test_deleting_needs_a_signed_in_person(client):
    response = client.get(reverse("account_delete"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_wrong_password_deletes_nothing(client):
    user = make_user(password=PASSWORD)
    client.force_login(user)
    response = client.post(reverse("account_delete"), {"password": "not-it"})
    assert response.status_code == 200
    assert "Error: Delete your account" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_an_empty_password_is_asked_for(client):
    client.force_login(make_user(password=PASSWORD))
    body = client.post(reverse("account_delete"), {"password": ""}).content.decode()
    assert '<a href="#id_password">Enter your password</a>' in body


def test_the_right_password_deletes_the_account_and_its_registrations(client):
    user = make_user(password=PASSWORD)
    event = make_event()
    Registration.objects.create(event=event, user=user, status="confirmed")
    client.force_login(user)
    response = client.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Registration.objects.filter(event=event).exists()
    assert "_auth_user_id" not in client.session
    assert "have been deleted" in response.content.decode()


def test_staff_cannot_delete_their_account_here(client, moderator):
    client.force_login(moderator)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=moderator.pk).exists()


def test_the_delete_page_refuses_other_methods(client):
    client.force_login(make_user())
    assert client.put(reverse("account_delete")).status_code == 405


def test_repeated_wrong_passwords_are_limited(client):
    user = make_user(password=PASSWORD)
    client.force_login(user)
    bodies = [
        client.post(reverse("account_delete"), {"password": "wrong"}).content.decode()
        for _ in range(11)
    ]
    assert "too many times" not in bodies[0]
    assert "too many times" in bodies[-1]
    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert User.objects.filter(pk=user.pk).exists()


def test_sign_up_asks_for_a_name_which_is_optional_and_kept(client):
    body = client.get("/accounts/signup/").content.decode()
    assert '<label for="id_name">Your name (optional)</label>' in body
    assert body.index('id="id_name"') < body.index('id="id_email"')
    client.post(
        "/accounts/signup/",
        {
            "name": " Sam Jones ",
            "email": "sam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.get(email="sam@example.org").get_full_name() == "Sam Jones"
    client.post(
        "/accounts/signup/",
        {"email": "anon@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="anon@example.org").first_name == ""
