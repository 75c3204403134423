"""A writer drafting a story about a procurement failure sees published stories like it on the
check page, reads one, and comes back to find everything they typed still there."""

import pytest
from playwright.sync_api import expect

from confessions.models import Cause
from tests.browser.axe import assert_accessible
from tests.confessions.factories import make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "The supplier's system did not do what the contract said"


def test_similar_stories_are_shown_and_reading_one_loses_nothing(page, settings):
    settings.CONFESSION_MIN_SECONDS = 0
    like = make_story(
        title="A supplier contract that paid for delivery, not for working software",
        what_went_wrong="The procurement specification left out what caseworkers needed.",
        causes=[Cause.PROCUREMENT],
    )
    make_story(
        title="Our hashtag joke fell flat",
        what_happened="A campaign post was read the wrong way.",
        what_went_wrong="Nobody outside the comms office saw it first.",
        what_we_learned="Ask a few residents before posting.",
        what_we_would_do_differently="Show posts to people outside the team.",
    )

    page.goto("/confessions/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Sector").select_option(label="Health")
    page.get_by_label("What happened").fill("We bought a case system after a long procurement.")
    page.get_by_label("What went wrong and why").fill("The supplier contract paid on delivery.")
    page.get_by_label("What we learned").fill("Write the contract around outcomes.")
    page.get_by_label("What we would do differently").fill("Put caseworkers on the panel.")
    page.get_by_label("Procurement and suppliers").check()
    page.get_by_label("I agree to share my story on these terms").check()
    page.wait_for_timeout(500)  # the draft is saved a moment after typing stops
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Has this happened before?")).to_be_visible()
    link = page.get_by_role("link", name=f"{like.title} (opens in new tab)")
    expect(link).to_be_visible()
    expect(
        page.get_by_role("link", name="Our hashtag joke fell flat (opens in new tab)")
    ).to_have_count(0)
    assert_accessible(page)

    # Reading the story opens it beside the check page, which stays as it was.
    with page.context.expect_page() as opened:
        link.click()
    story = opened.value
    expect(story.get_by_role("heading", level=1)).to_have_text(like.title)
    story.close()
    expect(page.get_by_role("heading", name="Check your story before you send it")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_be_visible()

    # Changing the story brings back every field as typed, the cause too.
    page.get_by_role("button", name="Change your story").click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("What went wrong and why")).to_have_value(
        "The supplier contract paid on delivery."
    )
    expect(page.get_by_label("Procurement and suppliers")).to_be_checked()
    assert_accessible(page)

    # And the browser's saved draft is still there.
    page.goto("/confessions/new/")
    page.get_by_role("button", name="Restore my draft").click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("Procurement and suppliers")).to_be_checked()
