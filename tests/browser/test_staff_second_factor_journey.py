"""A new moderator sets an authenticator app up on the admin's demand, in a browser with
JavaScript off, and signs in with it the next time: every page in the site's layout, passing
axe-core, with no CSP violation."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.staff import enter_authenticator_code
from tests.browser.test_share_story_journey import restore_staff_groups
from tests.conftest import assert_no_csp_violation, watch_console
from tests.people import authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "new.moderator@example.org", "moderating-is-hard-42"


@pytest.fixture
def no_script_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch_console(page)
    yield page
    context.close()
    assert_no_csp_violation(page)


def sign_in(page) -> None:
    page.goto("/admin/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_moderator_sets_up_an_authenticator_app_without_javascript(no_script_page):
    page = no_script_page
    restore_staff_groups()
    user = User.objects.create_user("newmod", EMAIL, PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)

    sign_in(page)
    # The admin does not open: first the password again, then the app's set-up page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Activate").click()

    # The recovery codes, shown this once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    assert_accessible(page)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    page.goto("/admin/")
    expect(page.locator("#moderation-queue")).to_be_visible()

    # Next time: password, then a code.
    page.context.clear_cookies()
    sign_in(page)
    enter_authenticator_code(page, secret)
    expect(page.locator("#moderation-queue")).to_be_visible()
