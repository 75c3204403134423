"""Reflow and focus (WCAG 1.4.10, 2.4.7, 2.4.11): no page type scrolls sideways at 320 CSS
pixels, even with long words, web and email addresses in what people wrote; every kind of
button shows its focus; an error summary's link brings its field's label into view."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.confessions.factories import make_story
from tests.confessions.stories import make_confession
from tests.events.conftest import add_questions, make_event
from tests.people import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Interdepartmentalprocurementframeworkagreementrenegotiationworkstream"
LONG_URL = "https://www.example-council.gov.uk/services/housing/consultations/2026/very-long-page"
LONG_EMAIL = "the.programme.management.office.team@example-borough-council.gov.uk"
LONG_TEXT = f"We called it the {LONG_WORD}. See {LONG_URL} or write to {LONG_EMAIL}."
YELLOW = "rgb(255, 221, 0)"


@pytest.fixture
def long_content():
    story = make_story(
        title=f"The {LONG_WORD} that nobody used",
        tags=("procurement",),
        what_happened=LONG_TEXT,
        what_we_learned=LONG_TEXT,
    )
    event = make_event(
        title=f"Learning from the {LONG_WORD}",
        summary=LONG_TEXT,
        description=LONG_TEXT,
        venue=LONG_WORD,
        online_url=LONG_URL,
    )
    add_questions(event)
    return story, event


def assert_no_sideways_scroll(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{what} is {width} CSS pixels wide at 320"


def visit_all(page, paths):
    for path in paths:
        page.goto(path)
        assert_no_sideways_scroll(page, path)


def test_no_public_page_type_scrolls_sideways_at_320_pixels(page, long_content, settings):
    settings.CONFESSION_MIN_SECONDS = 0
    story, event = long_content
    page.set_viewport_size({"width": 320, "height": 640})
    visit_all(
        page,
        [
            "/",
            "/confessions/",
            "/confessions/?q=procurement",
            story.get_absolute_url(),
            "/tags/procurement/",
            "/confessions/new/",
            "/confessions/receipt/",
            "/events/",
            "/events/past/",
            event.get_absolute_url(),
            "/privacy/",
            "/accessibility/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/no-such-page/",
        ],
    )
    # The check-your-answers page, with long words in every answer.
    page.goto("/confessions/new/")
    page.get_by_label("Title").fill(f"The {LONG_WORD}")
    page.get_by_label("Sector").select_option(label="Local government")
    for label in ("What happened", "What went wrong and why", "What we learned"):
        page.get_by_label(label, exact=True).fill(LONG_TEXT)
    page.get_by_label(re.compile("^What we would do differently")).fill(LONG_TEXT)
    page.get_by_label("I agree to share my story on these terms").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your story before you send it")
    assert_no_sideways_scroll(page, "the check page")
    # A receipt's status page.
    _, code = make_confession(title=f"The {LONG_WORD}")
    page.goto("/confessions/receipt/")
    page.get_by_label(re.compile("Receipt code", re.I)).fill(code)
    page.get_by_role("button", name=re.compile("Check", re.I)).click()
    page.wait_for_load_state()
    assert_no_sideways_scroll(page, "the receipt status page")


def test_no_signed_in_page_type_scrolls_sideways_at_320_pixels(page, long_content):
    _, event = long_content
    user = make_user(LONG_EMAIL, password=PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    visit_all(
        page,
        [
            f"/events/{event.slug}/register/",
            "/events/mine/",
            "/accounts/email/",
            "/accounts/password/change/",
            "/accounts/delete/",
            "/accounts/2fa/",
        ],
    )


def focus_style(page, locator) -> dict:
    locator.focus()
    return locator.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return {background: s.backgroundColor, color: s.color, outline: s.outlineStyle,"
        " outlineColor: s.outlineColor, shadow: s.boxShadow}; }"
    )


def test_every_kind_of_button_shows_its_focus(page):
    user = make_user(password=PASSWORD)
    user.emailaddress_set.create(email="second@example.org", verified=False)
    page.goto("/accounts/login/")
    primary = focus_style(page, page.get_by_role("button", name="Sign in"))
    assert primary["background"] == YELLOW
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/accounts/email/")
    kinds = {
        "secondary button": page.get_by_role("button", name="Send the confirmation email again"),
        "warning button": page.get_by_role("button", name="Remove second@example.org"),
        "warning link styled as a button": page.get_by_role("link", name="Delete your account"),
        "link styled as a link (Sign out)": page.get_by_role("button", name="Sign out"),
        "link": page.get_by_role("link", name="Change your password"),
    }
    for kind, locator in kinds.items():
        style = focus_style(page, locator)
        assert style["background"] == YELLOW, f"{kind}: {style}"
        assert style["color"] == "rgb(11, 12, 12)", f"{kind}: {style}"
    assert_accessible(page)


def test_an_error_summary_link_brings_the_fields_label_and_hint_into_view(page):
    page.set_viewport_size({"width": 320, "height": 480})
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Enter a password").click()
    assert page.evaluate("document.activeElement.id") == "id_password1"
    label_top = page.locator("label[for=id_password1]").evaluate(
        "el => el.getBoundingClientRect().top"
    )
    assert 0 <= label_top < 480
    hint = page.locator("#id_password1_helptext").evaluate("el => el.getBoundingClientRect()")
    assert hint["top"] >= 0 and hint["bottom"] <= 480


def test_the_admins_filter_links_are_big_enough_to_press(page):
    from tests.browser.staff import enter_authenticator_code
    from tests.browser.test_admin_journey import restore_organisers_group
    from tests.events.conftest import fill
    from tests.people import give_second_factor

    organiser = make_user("olu.organiser@example.org", password=PASSWORD, is_staff=True)
    organiser.groups.add(restore_organisers_group())
    secret = give_second_factor(organiser)
    fill(make_event(), confirmed=1, waiting=1)
    page.goto("/admin/events/registration/")
    page.get_by_label("Email address").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_authenticator_code(page, secret)
    page.wait_for_url("**/admin/events/registration/")
    heights = page.locator("#changelist-filter li a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 24, heights
