"""Organisers in the admin: the pages Django's own templates draw pass axe-core, with no CSP
violation, as the moderators' pages do (tests/browser/test_share_story_journey.py)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import expect

from events.models import Registration
from tests.browser.axe import assert_accessible
from tests.browser.staff import enter_authenticator_code
from tests.events.conftest import PASSWORD, add_questions, fill, make_event, make_user
from tests.people import give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def restore_organisers_group() -> Group:
    """Make the staff groups again with the data migrations' own code: the flush after each
    transactional test empties every table, these groups too."""
    executor = MigrationExecutor(connection)
    for key in [("failshare", "0001_staff_groups"), ("events", "0002_organiser_permissions")]:
        state = executor.loader.project_state(key, at_end=True)
        for operation in executor.loader.get_migration(*key).operations:
            operation.code(state.apps, None)
    return Group.objects.get(name="Organisers")


def test_an_organiser_works_through_events_and_registrations(page):
    organiser = make_user("olu.organiser@example.org", password=PASSWORD, is_staff=True)
    organiser.groups.add(restore_organisers_group())
    secret = give_second_factor(organiser)
    event = make_event(title="Learning from failure in Leeds", capacity=2)
    add_questions(event)
    fill(event, confirmed=2, waiting=1)
    make_event(title="Learning from failure in Cardiff")

    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    enter_authenticator_code(page, secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation and events")
    assert_accessible(page)

    # The event list, searched by the text label of its search box.
    page.locator("#content-main a[href='/admin/events/event/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select event to change")
    assert_accessible(page)
    page.get_by_label("Search").fill("Leeds")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Learning from failure in Leeds")).to_be_visible()
    expect(page.get_by_role("link", name="Learning from failure in Cardiff")).to_have_count(0)
    assert_accessible(page)

    # One event, with its date and time inputs each labelled.
    page.get_by_role("link", name="Learning from failure in Leeds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change event")
    expect(page.locator(".field-starts_at").get_by_label("Date:")).to_be_visible()
    assert_accessible(page)

    # The registrations, filtered by status.
    page.goto("/admin/events/registration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Select registration to change")
    assert_accessible(page)
    page.get_by_role("link", name="On the waiting list").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert_accessible(page)
    assert Registration.objects.count() == 3
