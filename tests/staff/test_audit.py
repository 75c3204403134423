"""Staff sign-ins, second-factor changes and resets, group changes and attendee exports are
recorded with who and when, listed for superusers, and pruned after STAFF_AUDIT_DAYS."""

import io
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from failshare.models import StaffAction, StaffAuditEntry
from tests.events.conftest import make_event
from tests.people import give_second_factor, make_user, sign_in_with_second_factor
from tests.staff.helpers import (
    PASSWORD,
    current_code,
    enter_code,
    is_signed_in,
    sign_in_with_password,
)

USERS = "/admin/auth/user/"


def superuser_client():
    root = make_user("root@example.org", is_staff=True, is_superuser=True)
    give_second_factor(root)
    client = Client()
    sign_in_with_second_factor(client, root)
    return root, client


def test_it_records_a_staff_sign_in_after_the_second_factor(client, moderator):
    sign_in_with_password(client, moderator)
    assert not StaffAuditEntry.objects.exists()
    enter_code(client, current_code(moderator.totp_secret))
    (entry,) = StaffAuditEntry.objects.all()
    assert (entry.actor, entry.actor_email, entry.action) == (
        moderator,
        "mod@example.org",
        StaffAction.SIGN_IN,
    )


def test_it_does_not_record_attendees_signing_in(client, db):
    from tests.staff.helpers import PASSWORD

    person = make_user(password=PASSWORD)
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(person.pk)
    assert not StaffAuditEntry.objects.exists()


def sign_in_with_both_factors(client, user):
    sign_in_with_password(client, user)
    enter_code(client, current_code(user.totp_secret))
    assert is_signed_in(client, user)


def give_the_password_again(client, response):
    # allauth keeps the form sent, asks for the password again, then carries the form out.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    return client.post(response["Location"], {"password": PASSWORD})


def entries():
    rows = StaffAuditEntry.objects.order_by("id")
    return [(e.actor, e.actor_email, e.action, e.detail) for e in rows]


def test_it_records_staff_removing_their_authenticator_app(client, moderator):
    codes = RecoveryCodes.activate(moderator).get_unused_codes()
    sign_in_with_both_factors(client, moderator)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=moderator).exists()
    response = give_the_password_again(client, response)
    assert response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=moderator).exists()
    # The recovery codes go with the app they stood in for.
    assert entries() == [
        (moderator, "mod@example.org", StaffAction.SIGN_IN, ""),
        (moderator, "mod@example.org", StaffAction.MFA_REMOVED, "TOTP Authenticator"),
        (moderator, "mod@example.org", StaffAction.MFA_REMOVED, "Recovery codes"),
    ]
    secrets = [moderator.totp_secret, *codes]
    assert not any(secret in str(entry) for entry in entries() for secret in secrets)


def test_it_records_staff_renewing_their_recovery_codes(
    client, moderator, django_capture_on_commit_callbacks
):
    old = RecoveryCodes.activate(moderator).get_unused_codes()
    sign_in_with_both_factors(client, moderator)
    response = client.post(reverse("mfa_generate_recovery_codes"))
    with django_capture_on_commit_callbacks(execute=True):
        response = give_the_password_again(client, response)
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = Authenticator.objects.get(user=moderator, type=Authenticator.Type.RECOVERY_CODES)
    new = codes.wrap().get_unused_codes()
    assert set(new).isdisjoint(old)
    assert entries() == [
        (moderator, "mod@example.org", StaffAction.SIGN_IN, ""),
        (moderator, "mod@example.org", StaffAction.MFA_RESET, "Recovery codes"),
    ]
    secrets = [moderator.totp_secret, *old, *new]
    assert not any(secret in str(entry) for entry in entries() for secret in secrets)


def test_a_superuser_resets_a_second_factor_and_it_is_recorded(moderator):
    root, client = superuser_client()
    signed_in_elsewhere = Client()
    sign_in_with_second_factor(signed_in_elsewhere, moderator)
    response = client.post(
        USERS, {"action": "reset_second_factor", "_selected_action": [moderator.pk]}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=moderator).exists()
    entry = StaffAuditEntry.objects.get(action=StaffAction.MFA_RESET_BY_ADMIN)
    assert (entry.actor, entry.detail) == (root, moderator.email)
    # Their sessions ended; signed in again, they must set a new factor up.
    assert signed_in_elsewhere.get("/admin/").status_code == 302
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(moderator.pk) for s in Session.objects.all()
    )
    again = Client()
    again.force_login(moderator)
    assert again.get("/admin/")["Location"].startswith(reverse("mfa_activate_totp"))


def test_only_a_superuser_resets_a_second_factor(moderator, organiser):
    organiser.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client = Client()
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        USERS, {"action": "reset_second_factor", "_selected_action": [moderator.pk]}
    )
    assert response.status_code == 403
    assert Authenticator.objects.filter(user=moderator).exists()
    assert not StaffAuditEntry.objects.exists()


def test_it_records_group_changes_in_the_admin(db):
    root, client = superuser_client()
    person = make_user("new.mod@example.org", is_staff=True)
    form = client.get(f"{USERS}{person.pk}/change/").context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, [])
    }
    data.update(
        groups=[Group.objects.get(name="Moderators").pk],
        is_staff="on",
        is_active="on",
        date_joined_0=form["date_joined"].value().strftime("%Y-%m-%d"),
        date_joined_1=form["date_joined"].value().strftime("%H:%M:%S"),
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(f"{USERS}{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = StaffAuditEntry.objects.get(action=StaffAction.GROUPS_CHANGED)
    assert (entry.actor, entry.detail) == (root, "new.mod@example.org: Moderators")


def test_it_records_an_attendee_export(organiser_client, organiser):
    event = make_event()
    url = reverse("admin:events_event_attendees_csv", args=[event.pk])
    assert organiser_client.get(url).status_code == 200
    entry = StaffAuditEntry.objects.get(action=StaffAction.EXPORT)
    assert (entry.actor, entry.detail) == (organiser, event.title)


def test_superusers_see_the_audit_log_and_others_do_not(moderator_client, moderator):
    entry = StaffAuditEntry.objects.create(
        actor=moderator, actor_email=moderator.email, action="sign_in", at=timezone.now()
    )
    assert moderator_client.get("/admin/failshare/staffauditentry/").status_code == 403
    _, client = superuser_client()
    body = client.get("/admin/failshare/staffauditentry/").content.decode()
    assert "mod@example.org" in body
    assert client.get(f"/admin/failshare/staffauditentry/{entry.pk}/delete/").status_code == 403


def test_the_prune_command_deletes_entries_older_than_staff_audit_days(settings, moderator):
    settings.STAFF_AUDIT_DAYS = 30
    now = timezone.now()
    for days in (31, 29):
        StaffAuditEntry.objects.create(
            actor=moderator,
            actor_email=moderator.email,
            action="sign_in",
            at=now - timedelta(days=days),
        )
    call_command("prune_staff_audit", stdout=io.StringIO())
    assert [e.at for e in StaffAuditEntry.objects.all()] == [now - timedelta(days=29)]


def test_the_prune_command_deletes_admin_history_older_than_staff_audit_days(settings, moderator):
    settings.STAFF_AUDIT_DAYS = 30
    now = timezone.now()
    for days in (31, 29):
        entry = LogEntry.objects.create(
            user=moderator, action_flag=CHANGE, object_repr=f"{days} days ago"
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=now - timedelta(days=days))
    call_command("prune_staff_audit", stdout=io.StringIO())
    assert [e.object_repr for e in LogEntry.objects.all()] == ["29 days ago"]
