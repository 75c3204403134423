"""A developer finds the open data page, reads the licence and opens the API's documentation,
a page made from the OpenAPI schema (no script; the ``page`` fixture fails on any CSP
violation)."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.confessions.factories import make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_open_data_page_and_the_api_docs(page):
    make_story(title="A supplier that vanished")
    page.goto("/api/")
    expect(page.locator("h1")).to_have_text("Open data")
    expect(page.get_by_text("Creative Commons Attribution 4.0")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="browsable documentation").click()
    expect(page.get_by_role("heading", name="GET /api/stories/", exact=True)).to_be_visible()
    expect(
        page.get_by_role("table", name="Parameters of GET /api/stories/", exact=True)
    ).to_contain_text("published_from")
    expect(page.get_by_text("Creative Commons Attribution 4.0").first).to_be_visible()
    assert_accessible(page)
