"""A writer sends a story while PostgreSQL is down: the 503 page, then the draft comes back.

Runs against the site under gunicorn with its own PostgreSQL cluster, stopped for real
(tests/resilience/), not against the test server.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.conftest import assert_no_csp_violation, watch_console
from tests.resilience.fixtures import (
    app,  # noqa: F401 - fixture
    app_env,  # noqa: F401 - fixture
    postgres,  # noqa: F401 - fixture
    wait_until_healthy,
)
from tests.resilience.servers import postgres_bindir

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(postgres_bindir() is None, reason="PostgreSQL server binaries not found"),
]

TITLE = "The rota that forgot Fridays"
LESSON = "Keep a copy of what people type until it is safely stored."


@pytest.fixture
def writer(browser, app):  # noqa: F811 - fixture
    context = browser.new_context(base_url=app.base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch_console(page)
    yield page
    context.close()
    assert_no_csp_violation(page)


def write_story(page) -> None:
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Sector").select_option(label="Social care")
    page.get_by_label("What happened").fill("Shift swaps made on a Friday vanished by Monday.")
    page.get_by_label("What went wrong and why").fill("A nightly job overwrote the week's rota.")
    page.get_by_label("What we learned").fill(LESSON)
    page.get_by_label("What we would do differently").fill("Watch the job's first weeks.")
    page.get_by_label("Topics (optional)").fill("rotas, scheduling")
    page.get_by_label("I agree to share my story on these terms").check()


def stored(postgres) -> list[tuple]:  # noqa: F811 - fixture
    return postgres.query(
        "SELECT what_we_learned FROM confessions_confession WHERE title = %s", (TITLE,)
    )


def test_a_story_sent_during_an_outage_is_kept_in_the_browser_and_sent_later(
    writer,
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
):
    page = writer
    page.goto("/confessions/new/")
    assert_accessible(page)
    write_story(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your story before you send it")
    assert_accessible(page)

    postgres.stop("immediate")
    try:
        page.get_by_role("button", name="Send story").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The site is briefly unavailable")
        assert_accessible(page)
    finally:
        postgres.start()
    assert stored(postgres) == []

    # The 503 page leads back to the form, which offers the draft this browser kept.
    wait_until_healthy(app, 10)
    page.get_by_role("link", name="open the story form again").click()
    expect(page.get_by_label("Title")).to_have_value("")
    page.get_by_role("button", name="Restore my draft").click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("What we learned")).to_have_value(LESSON)
    expect(page.get_by_label("Sector")).to_have_value("social-care")
    expect(page.get_by_label("Topics (optional)")).to_have_value("rotas, scheduling")
    expect(page.get_by_label("I agree to share my story on these terms")).to_be_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your story has been sent")
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", page.locator("#receipt-code").inner_text())
    assert_accessible(page)
    assert stored(postgres) == [(LESSON,)]

    # Received: the draft is gone from this browser.
    page.goto("/confessions/new/")
    expect(page.get_by_role("button", name="Restore my draft")).to_have_count(0)
