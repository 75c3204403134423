"""The page that shows a receipt code offers to print it or save it as a file, made in the
browser (nothing is sent)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def send_a_story(page) -> str:
    page.goto("/confessions/new/")
    page.get_by_label("Title").fill("The portal nobody could use")
    page.get_by_label("Sector").select_option(label="Local government")
    for label in ("What happened", "What went wrong and why", "What we learned"):
        page.get_by_label(label, exact=True).fill("Nobody tested it with residents.")
    page.get_by_label(re.compile("^What we would do differently")).fill("Test early.")
    page.get_by_label("I agree to share my story on these terms").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your story has been sent")
    return page.locator("#receipt-code").inner_text()


def test_the_receipt_code_can_be_saved_as_a_file_or_printed(page, settings, tmp_path):
    settings.CONFESSION_MIN_SECONDS = 0
    code = send_a_story(page)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Save the code as a file").click()
    saved = tmp_path / "code.txt"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "receipt-code.txt"
    assert code in saved.read_text()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.printed") is True


def test_the_story_form_counts_the_characters_left_as_people_type(page):
    page.goto("/confessions/new/")
    what_happened = page.get_by_label("What happened")
    count = page.locator("#id_what_happened-count")
    expect(count).to_have_text(re.compile(r"^You have [\d,]+ characters remaining$"))
    before = int(count.inner_text().split()[2].replace(",", ""))
    what_happened.fill("Twelve chars")
    expect(count).to_have_text(f"You have {before - 12:,} characters remaining")
    assert "id_what_happened-count" in what_happened.get_attribute("aria-describedby")
    assert count.get_attribute("aria-live") == "polite"
    assert_accessible(page)
