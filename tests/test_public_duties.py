"""A public-sector service's duties: an accessibility statement, and a privacy page naming the
data controller, the contact address and people's rights, all linked from every page."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db

EVERY_KIND_OF_PAGE = ["/", "/confessions/", "/confessions/new/", "/events/", "/accounts/login/"]


def test_the_accessibility_statement_says_what_meets_wcag_how_it_was_tested_and_who_to_tell(
    client, settings
):
    settings.CONTACT_EMAIL = "access@council.example"
    response = client.get("/accessibility/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Accessibility statement</h1>" in body
    assert "WCAG) version 2.2 at level AA" in body
    assert "axe-core" in body and "Nu HTML Checker" in body and "320 pixels" in body
    assert 'href="mailto:access@council.example"' in body
    assert "Enforcement procedure" in body


def test_the_accessibility_statement_answers_only_reads(client):
    assert client.post("/accessibility/").status_code == 405


def test_the_privacy_page_names_the_controller_and_the_contact_address(client, settings):
    settings.SITE_OWNER = "Failure Network CIC"
    settings.CONTACT_EMAIL = "privacy@failure.example"
    body = client.get("/privacy/").content.decode()
    assert "Failure Network CIC runs this site and is the data controller" in body
    assert 'href="mailto:privacy@failure.example"' in body


def test_the_privacy_page_says_what_rights_people_have_and_how_to_use_them(client):
    body = client.get("/privacy/").content.decode()
    assert "to have it corrected or deleted" in body
    assert "Information Commissioner" in body
    assert "We reply within one month." in body


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_every_page_links_the_privacy_page_the_statement_and_the_contact_address(
    client, settings, path
):
    settings.CONTACT_EMAIL = "hello@network.example"
    body = client.get(path).content.decode()
    assert 'href="/privacy/"' in body
    assert 'href="/accessibility/"' in body
    assert 'href="mailto:hello@network.example"' in body


def test_the_forbidden_page_gives_the_contact_address(rf, settings):
    settings.CONTACT_EMAIL = "hello@network.example"
    body = render_to_string("403.html", request=rf.get("/"))
    assert 'write to <a href="mailto:hello@network.example"' in body


def test_the_account_pages_that_wait_for_an_email_give_the_contact_address(client, settings):
    settings.CONTACT_EMAIL = "hello@network.example"
    body = client.get("/accounts/password/reset/done/").content.decode()
    assert "mailto:hello@network.example" in body
