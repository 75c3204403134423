"""Every page type is valid HTML: the Nu HTML Checker (vnu) reports no errors, with long and
awkward content, on forms with errors, signed in, and in the admin."""

import pytest
from django.test import Client

from confessions.models import Confession
from tests.confessions.factories import make_story
from tests.confessions.stories import make_confession, post_step, submit
from tests.events.conftest import add_questions, fill, make_event
from tests.people import PASSWORD, make_user
from tests.vnu import assert_valid_html

pytestmark = pytest.mark.django_db

AWKWARD = "Costs <rose> & “fell”: see https://example.org/a?b=1&c=2 or write to a@example.org."


def get(client: Client, path: str, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code in (200, 404), (path, response.status_code)
    return response.content.decode()


def post(client: Client, path: str, data: dict) -> str:
    return client.post(path, data).content.decode()


@pytest.fixture
def content():
    story = make_story(title="A portal & its “users”", tags=("procurement",), what_happened=AWKWARD)
    event = make_event(
        title="Learning & failing", description=AWKWARD, online_url="https://meet.example.org/x"
    )
    add_questions(event)
    fill(event, confirmed=1)
    return story, event


def public_pages(client, story, event, settings) -> dict[str, str]:
    settings.CONFESSION_MIN_SECONDS = 0
    pages = {
        path: get(client, path)
        for path in [
            "/",
            "/confessions/",
            "/confessions/?q=portal",
            "/confessions/?q=the",
            "/confessions/?sector=health",
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
            "/accounts/password/reset/done/",
            "/accounts/password/reset/key/1-bad/",
            "/accounts/confirm-email/",
            "/accounts/confirm-email/bad-key/",
            "/no-such-page/",
        ]
    }
    pages["check page"] = post_step(client, "preview", what_happened=AWKWARD).content.decode()
    pages["story form with errors"] = post_step(client, "preview", title="").content.decode()
    response, code = submit(client)
    pages["receipt page"] = response.content.decode()
    pages["receipt status"] = post(client, "/confessions/receipt/", {"code": code})
    pages["wrong receipt"] = post(client, "/confessions/receipt/", {"code": "nope"})
    pages["sign in with errors"] = post(client, "/accounts/login/", {"login": "x"})
    pages["sign up with errors"] = post(
        client, "/accounts/signup/", {"email": "x", "password1": "a"}
    )
    return pages


def test_every_public_page_type_is_valid_html(client, content, settings):
    story, event = content
    assert_valid_html(public_pages(client, story, event, settings))


def test_every_signed_in_page_type_is_valid_html(client, content):
    _, event = content
    user = make_user(password=PASSWORD)
    user.emailaddress_set.create(email="second@example.org", verified=False)
    client.force_login(user)
    pages = {
        path: get(client, path)
        for path in [
            "/",
            event.get_absolute_url(),
            f"/events/{event.slug}/register/",
            "/events/mine/",
            "/accounts/email/",
            "/accounts/password/change/",
            "/accounts/delete/",
            "/accounts/logout/",
            "/accounts/2fa/",
        ]
    }
    pages["registration with errors"] = post(client, f"/events/{event.slug}/register/", {})
    pages["delete with errors"] = post(client, "/accounts/delete/", {"password": ""})
    assert_valid_html(pages)


def test_the_admins_page_types_are_valid_html(moderator_client):
    confession, _ = make_confession(what_happened=AWKWARD)
    pages = {
        path: get(moderator_client, path)
        for path in [
            "/admin/",
            "/admin/confessions/confession/",
            f"/admin/confessions/confession/{confession.pk}/change/",
        ]
    }
    assert Confession.objects.exists()
    assert_valid_html(pages)
