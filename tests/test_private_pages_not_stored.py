"""Pages about one person are never kept by a browser or a proxy."""

import pytest

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
]


def test_my_registrations_are_not_stored(attendee_client):
    response = attendee_client.get("/events/mine/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_are_not_stored_signed_out(client, path):
    response = client.get(path)
    assert "no-store" in response.get("Cache-Control", ""), (path, response.status_code)


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_are_not_stored_signed_in(attendee_client, path):
    response = attendee_client.get(path)
    assert "no-store" in response.get("Cache-Control", ""), (path, response.status_code)


def test_public_pages_keep_their_caching(client):
    assert "no-store" not in client.get("/events/").get("Cache-Control", "")
