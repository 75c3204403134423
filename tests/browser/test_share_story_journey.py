import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import expect

from confessions.models import Confession, Status
from tests.browser.axe import assert_accessible
from tests.browser.staff import enter_authenticator_code
from tests.confessions.stories import make_confession
from tests.people import give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "The dashboard that was always green"
EMAIL_IN_STORY = "jo.bloggs@example.org"


def restore_staff_groups() -> None:
    """Make the staff groups again with the data migrations' own code: the flush after each
    transactional test empties every table, these groups too."""
    executor = MigrationExecutor(connection)
    for key in [("failshare", "0001_staff_groups"), ("confessions", "0002_moderator_permissions")]:
        state = executor.loader.project_state(key, at_end=True)
        for operation in executor.loader.get_migration(*key).operations:
            operation.code(state.apps, None)


@pytest.fixture
def moderator_page(open_page):
    restore_staff_groups()
    user = User.objects.create_user(
        "moderator", "moderator@example.org", "moderating-is-hard-42", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = open_page()
    page.totp_secret = give_second_factor(user)
    return page


def write_story(page):
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Sector").select_option(label="Health")
    page.get_by_label("What happened").fill(
        f"Our call-centre dashboard showed green all winter. Ask {EMAIL_IN_STORY} for the data."
    )
    page.get_by_label("What went wrong and why").fill(
        "It measured whether the phone system was up, not whether calls were answered."
    )
    page.get_by_label("What we learned").fill("Measure what people experience, not uptime.")
    page.get_by_label("What we would do differently").fill(
        "Sit with the call handlers for a day before choosing a measure."
    )
    page.get_by_label("Topics (optional)").fill("measurement, dashboards")
    page.get_by_label("I agree to share my story on these terms").check()


def test_a_story_is_shared_checked_moderated_and_published(page, moderator_page, settings):
    settings.CONFESSION_MIN_SECONDS = 0

    # The writer opens the form from the home page.
    page.goto("/")
    page.get_by_role("link", name="Share a story").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share a story")
    assert_accessible(page)

    # A missing answer is explained at the top and beside the field; nothing is lost.
    write_story(page)
    page.get_by_label("What we learned").fill("")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Enter what you learned")
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    assert_accessible(page)
    page.get_by_label("What we learned").fill("Measure what people experience, not uptime.")
    page.get_by_role("button", name="Continue").click()

    # The preview quotes the email address as a detail that could identify someone.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your story before you send it")
    flagged = page.locator(".identifying")
    expect(flagged).to_contain_text(EMAIL_IN_STORY)
    expect(flagged).to_contain_text("email address")
    assert_accessible(page)

    # The writer goes back, takes it out, and checks again.
    page.get_by_role("button", name="Change your story").click()
    what_happened = page.get_by_label("What happened")
    expect(what_happened).to_have_value(re.compile(re.escape(EMAIL_IN_STORY)))
    assert_accessible(page)
    what_happened.fill("Our call-centre dashboard showed green all winter.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".identifying")).to_have_count(0)
    nothing_found = page.get_by_text("We found no names, places, job titles, email addresses")
    expect(nothing_found).to_be_visible()
    assert_accessible(page)

    # Sent: the receipt code is shown once.
    page.get_by_role("button", name="Send story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your story has been sent")
    code = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", code)
    assert_accessible(page)

    # It is not public yet.
    confession = Confession.objects.get()
    assert confession.status == Status.PENDING
    response = page.goto(f"/confessions/{confession.slug}/")
    assert response.status == 404
    assert_accessible(page)

    # The receipt says it is waiting.
    check_receipt(page, code.lower().replace("-", " "))
    expect(page.locator("#story-status")).to_have_text("Waiting for a moderator")
    assert_accessible(page)

    # A moderator signs in, finds it in the queue and approves it.
    moderator = moderator_page
    sign_in_to_admin(moderator)
    expect(moderator.locator("#moderation-queue")).to_contain_text(
        "1 story waiting for a moderator"
    )
    assert_accessible(moderator)
    moderator.get_by_role("link", name="1 story waiting for a moderator").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Select confession to change")
    assert_accessible(moderator)
    moderator.get_by_role("link", name=TITLE).click()
    expect(moderator.get_by_label("What happened")).to_have_value(
        "Our call-centre dashboard showed green all winter."
    )
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Save and approve").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Done for 1 story")
    assert_accessible(moderator)

    # Now it is in the list, and found by a word of its text.
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    page.goto("/confessions/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search the stories").fill("uptime")
    page.get_by_role("button", name="Show stories").click()
    expect(page.get_by_text("1 story found.")).to_be_visible()
    assert_accessible(page)

    # A reader says it happened to them too: counted once for this browser.
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.url.endswith(f"/confessions/{confession.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="This happened to us too").click()
    expect(page.get_by_text("You said this happened to you too.")).to_be_visible()
    expect(page.get_by_text("1 reader said")).to_be_visible()
    assert_accessible(page)
    page.reload()
    expect(page.get_by_text("1 reader said")).to_be_visible()
    expect(page.get_by_role("button", name="This happened to us too")).to_have_count(0)
    confession.refresh_from_db()
    assert confession.me_too_count == 1

    # The receipt says it is published.

    check_receipt(page, code)
    expect(page.locator("#story-status")).to_have_text("Published")
    assert_accessible(page)
    # The writer's pages logged no error but the 404 we asked for (and the favicon's): in
    # particular no Content Security Policy violation.
    assert [error for error in page.console_errors if "404" not in error] == []


def test_a_rejected_story_shows_the_reason_and_is_withdrawn(page, moderator_page):
    confession, code = make_confession(title="Names the council", what_happened="Sarah Jones.")

    moderator = moderator_page
    sign_in_to_admin(moderator)
    moderator.goto("/admin/confessions/confession/")
    moderator.get_by_role("checkbox", name="Select this object for an action").first.check()
    moderator.get_by_label("Action:").select_option(
        label="Reject the selected stories (asks for a reason)"
    )
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Reject stories")
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Reject 1 story").click()
    expect(moderator.locator(".errorlist")).to_contain_text("Give a reason for the writer")
    assert_accessible(moderator)
    moderator.get_by_label("Reason").fill("It names a colleague. Please share it again without.")
    moderator.get_by_role("button", name="Reject 1 story").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Done for 1 story")

    check_receipt(page, code)
    expect(page.locator("#story-status")).to_have_text("Not published")
    expect(page.locator(".inset")).to_contain_text("It names a colleague.")
    assert_accessible(page)

    page.get_by_role("button", name="Withdraw my story").click()
    expect(page.locator(".error-summary")).to_contain_text("Tick the box to confirm")
    assert_accessible(page)
    page.get_by_label("I understand that withdrawing removes the text").check()
    page.get_by_role("button", name="Withdraw my story").click()
    expect(page.locator("#story-status")).to_have_text("Withdrawn")
    expect(page.get_by_role("status")).to_contain_text("withdrawn and its text removed")
    assert_accessible(page)
    confession.refresh_from_db()
    assert confession.status == Status.WITHDRAWN
    assert "Sarah" not in confession.what_happened


def test_what_was_typed_is_kept_in_the_browser_until_the_story_is_sent(page, settings):
    settings.CONFESSION_MIN_SECONDS = 0
    page.goto("/confessions/new/")
    write_story(page)
    page.wait_for_timeout(500)  # the draft is saved a moment after typing stops

    # The page is opened again (a failed post, a crash): the draft is offered back.
    page.goto("/confessions/new/")
    expect(page.get_by_label("Title")).to_have_value("")
    page.get_by_role("button", name="Restore my draft").click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("What happened")).to_have_value(re.compile(re.escape(EMAIL_IN_STORY)))
    expect(page.get_by_label("Sector")).to_have_value("health")
    expect(page.get_by_label("I agree to share my story on these terms")).to_be_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send story").click()
    expect(page.locator("#receipt-code")).to_be_visible()

    # Once received, the draft is gone.
    page.goto("/confessions/new/")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_role("button", name="Restore my draft")).to_have_count(0)


def sign_in_to_admin(moderator) -> None:
    moderator.goto("/admin/")
    moderator.get_by_label("Email").fill("moderator@example.org")
    moderator.get_by_label("Password").fill("moderating-is-hard-42")
    moderator.get_by_role("button", name="Sign In").click()
    enter_authenticator_code(moderator, moderator.totp_secret)
    expect(moderator.locator("#moderation-queue")).to_be_visible()


def check_receipt(page, code: str) -> None:
    page.goto("/confessions/receipt/")
    assert_accessible(page)
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
