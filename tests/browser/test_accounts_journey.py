import re

import pytest

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_is_accessible(page):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_a_person_signs_up_confirms_their_email_and_is_signed_in(page, mailoutbox):
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()
    assert_accessible(page)
    page.get_by_label("Email address").fill("new.person@example.org")
    page.get_by_label("Password", exact=True).fill("learning-from-failure-42")
    page.get_by_label("Confirm password").fill("learning-from-failure-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto("/accounts/" + link.split("/accounts/", 1)[1])
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Sign in").is_visible()
    assert_accessible(page)


def test_account_pages_with_errors_are_accessible_and_the_summary_takes_focus(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: Sign in")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert_accessible(page)
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: Create an account")
    assert_accessible(page)
    page.goto("/accounts/password/reset/")
    assert_accessible(page)


def test_a_person_deletes_their_own_account_with_their_password(page, mailoutbox):
    from django.contrib.auth.models import User

    from tests.people import PASSWORD, make_user

    user = make_user("leaving@example.org", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Your account").click()
    assert_accessible(page)
    page.get_by_role("link", name="Delete your account").click()
    assert_accessible(page)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: Delete your account")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("have been deleted").is_visible()
    assert not User.objects.filter(email="leaving@example.org").exists()
