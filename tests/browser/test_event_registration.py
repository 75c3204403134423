"""People's journeys through events: register, wait, cancel, get the place."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Registration
from tests.browser.axe import assert_accessible
from tests.events.conftest import PASSWORD, add_questions, make_event, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


@pytest.fixture
def workshop(db):
    event = make_event(
        title="Practical strategies for learning from failure: Cardiff",
        starts_at=timezone.now() + timedelta(days=40),
        capacity=1,
        hashtag="LearnFromFailure",
    )
    add_questions(event)
    return event


def test_a_person_registers_answers_the_questions_and_later_cancels(
    page, workshop, mailoutbox, tmp_path
):
    person = make_user("ada@example.org", password=PASSWORD)
    page.goto("/events/")
    assert_accessible(page)
    page.get_by_role("link", name=workshop.title).click()
    assert page.get_by_text("1 place left").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Register for a place").click()
    page.wait_for_url("**/accounts/login/**")
    sign_in(page, person.email)
    page.wait_for_url(f"**/events/{workshop.slug}/register/")
    assert page.get_by_role("heading", name="There is 1 place left").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Confirm my place").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert_accessible(page)

    page.get_by_label("Health").check()
    page.get_by_label("What would you like to get out of the day?").fill(
        "How to run a review without blame."
    )
    page.get_by_label("Digital").check()
    page.get_by_role("button", name="Confirm my place").click()
    page.wait_for_url(f"**/events/{workshop.slug}/")
    assert page.get_by_text("You have a place.", exact=True).is_visible()
    assert_accessible(page)

    assert [message.to for message in mailoutbox] == [[person.email]]
    assert mailoutbox[0].attachments[0][0] == f"{workshop.slug}.ics"

    page.get_by_role("link", name="Your registrations").first.click()
    page.wait_for_url("**/events/mine/")
    assert page.get_by_text("How to run a review without blame.").is_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar").click()
    saved = tmp_path / "event.ics"
    download.value.save_as(saved)
    assert "BEGIN:VCALENDAR" in saved.read_text()

    page.get_by_role("link", name=re.compile("^Cancel")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url("**/events/mine/")
    assert page.get_by_text("Your registration for").is_visible()
    assert_accessible(page)
    assert Registration.objects.get(user=person).status == "cancelled"


def test_a_full_event_puts_the_next_person_on_the_waiting_list_and_a_cancellation_promotes_them(
    page, open_page, mailoutbox
):
    event = make_event(title="Leeds workshop", capacity=1)
    first = make_user("first@example.org", password=PASSWORD)
    second = make_user("second@example.org", password=PASSWORD)

    page.goto(f"/events/{event.slug}/register/")
    sign_in(page, first.email)
    page.get_by_role("button", name="Confirm my place").click()
    page.wait_for_url(f"**/events/{event.slug}/")

    other = open_page()
    other.goto(f"/events/{event.slug}/")
    assert other.get_by_text("Full: waiting list").is_visible()
    assert_accessible(other)
    other.get_by_role("link", name="Join the waiting list").click()
    sign_in(other, second.email)
    other.wait_for_url(f"**/events/{event.slug}/register/")
    assert other.get_by_role("heading", name="This event is full").is_visible()
    assert_accessible(other)
    other.get_by_role("button", name="Join the waiting list").click()
    other.wait_for_url(f"**/events/{event.slug}/")
    assert other.get_by_text("You are number 1 on the waiting list.").is_visible()
    assert_accessible(other)

    page.goto(f"/events/{event.slug}/cancel/")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url("**/events/mine/")
    assert_accessible(page)

    promoted = [m for m in mailoutbox if "A place has come up" in m.subject]
    assert [m.to for m in promoted] == [[second.email]]
    other.goto("/events/mine/")
    assert other.get_by_text("Place confirmed").is_visible()
    assert_accessible(other)
