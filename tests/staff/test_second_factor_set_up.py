"""Setting an authenticator app up from the admin's redirect, in plain HTML forms (no
JavaScript): scan or type the secret, enter a code, see the recovery codes once."""

import re

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from failshare.models import StaffAction, StaffAuditEntry
from tests.staff.helpers import PASSWORD, current_code, is_signed_in


def new_moderator(client):
    from tests.people import make_user

    user = make_user(is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name="Moderators"))
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert is_signed_in(client, user)
    # allauth asks for the password again before a second factor is added or removed.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return user


def test_it_sets_up_an_authenticator_app_and_then_opens_the_admin(
    client, db, django_capture_on_commit_callbacks
):
    user = new_moderator(client)
    set_up = client.get("/admin/", follow=True)
    assert set_up.request["PATH_INFO"] == reverse("mfa_activate_totp")
    secret = set_up.context["form"].secret
    assert secret in set_up.content.decode()  # typed in by hand when the QR code cannot be read
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200
    assert StaffAuditEntry.objects.filter(actor=user, action=StaffAction.MFA_ADDED).exists()


def test_it_keeps_the_admin_closed_after_a_wrong_set_up_code(client, db):
    user = new_moderator(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    wrong = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/admin/").status_code == 302


def test_it_shows_the_recovery_codes_once(client, db):
    user = new_moderator(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    first = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    unused = codes.wrap().get_unused_codes()
    assert all(code in first for code in unused)
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(re.search(rf"\b{code}\b", again) for code in unused)
