"""Writes about people's accounts that reach into several apps."""

import contextlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from confessions.models import ModerationDecision
from events.models import Registration
from events.services import CannotCancel, registration_cancel


class AccountInUse(Exception):
    """The account signed moderation decisions, which the audit trail keeps."""


def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete a person's account with everything linked to it: email addresses, registrations
    and their answers, sessions. A place they held goes to the next person waiting first."""
    if ModerationDecision.objects.filter(moderator=user).exists():
        raise AccountInUse(f"{user.email} took moderation decisions, which the audit trail keeps")
    for registration in Registration.objects.live().filter(user=user):
        # An event that has started or was cancelled has no place to give to anyone.
        with contextlib.suppress(CannotCancel):
            registration_cancel(registration=registration)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        live_sessions = Session.objects.filter(expire_date__gt=timezone.now())
        theirs = [
            session.session_key
            for session in live_sessions.iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        Session.objects.filter(session_key__in=theirs).delete()
        user.delete()
