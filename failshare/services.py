"""Writes that reach into several apps: people's accounts, and the tags both apps share."""

import contextlib
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from confessions.models import ModerationDecision, TaggedStory
from events.models import Registration, TaggedEvent
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


def tags_merge(*, tag_ids: Iterable[int], into: str) -> Tag:
    """Give every story and event tagged with any of ``tag_ids`` the tag named ``into`` instead
    (made if need be), and delete the merged tags. taggit's own merge knows nothing of the
    apps' tag tables, so the admin's merge comes here."""
    with transaction.atomic():
        target = Tag.objects.filter(name__iexact=into).first() or Tag.objects.create(name=into)
        merged = list(Tag.objects.filter(id__in=tag_ids).exclude(pk=target.pk))
        for through in (TaggedStory, TaggedEvent):
            links = through.objects.filter(tag__in=merged)
            tagged = set(links.values_list("content_object_id", flat=True))
            links.delete()
            through.objects.bulk_create(
                [through(content_object_id=pk, tag=target) for pk in tagged],
                ignore_conflicts=True,  # those that had the target tag already
            )
        Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()
    return target
