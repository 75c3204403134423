"""Staff in the browser: the authenticator app's step after the password."""

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.people import authenticator_code


def enter_authenticator_code(page, secret: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    assert_accessible(page)
    page.get_by_label("Code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Sign In").click()
