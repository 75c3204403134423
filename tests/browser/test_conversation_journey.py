"""The conversation around a story, in browsers with marker agents and forwarded addresses: a
moderator asks, the writer answers through the receipt, a rewording waits for the writer's
agreement, a reader's response is moderated and shown, and three clients' reports hide the
story at once. Every page passes axe-core; the database keeps none of the markers."""

import re

import pytest
from playwright.sync_api import expect

from confessions.conversation import ResponseStatus, StoryResponse
from confessions.models import Confession, Status
from tests.browser.axe import assert_accessible
from tests.browser.test_share_story_journey import (
    check_receipt,
    moderator_page,  # noqa: F401 - a fixture
    sign_in_to_admin,
)
from tests.confessions.test_privacy import every_row_as_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "The pilot that was signed off too early"
QUESTION = "Who signed the contract: could a reader tell who it was?"
ANSWER = "A senior manager, one of many: nobody could tell who."
ORIGINAL = "We signed the contract before the pilot had ended."
REWORDED = "The contract was signed before the pilot had ended."
RESPONSE = "We had the same with a booking system. A short second pilot saved us."


def marked(page, number: int):
    """A browser of its own, with a marker agent and a forwarded address."""
    page.set_extra_http_headers(
        {
            "User-Agent": f"ConversationMarkerAgent/{number}.0 (marker-agent-{number})",
            "X-Forwarded-For": f"198.51.100.{200 + number}",
        }
    )
    return page


def share(page) -> str:
    page.goto("/confessions/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Sector").select_option(label="Housing")
    page.get_by_label("What happened").fill(ORIGINAL)
    page.get_by_label("What went wrong and why").fill("Nobody wanted to be the one to wait.")
    page.get_by_label("What we learned").fill("Write down what the pilot must show first.")
    page.get_by_label("What we would do differently").fill("Agree the measures before it starts.")
    page.get_by_label("I agree to share my story on these terms").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send story").click()
    return page.locator("#receipt-code").inner_text()


