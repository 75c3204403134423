"""Staff who read unpublished stories or attendees' data open no admin page without a second
factor: the admin sends them to set an authenticator app up first."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, User
from django.urls import reverse

from tests.people import give_second_factor, make_user

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/confessions/confession/",
    "/admin/events/event/",
    "/admin/auth/user/",
    "/admin/operator/",
]


def staff_in(group: str) -> User:
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.parametrize("group", ["Moderators", "Organisers"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_it_sends_staff_in_a_group_without_a_second_factor_to_set_one_up(client, group, path):
    client.force_login(staff_in(group))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_it_sends_a_superuser_without_a_second_factor_to_set_one_up(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_it_lets_staff_with_an_authenticator_app_in(client):
    user = staff_in("Moderators")
    give_second_factor(user)
    client.force_login(user)
    assert client.get("/admin/confessions/confession/").status_code == 200


def test_staff_in_no_group_see_the_empty_admin_without_a_second_factor(client, outsider_staff):
    client.force_login(outsider_staff)
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_alone_do_not_open_the_admin(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = staff_in("Organisers")
    RecoveryCodes.activate(user)
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith(reverse("mfa_activate_totp"))


def test_removing_the_authenticator_closes_the_admin_again(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200
    Authenticator.objects.filter(user=moderator).delete()
    assert client.get("/admin/").status_code == 302


def test_the_set_up_page_is_open_to_attendees_too(attendee_client):
    # Attendees may turn a second factor on for themselves; nobody makes them.
    assert attendee_client.get("/events/").status_code == 200
    response = attendee_client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert "Authenticator App" in response.content.decode()
