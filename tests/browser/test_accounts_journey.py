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
    page.get_by_role("link", name=re.compile("sign up", re.I)).click()
    assert_accessible(page)
    page.get_by_label("Email").fill("new.person@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("learning-from-failure-42")
    page.get_by_label(re.compile("Password \\(again\\)")).fill("learning-from-failure-42")
    page.get_by_role("button", name="Sign Up").click()
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
