"""A moderator adds a security key (WebAuthn, allauth.mfa's own pages) and signs in with it the
next time. The key is Chromium's virtual authenticator, driven through the DevTools protocol's
WebAuthn domain, so the test runs headless; every page passes axe-core with no CSP violation."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from failshare.models import StaffAction, StaffAuditEntry
from tests.browser.axe import assert_accessible
from tests.browser.test_share_story_journey import restore_staff_groups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "key.moderator@example.org", "keys-are-safer-42"


def add_virtual_security_key(page) -> None:
    """A USB security key that answers at once, with user verification (a PIN) done."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def sign_in(page) -> None:
    page.goto("/admin/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_moderator_adds_a_security_key_and_signs_in_with_it(page):
    restore_staff_groups()
    user = User.objects.create_user("keymod", EMAIL, PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    add_virtual_security_key(page)

    sign_in(page)
    # No second factor yet: the admin sends them to set one up; they choose a key instead.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/.*2fa"))
    page.goto("/accounts/2fa/webauthn/add/")
    # The password again first, as for every change to a second factor.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add Security Key")
    assert_accessible(page)
    page.get_by_label("Name").fill("Office key")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Add Security Key")
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Office key"
    assert StaffAuditEntry.objects.filter(actor=user, action=StaffAction.MFA_ADDED).exists()

    # Next time: password, then the key, and the admin opens.
    page.context.clear_cookies()
    sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    assert_accessible(page)
    page.get_by_role("button", name="Use a security key").click()
    expect(page.locator("#moderation-queue")).to_be_visible()
    assert StaffAuditEntry.objects.filter(actor=user, action=StaffAction.SIGN_IN).exists()
