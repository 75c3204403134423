"""Staff accounts: a second factor before the admin opens, and the audit log of what staff do
to accounts and personal data (sign-ins, second factors, groups, attendee exports)."""

from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from failshare.models import StaffAction, StaffAuditEntry

# The groups whose members read unpublished stories or attendees' personal data.
SECOND_FACTOR_GROUPS = ("Moderators", "Organisers")
# What counts as a second factor set up: recovery codes alone are only a fallback.
SIGN_IN_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def needs_second_factor(user: AbstractBaseUser) -> bool:
    """Superusers, and staff in a group that sees unpublished stories or attendees' data."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=SECOND_FACTOR_GROUPS).exists()


def is_audited(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def staff_audit_record(
    *, actor: AbstractBaseUser, action: StaffAction, detail: str = ""
) -> StaffAuditEntry:
    entry = StaffAuditEntry(
        actor=actor, actor_email=actor.email, action=action, detail=detail[:300], at=timezone.now()
    )
    # The actor is a saved user in hand: no query to check that it exists.
    entry.full_clean(exclude=["actor"])
    entry.save()
    return entry


def staff_audit_prune(*, days: int) -> int:
    """Delete entries older than ``days``, and the admin's own change history ("Recent
    actions", django_admin_log) of the same age; answers how many audit entries went."""
    deleted, _ = StaffAuditEntry.objects.older_than(days).delete()
    LogEntry.objects.filter(action_time__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


def second_factor_reset(*, user: AbstractBaseUser, by: AbstractBaseUser) -> int:
    """Remove every authenticator of ``user`` (a lost phone) and end their sessions, recorded
    against ``by``; they sign in again with their password and must set a new second factor
    up before the admin opens. Answers how many authenticators were removed."""
    with transaction.atomic():
        removed, _ = Authenticator.objects.filter(user=user).delete()
        # A session signed in with the old factor would otherwise still count as verified.
        live_sessions = Session.objects.filter(expire_date__gt=timezone.now())
        theirs = [
            session.session_key
            for session in live_sessions.iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        Session.objects.filter(session_key__in=theirs).delete()
        staff_audit_record(actor=by, action=StaffAction.MFA_RESET_BY_ADMIN, detail=user.email)
    return removed


def signed_in_with_second_factor(request) -> bool:
    """allauth's record, in the session, of a code or key accepted at sign-in: a check that
    needs no query, so the admin's pages cost nothing more for staff who signed in so."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def forget_second_factor_sign_in(request) -> None:
    """After an authenticator is removed, the session no longer counts as verified by it."""
    records = get_authentication_records(request, request.user)
    kept = [record for record in records if record.get("method") != "mfa"]
    if request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) is not None:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = kept


class SecondFactorRequiredMiddleware:
    """Sends staff who must have a second factor and have none to the set-up page before any
    admin page opens. Signing in with it is allauth's own login stage, for the admin login too
    (it goes through allauth: see failshare/urls.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        if (
            request.path_info.startswith(self.admin_prefix)
            and request.user.is_authenticated
            and not signed_in_with_second_factor(request)
            and needs_second_factor(request.user)
            and not is_mfa_enabled(request.user, SIGN_IN_FACTORS)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path_info)
        return self.get_response(request)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, with staff sign-ins recorded (after the second factor, if any)."""

    def login(self, request, user):
        super().login(request, user)
        if is_audited(user):
            staff_audit_record(actor=user, action=StaffAction.SIGN_IN)

    def authenticate(self, request, **credentials):
        """The demo people's documented password opens nothing without DEBUG."""
        from failshare.demo import DEMO_PEOPLE

        if not settings.DEBUG and str(credentials.get("email", "")).lower() in DEMO_PEOPLE:
            return None
        return super().authenticate(request, **credentials)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails name the site by SITE_NAME and SITE_URL, not by the host the
        request came to, and never a username (people sign in with their email address)."""
        context = {
            **context,
            "current_site": SiteName(),
            "username": "",
            "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        }
        super().send_mail(template_prefix, email, context)


class SiteName:
    """What allauth's email templates read from a site: its name and its address."""

    @property
    def name(self) -> str:
        return settings.SITE_NAME

    @property
    def domain(self) -> str:
        return settings.SITE_URL.split("://", 1)[-1]


# allauth tells of second-factor changes only through its signals; these receivers just
# record them (our own logic is called directly, never through signals).
def _record(action: StaffAction):
    def receiver(sender, request, user, authenticator, **kwargs):
        if is_audited(user):
            staff_audit_record(actor=user, action=action, detail=authenticator.get_type_display())

    return receiver


_on_added = _record(StaffAction.MFA_ADDED)
_record_removed = _record(StaffAction.MFA_REMOVED)


def _on_removed(sender, request, user, authenticator, **kwargs):
    forget_second_factor_sign_in(request)
    _record_removed(sender, request, user, authenticator, **kwargs)


_on_reset = _record(StaffAction.MFA_RESET)


def connect_receivers() -> None:
    mfa_signals.authenticator_added.connect(_on_added, dispatch_uid="staff-audit-mfa-added")
    mfa_signals.authenticator_removed.connect(_on_removed, dispatch_uid="staff-audit-mfa-removed")
    mfa_signals.authenticator_reset.connect(_on_reset, dispatch_uid="staff-audit-mfa-reset")
