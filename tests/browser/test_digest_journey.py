"""A reader subscribes to a digest by email, confirms it, manages it and stops it, without an
account; every page passes axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_confirm_manage_and_stop(page):
    page.goto("/")
    page.get_by_role("link", name="New stories by email").click()
    expect(page.locator("h1")).to_have_text("Get new stories by email")
    assert_accessible(page)

    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("Sector").select_option(label="Health")
    page.get_by_label("Monthly").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)

    link = re.search(r"https?://\S+/subscriptions/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/subscriptions/" + link.split("/subscriptions/", 1)[1])
    expect(page.locator("h1")).to_have_text("Confirm your digest")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator("h1")).to_have_text("Your digest")
    expect(page.get_by_text("Confirmed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stop this digest").click()
    expect(page.locator("h1")).to_have_text("Digest stopped")
    assert_accessible(page)