def test_a_conversation_from_question_to_reports(page, open_page, moderator_page, settings):  # noqa: F811
    settings.CONFESSION_MIN_SECONDS = 0
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    writer = marked(page, 1)
    code = share(writer)
    confession = Confession.objects.get()

    # The moderator asks a question from the admin, checked before it is sent.
    moderator = moderator_page
    sign_in_to_admin(moderator)
    moderator.goto(f"/admin/confessions/confession/{confession.pk}/change/")
    moderator.get_by_role("link", name="Write to the writer").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Write to the writer")
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Check the message").click()
    expect(moderator.locator(".errorlist")).to_contain_text("Enter a message for the writer")
    assert_accessible(moderator)
    moderator.get_by_label("Message to the writer").fill(QUESTION)
    moderator.get_by_role("button", name="Check the message").click()
    expect(moderator.get_by_text("Check the message before you send it")).to_be_visible()
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Send the message").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Sent")

    # The writer reads it on the receipt page and answers, after checking.
    check_receipt(writer, code)
    expect(writer.locator(".conversation")).to_contain_text(QUESTION)
    expect(writer.locator(".conversation")).to_contain_text("Moderator")
    assert_accessible(writer)
    writer.get_by_role("button", name="Check your message").click()
    expect(writer.locator(".error-summary")).to_contain_text("Enter your message")
    assert_accessible(writer)
    writer.get_by_label("Your message").fill(ANSWER)
    writer.get_by_role("button", name="Check your message").click()
    expect(writer.get_by_role("heading", level=1)).to_have_text(
        "Check your message before you send it"
    )
    assert_accessible(writer)
    writer.get_by_role("button", name="Send message").click()
    expect(writer.get_by_text("Your message has been sent to the moderators.")).to_be_visible()
    expect(writer.locator(".conversation__message--writer")).to_contain_text(ANSWER)
    assert_accessible(writer)

    # The queue shows the answer waiting; the moderator rewords a sentence and approves.
    moderator.goto("/admin/confessions/confession/")
    expect(moderator.get_by_text("Answer from the writer waiting")).to_be_visible()
    assert_accessible(moderator)
    moderator.get_by_role("link", name=TITLE).click()
    expect(moderator.locator(".conversation")).to_contain_text(ANSWER)
    moderator.get_by_label("What happened").fill(REWORDED)
    moderator.get_by_role("button", name="Save and approve").click()
    expect(moderator.locator(".messagelist")).to_contain_text("not published until the writer")
    assert_accessible(moderator)

    # Unpublished until the writer agrees on the receipt page.
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    reader = marked(open_page(), 2)
    assert reader.goto(f"/confessions/{confession.slug}/").status == 404
    check_receipt(writer, code)
    expect(writer.locator("#story-status")).to_have_text("Waiting for your agreement")
    changes = writer.locator(".consent__changes")
    expect(changes).to_contain_text(re.compile(r"\[removed: We\s*\]"))
    expect(changes).to_contain_text(re.compile(r"\[added: The contract was\s*\]"))
    expect(changes.locator("del").first).to_have_css("text-decoration-line", "line-through")
    assert_accessible(writer)
    writer.get_by_role("button", name="Publish this version").click()
    expect(writer.get_by_text("your story is published in the version")).to_be_visible()
    assert_accessible(writer)
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    reader.goto(confession.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_text(REWORDED)).to_be_visible()
    assert_accessible(reader)

    # A reader responds from the form under the story, through the check page.
    reader.get_by_role("button", name="Continue").click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Respond to")
    expect(reader.locator(".error-summary")).to_contain_text("Enter your response")
    assert_accessible(reader)
    reader.get_by_role("button", name="Continue").click()
    expect(reader.locator(".error-summary")).to_contain_text("Enter your response")
    assert_accessible(reader)
    reader.get_by_label("Your response", exact=True).fill(RESPONSE)
    reader.get_by_role("button", name="Continue").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Check your response before you send it"
    )
    assert_accessible(reader)
    reader.get_by_role("button", name="Send response").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your response has been sent"
    )
    assert_accessible(reader)

    # The moderator approves it in the responses queue; it shows under the story.
    moderator.goto("/admin/confessions/storyresponse/")
    assert_accessible(moderator)
    moderator.get_by_role("link", name=re.compile("We had the same")).click()
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("Change response")
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Save and approve").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Response published")
    assert StoryResponse.objects.get().status == ResponseStatus.APPROVED
    reader.goto(confession.get_absolute_url())
    expect(reader.locator(".responses")).to_contain_text(RESPONSE)
    assert_accessible(reader)

    # Three different clients report it: it leaves the public page at once.
    for number in (3, 4, 5):
        reporter = marked(open_page(), number)
        reporter.goto(confession.get_absolute_url())
        reporter.get_by_role("link", name="Report this story").click()
        expect(reporter.get_by_role("heading", level=1)).to_contain_text("Report the story")
        assert_accessible(reporter)
        reporter.get_by_role("button", name="Send report").click()
        expect(reporter.locator(".error-summary")).to_contain_text("Choose why")
        assert_accessible(reporter)
        reporter.get_by_label("It could identify a person or an organisation").check()
        reporter.get_by_role("button", name="Send report").click()
        expect(reporter.get_by_role("heading", level=1)).to_have_text("Thank you for your report")
        assert_accessible(reporter)
    assert reader.goto(confession.get_absolute_url()).status == 404
    moderator.goto("/admin/confessions/confession/?attention=reported")
    expect(moderator.get_by_text("Reported (3)")).to_be_visible()

    dump = every_row_as_text()
    assert ANSWER in dump and RESPONSE in dump
    for marker in ("marker-agent", "ConversationMarkerAgent", "198.51.100.20"):
        assert marker not in dump
