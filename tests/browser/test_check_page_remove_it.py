""" "Remove it" on the check page, in a browser with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.conftest import assert_no_csp_violation, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch_console(page)
    yield page
    context.close()
    assert_no_csp_violation(page)


def test_remove_it_takes_a_detail_out_without_javascript(page_without_javascript, settings):
    settings.CONFESSION_MIN_SECONDS = 0
    page = page_without_javascript
    page.goto("/confessions/new/")
    page.get_by_label("Title").fill("The rota nobody could read")
    page.get_by_label("Sector").select_option(label="Health")
    page.get_by_label("What happened").fill(
        "Jenny on reception told us the new rota app showed the wrong shifts."
    )
    page.get_by_label("What went wrong and why").fill("Nobody asked the night staff.")
    page.get_by_label("What we learned").fill("Ask the people who work nights.")
    page.get_by_label("What we would do differently").fill("Pilot it on one ward first.")
    page.get_by_label("I agree to share my story on these terms").check()
    page.get_by_role("button", name="Continue").click()

    # The name is marked in the quoted story, with its kind, and listed with two choices.
    expect(page.locator("dd mark")).to_have_text("Jenny (name of a person)")
    assert_accessible(page)
    remove = page.get_by_role("button", name=re.compile(r"^Remove it\W+Jenny\W+in What happened$"))
    remove.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your story before you send it")
    expect(page.get_by_role("status")).to_contain_text("[removed]")
    expect(page.locator("dd", has_text="on reception")).to_have_text(
        "[removed] on reception told us the new rota app showed the wrong shifts."
    )
    expect(page.locator(".identifying")).to_have_count(0)
    assert_accessible(page)

    # Everything else typed is still there when the writer goes back to the form.
    page.get_by_role("button", name="Change your story").click()
    expect(page.get_by_label("Title")).to_have_value("The rota nobody could read")
    expect(page.get_by_label("What happened")).to_have_value(
        "[removed] on reception told us the new rota app showed the wrong shifts."
    )
    expect(page.get_by_label("What we learned")).to_have_value("Ask the people who work nights.")


def test_change_takes_the_writer_back_to_that_section_without_javascript(
    page_without_javascript, settings
):
    settings.CONFESSION_MIN_SECONDS = 0
    page = page_without_javascript
    page.set_viewport_size({"width": 1024, "height": 600})
    page.goto("/confessions/new/")
    page.get_by_label("Title").fill("The rota nobody could read")
    page.get_by_label("Sector").select_option(label="Health")
    page.get_by_label("What happened").fill("Jenny on reception told us the rota was wrong.")
    page.get_by_label("What went wrong and why").fill("Nobody asked the night staff.")
    page.get_by_label("What we learned").fill("Ask the people who work nights.")
    page.get_by_label("What we would do differently").fill("Pilot it on one ward first.")
    page.get_by_label("I agree to share my story on these terms").check()
    page.get_by_role("button", name="Continue").click()

    # The flagged detail is marked, and named for those who do not see the mark.
    mark = page.locator("dd mark")
    expect(mark).to_have_text("Jenny (name of a person)")
    marked = page.locator("dd", has=page.locator("mark"))
    expect(marked).to_contain_text("possible identifying detail: Jenny")
    assert mark.evaluate("m => getComputedStyle(m).borderBottomStyle") == "solid"
    assert_accessible(page)

    page.get_by_role("button", name="Change what we learned", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share a story")
    learned = page.get_by_label("What we learned")
    expect(learned).to_be_focused()
    expect(learned).to_have_value("Ask the people who work nights.")
    expect(page.get_by_label("Title")).to_have_value("The rota nobody could read")
    expect(page.get_by_label("I agree to share my story on these terms")).to_be_checked()
    expect(page.locator("label[for=id_what_we_learned]")).to_be_in_viewport()
    assert "?" not in page.url
