"""A reader opens /insights/, reads a chart and its table, and follows a bar to its stories."""

import datetime

import pytest
from playwright.sync_api import expect

from confessions.models import Cause, Impact, Sector
from tests.browser.axe import assert_accessible
from tests.confessions.factories import make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_insights_page_is_accessible_and_its_bars_lead_to_the_stories(page):
    for number, causes in enumerate(([Cause.PROCUREMENT, Cause.DATA], [Cause.PROCUREMENT], [])):
        make_story(
            title=f"Story {number}",
            sector=Sector.HEALTH if number else Sector.HOUSING,
            causes=causes,
            impact=Impact.HIGH if number else "",
            me_too_count=number,
            published_month=datetime.date(2026, number + 1, 1),
        )
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
    expect(page.get_by_role("heading", name="Stories by cause")).to_be_visible()
    table = page.get_by_role("table", name="Stories by cause: the numbers")
    expect(table.get_by_role("row", name="Procurement and suppliers 2")).to_be_visible()
    assert_accessible(page)

    # A bar of the drawing leads to the same stories as its row of the table.
    bar = page.locator('#by-cause-title ~ svg a[href="/confessions/?cause=procurement"] rect')
    bar.click()
    expect(page.get_by_text("2 stories found.")).to_be_visible()
    page.go_back()
    table.get_by_role("link", name="Procurement and suppliers").click()
    expect(page.get_by_text("Cause: Procurement and suppliers")).to_be_visible()
    expect(page.get_by_text("2 stories found.")).to_be_visible()
