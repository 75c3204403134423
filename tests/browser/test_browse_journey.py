import datetime
import re

import pytest
from playwright.sync_api import expect

from confessions.models import Sector
from tests.browser.axe import assert_accessible
from tests.confessions.factories import make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stories():
    make_story(
        title="The case management system our caseworkers refused to use",
        sector=Sector.SOCIAL_CARE,
        published_month=datetime.date(2026, 10, 1),
        tags=("procurement", "adoption"),
        me_too_count=3,
        what_we_learned="Software that is bought is not the same as software that is used.",
    )
    make_story(
        title="A consultation that reached almost nobody",
        sector=Sector.HOUSING,
        published_month=datetime.date(2026, 9, 1),
        tags=("consultation",),
        what_happened="The tenants survey was online only, in English only.",
    )
    make_story(
        title="A timetable system launched in the first week of term",
        sector=Sector.EDUCATION,
        published_month=datetime.date(2026, 8, 1),
        tags=("procurement", "launches"),
    )


def test_a_reader_browses_reads_and_says_it_happened_to_them_too(page, stories):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role(
        "link", name="The case management system our caseworkers refused to use"
    ).click()

    expect(page.locator("h1")).to_have_text(
        "The case management system our caseworkers refused to use"
    )
    expect(page.get_by_role("heading", name="What we learned")).to_be_visible()
    expect(page.get_by_role("heading", name="Related stories")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="This happened to us too").click()
    expect(page.get_by_text("You said this happened to you too.")).to_be_visible()
    expect(page.get_by_text("4 readers said")).to_be_visible()
    expect(page.get_by_role("button", name="This happened to us too")).to_have_count(0)
    assert_accessible(page)
    page.reload()
    expect(page.get_by_text("4 readers said")).to_be_visible()

    page.get_by_role("link", name="procurement").first.click()
    expect(page.locator("h1")).to_have_text("Tagged “procurement”")
    expect(page.get_by_role("link", name=re.compile("timetable system"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("consultation that reached"))).to_have_count(0)
    assert_accessible(page)


def test_a_reader_filters_and_searches_the_list(page, stories):
    page.goto("/confessions/")
    expect(page.locator("link[rel=alternate][type='application/atom+xml']")).to_have_count(1)
    expect(page.get_by_text("3 stories.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("complementary").get_by_role("link", name="procurement").click()
    expect(page.get_by_text("2 stories found.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Sector").select_option(Sector.EDUCATION.value)
    page.get_by_role("button", name="Show stories").click()
    expect(page.get_by_text("1 story found.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("timetable system"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search the stories").fill("tenants")
    page.get_by_role("button", name="Show stories").click()
    expect(page.get_by_role("heading", name="No stories found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="showing all stories").click()
    page.get_by_label("Search the stories").fill("tenants")
    page.get_by_role("button", name="Show stories").click()
    expect(
        page.get_by_role("link", name="A consultation that reached almost nobody")
    ).to_be_visible()
    page.get_by_label("Search the stories").fill("consultations")
    page.get_by_role("button", name="Show stories").click()
    expect(page.locator("h2 mark", has_text="consultation")).to_be_visible()
    assert_accessible(page)
