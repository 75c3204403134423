"""The privacy page, reached from any page, and the story draft it describes ("While you
write"): nothing is sent while typing, and "Discard the draft" removes it."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT_KEY = "failshare:draft:story"


def test_the_draft_is_never_sent_while_typing_and_discarding_removes_it(page, live_server):
    # Once the page and what it loads by itself (the favicon) have arrived.
    page.goto("/confessions/new/", wait_until="networkidle")
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    page.get_by_label("Title").fill("The rota that forgot Fridays")
    page.get_by_label("What happened").fill("Shift swaps vanished by Monday.")
    page.get_by_label("Sector").select_option(label="Social care")
    # The draft is saved a moment after typing stops.
    page.wait_for_function(
        "([key, text]) => (localStorage.getItem(key) || '').includes(text)",
        arg=[DRAFT_KEY, "forgot Fridays"],
        timeout=10_000,
    )
    assert sent == []

    page.reload()
    page.get_by_role("button", name="Discard the draft").click()
    expect(page.get_by_role("button", name="Restore my draft")).to_have_count(0)
    assert page.evaluate(f"localStorage.getItem('{DRAFT_KEY}')") is None
    assert_accessible(page)

    page.reload()
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_role("button", name="Restore my draft")).to_have_count(0)


def test_the_privacy_page_is_linked_from_every_page(page):
    page.goto("/confessions/new/")
    page.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    expect(page.get_by_role("heading", name="While you write")).to_be_visible()
    assert_accessible(page)
