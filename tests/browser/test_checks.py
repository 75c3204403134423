"""The browser checks themselves: axe-core sees the page as it stands, and running it leaves the
site's real Content Security Policy in force, and watched, on the page under test."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.staff import enter_authenticator_code
from tests.browser.test_admin_journey import restore_organisers_group
from tests.events.conftest import PASSWORD, make_event, make_user
from tests.people import give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_reports(page) -> list[str]:
    return [text for text in page.console_errors if "Content Security Policy" in text]


def test_axe_checks_the_page_as_its_scripts_and_the_person_left_it(page):
    page.goto("/confessions/receipt/")
    assert_accessible(page)
    page.evaluate("document.querySelector('label[for=id_code]').remove()")
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_the_sites_policy_still_holds_and_is_watched_on_the_page_axe_checked(page):
    organiser = make_user("olu.organiser@example.org", password=PASSWORD, is_staff=True)
    organiser.groups.add(restore_organisers_group())
    secret = give_second_factor(organiser)
    event = make_event(title="Learning from failure in Leeds")
    page.goto(f"/admin/events/event/{event.pk}/change/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    enter_authenticator_code(page, secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change event")

    # axe-core's own scratch styles (the admin's style sheets use @import) break no policy here.
    assert_accessible(page)
    assert csp_reports(page) == []

    # The page still runs under the real policy: an inline style is refused, and reported.
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
    )
    expect(page.locator("body")).not_to_have_css("color", "rgb(255, 0, 0)")
    # The report reaches the console a moment later; then no second one follows.
    for _ in range(200):
        if csp_reports(page):
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)
    assert len(csp_reports(page)) == 1
    page.console_errors.clear()  # seen: the page fixture would fail the test on it
