"""The season's new pages in a real browser, each checked with axe-core, without JavaScript
needed: complimentary places, reminders' links, regions, answers, feedback, organisers' pages."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services, tasks
from events.models import EventResource, FeedbackQuestion, Registration
from tests.browser.axe import assert_accessible
from tests.browser.staff import enter_authenticator_code
from tests.browser.test_event_registration import sign_in
from tests.events.conftest import PASSWORD, add_questions, fill, make_event, make_user
from tests.events.members import make_member, staff_email
from tests.people import give_second_factor, restore_staff_groups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_members_staff_uses_a_complimentary_place_then_changes_their_answers(page):
    event = make_event(title="Network conference", price=Decimal("120.00"), capacity=30)
    add_questions(event)
    member = make_member(places=2, year=event.membership_year)
    person = make_user(staff_email(member, "ana"), password=PASSWORD)

    page.goto(event.get_absolute_url())
    expect(page.get_by_text("£120.00 for non-members")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register for a place").click()
    sign_in(page, person.email)
    page.wait_for_url(f"**/events/{event.slug}/register/")
    name = member.organisation.name
    expect(
        page.get_by_text(
            f"This uses 1 of {name}'s 2 complimentary places for {event.membership_year}; "
            "2 are left."
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Health").check()
    page.get_by_label("What would you like to get out of the day?").fill("Meet people.")
    page.get_by_role("button", name="Confirm my place").click()
    page.wait_for_url(f"**/events/{event.slug}/")
    expect(page.get_by_text("complimentary places.", exact=False)).to_be_visible()
    assert Registration.objects.get(user=person).payment == "complimentary"

    page.goto("/events/mine/")
    page.get_by_role("link", name=re.compile("^Change your answers")).click()
    page.wait_for_url(f"**/events/{event.slug}/answers/")
    assert_accessible(page)
    page.get_by_label("What would you like to get out of the day?").fill("")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What would you like to get out of the day?").fill("Learn from others.")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url("**/events/mine/")
    expect(page.get_by_text("Learn from others.")).to_be_visible()


def test_a_reminders_no_longer_link_cancels_once_without_signing_in(page, mailoutbox):
    starts = timezone.now() + timedelta(days=4)
    event = make_event(title="Cardiff workshop", capacity=1, starts_at=starts)
    mine, waiting = fill(event, confirmed=1, waiting=1)
    tasks.send_registration_email.call(mine.pk, "reminder")
    body = mailoutbox[0].body
    coming = re.search(r"I can still come: (\S+)", body).group(1)
    not_coming = re.search(r"I can no longer come: (\S+)", body).group(1)
    path = lambda url: "/" + url.split("/", 3)[3]  # noqa: E731

    page.goto(path(coming))
    expect(page.get_by_text("is kept for you")).to_be_visible()
    assert_accessible(page)

    page.goto(path(not_coming))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Give up your place at Cardiff workshop?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my place").click()
    expect(page.get_by_text("Your place has gone to the next person waiting.")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"

    page.goto(path(not_coming))
    expect(page.get_by_text("This registration was already cancelled")).to_be_visible()
    page.goto(path(not_coming)[:-5] + "xxxx/")
    expect(page.get_by_text("This link is not valid.")).to_be_visible()
    assert_accessible(page)


def test_a_visitor_filters_events_and_chooses_their_region(page):
    make_event(title="Cardiff workshop", region="wales")
    make_event(title="Leeds conference", region="yorkshire", kind="conference")
    make_event(
        title="Monthly chat",
        region="online",
        kind="online-chat",
        venue="",
        online_url="https://chat.example.org/",
        hashtag="LearnFromFailure",
        discussion_questions="What failed?\nWhat did you learn?",
    )
    page.goto("/events/")
    assert_accessible(page)
    page.get_by_label("Kind of event").select_option("conference")
    page.get_by_role("button", name="Show events").click()
    expect(page.get_by_role("link", name="Leeds conference")).to_be_visible()
    expect(page.get_by_role("link", name="Cardiff workshop")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Choose your region to see events near you first").click()
    assert_accessible(page)
    page.get_by_label("Your region").select_option("wales")
    page.get_by_role("button", name="Save my region").click()
    page.wait_for_url("**/events/")
    expect(page.get_by_role("heading", name="Events near you: Wales")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Monthly chat").first.click()
    expect(page.get_by_text("What did you learn?")).to_be_visible()
    assert_accessible(page)


def test_an_attendee_gives_feedback_once_and_finds_the_slides(page, mailoutbox):
    event = make_event(
        title="Belfast workshop",
        starts_at=timezone.now() - timedelta(days=2),
        after_summary="A good day.\n\nThank you all.",
    )
    EventResource.objects.create(event=event, title="The slides", url="https://example.org/s.pdf")
    FeedbackQuestion.objects.create(
        event=event,
        label="How useful was it?",
        kind="one-choice",
        choices="Very\nNot very",
        required=True,
    )
    registration = fill(event, confirmed=1)[0]
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    services.feedback_requests_queue()
    link = re.search(r"Give your feedback: (\S+)", mailoutbox[0].body).group(1)

    page.goto("/" + link.split("/", 3)[3])
    assert_accessible(page)
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Very", exact=True).check()
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert_accessible(page)

    page.get_by_role("link", name="Slides and write-ups from the event").click()
    expect(page.get_by_role("link", name="The slides")).to_be_visible()
    assert_accessible(page)


def test_an_organiser_writes_to_attendees_and_reads_feedback_and_members_use(page, mailoutbox):
    restore_staff_groups()
    from django.contrib.auth.models import Group

    organiser = make_user("olu.organiser@example.org", password=PASSWORD, is_staff=True)
    organiser.groups.add(Group.objects.get(name="Organisers"))
    secret = give_second_factor(organiser)
    event = make_event(title="Leeds workshop", capacity=2)
    event.organiser_staff.add(organiser)
    fill(event, confirmed=1)
    services.registration_create(event=event, user=make_user())  # now full: an alert
    past = make_event(title="Belfast workshop", starts_at=timezone.now() - timedelta(days=2))
    question = FeedbackQuestion.objects.create(
        event=past, label="How useful was it?", kind="one-choice", choices="Very\nNot very"
    )
    services.feedback_give(registration=fill(past, confirmed=1)[0], answers=[(question, "Very")])
    make_member(places=2, year=event.membership_year)

    page.goto("/admin/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    enter_authenticator_code(page, secret)
    expect(page.locator("#events-filled")).to_contain_text("Leeds workshop")
    assert_accessible(page)

    page.goto(f"/admin/events/event/{event.pk}/message/")
    assert_accessible(page)
    page.get_by_label("Everyone with a confirmed place").check()
    page.get_by_label("Subject").fill("Room change")
    page.get_by_label("Body").fill("We meet in room 2.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Your message is queued for 2 people")).to_be_visible()
    assert_accessible(page)
    assert sum("Room change" in m.subject for m in mailoutbox) == 2

    page.goto(f"/admin/events/event/{past.pk}/feedback/")
    expect(page.get_by_text("1 response.", exact=False)).to_be_visible()
    assert_accessible(page)

    page.goto("/admin/events/membership/")
    assert_accessible(page)
