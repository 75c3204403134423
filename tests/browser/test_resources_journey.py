"""A reader browses the resources library, filters it, and suggests one; pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from confessions.models import Cause
from confessions.resources.models import Resource, ResourceStatus
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_filter_and_suggest(page, settings):
    settings.CONFESSION_MIN_SECONDS = 0
    guide = Resource.objects.create(
        title="Buying software well",
        url="https://www.example.org/buying",
        description="Questions to ask suppliers.",
        causes=[Cause.PROCUREMENT],
        status=ResourceStatus.APPROVED,
    )
    guide.tags.add("procurement")
    Resource.objects.create(
        title="Running a retrospective",
        url="https://retro.example.net/",
        description="A template.",
        status=ResourceStatus.APPROVED,
    )

    page.goto("/resources/")
    expect(page.locator("h1")).to_have_text("Resources")
    link = page.get_by_role("link", name="Buying software well")
    expect(link).to_have_attribute("rel", "noopener nofollow ugc")
    expect(page.get_by_text("(example.org)")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Cause").select_option(label="Procurement and suppliers")
    page.get_by_role("button", name="Show resources").click()
    expect(page.get_by_role("link", name="Running a retrospective")).to_have_count(0)
    expect(page.get_by_role("link", name="Buying software well")).to_be_visible()

    page.get_by_role("link", name="Suggest a resource").click()
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.get_by_label("Title").fill("A guide to user research")
    page.get_by_label("Link").fill("https://research.example.org/")
    page.get_by_label("What it is and why it helped").fill("Short and practical.")
    page.get_by_label("Data").check()
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    assert_accessible(page)
    assert Resource.objects.filter(status=ResourceStatus.PENDING).count() == 1
