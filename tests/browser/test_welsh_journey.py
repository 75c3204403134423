"""A Welsh speaker's journeys, in a real browser: every page in Welsh and checked with axe-core,
a story shared in Welsh found by a Welsh word, the receipt checked, a workshop booked with its
email in Welsh, and the switch back to English on the same page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from confessions.models import Confession, Status
from confessions.services import confession_approve
from events.models import Registration
from failshare.models import ContentLanguage
from tests.browser.axe import assert_accessible
from tests.events.conftest import PASSWORD, make_event, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Y dangosfwrdd a oedd bob amser yn wyrdd"


def cy(english: str) -> str:
    """The interface's Welsh for ``english``, from the site's own catalogue."""
    with override("cy"):
        return gettext(english)


def in_welsh(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)


def test_a_welsh_speaker_shares_a_story_finds_it_and_checks_the_receipt(page, settings):
    settings.CONFESSION_MIN_SECONDS = 0
    page.goto("/")
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url("**/cy/")
    in_welsh(page)

    page.get_by_role("link", name=cy("Share a story")).first.click()
    page.wait_for_url("**/cy/confessions/new/")
    in_welsh(page)
    expect(page.get_by_label(cy("Language of your story"))).to_have_value("cy")
    page.get_by_label(cy("Title")).fill(TITLE)
    page.get_by_label(cy("Sector")).select_option(label=cy("Health"))
    page.get_by_label(cy("What happened")).fill(
        "Roedd dangosfwrdd y ganolfan alwadau yn wyrdd drwy'r gaeaf."
    )
    page.get_by_label(cy("What went wrong and why")).fill(
        "Roedd yn mesur a oedd y system ffôn ar gael, nid a oedd galwadau'n cael eu hateb."
    )
    page.get_by_label(cy("What we learned")).fill("Mesurwch brofiad pobl, nid amser gweithredu.")
    page.get_by_label(cy("What we would do differently")).fill(
        "Eistedd gyda'r staff am ddiwrnod cyn dewis mesur."
    )
    page.get_by_label(cy("I agree to share my story on these terms")).check()
    page.get_by_role("button", name=cy("Continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        cy("Check your story before you send it")
    )
    in_welsh(page)

    page.get_by_role("button", name=cy("Send story")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Your story has been sent"))
    code = page.locator("#receipt-code").inner_text()
    in_welsh(page)
    story = Confession.objects.get()
    assert story.language == ContentLanguage.WELSH

    page.goto("/cy/confessions/receipt/")
    in_welsh(page)
    page.get_by_label(cy("Receipt code")).fill(code)
    page.get_by_role("button", name=cy("Check")).click()
    expect(page.locator("#story-status")).to_have_text(cy("Waiting for a moderator"))
    in_welsh(page)

    moderator = make_user("cymedrolwr@example.org", is_staff=True)
    confession_approve(confession=story, moderator=moderator)
    page.goto("/cy/confessions/")
    page.get_by_label(cy("Search the stories")).fill("dangosfwrdd")
    page.get_by_role("button", name=cy("Show stories")).click()
    in_welsh(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "cy")
    in_welsh(page)
    story.refresh_from_db()
    assert story.status == Status.APPROVED

    # The switch keeps the person on the same story, in English.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    assert_accessible(page)


def test_a_welsh_speaker_books_a_workshop_and_gets_the_email_in_welsh(page, mailoutbox):
    event = make_event(
        title="Dysgu o fethiant: Caernarfon",
        starts_at=timezone.now() + timedelta(days=30),
        capacity=5,
        language=ContentLanguage.WELSH,
    )
    person = make_user("cymro@example.org", password=PASSWORD)
    page.goto("/cy/events/")
    in_welsh(page)
    page.get_by_role("link", name=event.title).click()
    in_welsh(page)
    page.get_by_role("link", name=cy("Register for a place")).click()
    page.wait_for_url("**/cy/accounts/login/**")
    in_welsh(page)
    page.get_by_label(cy("Email address")).fill(person.email)
    page.get_by_label(re.compile(rf"^{cy('Password')}:?$")).fill(PASSWORD)
    page.get_by_role("button", name=cy("Sign in")).click()
    page.wait_for_url(f"**/cy/events/{event.slug}/register/")
    in_welsh(page)
    page.get_by_role("button", name=cy("Confirm my place")).click()
    page.wait_for_url(f"**/cy/events/{event.slug}/")
    in_welsh(page)

    registration = Registration.objects.get(user=person)
    assert registration.language == ContentLanguage.WELSH
    (email,) = mailoutbox
    assert cy("Your place at %(event)s") % {"event": event.title} in email.subject
    assert f"/cy/events/{event.slug}/" in email.body

    page.goto("/cy/events/mine/")
    in_welsh(page)
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/events/mine/")
    assert "/cy/" not in page.url
