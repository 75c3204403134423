import pytest

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_statement_and_the_privacy_page_are_reached_from_the_footer_and_accessible(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    page.wait_for_url("**/accessibility/")
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    page.wait_for_url("**/privacy/")
    assert_accessible(page)
