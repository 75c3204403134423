"""Subscribing, confirming, leaving, and sending one digest exactly once."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from confessions.digests import tokens
from confessions.digests.models import DigestSent, Frequency, Publication, Subscription
from failshare.models import ContentLanguage, in_language

SUBJECTS = {
    Frequency.WEEKLY: gettext_noop("Weekly digest: %(subscription)s"),
    Frequency.MONTHLY: gettext_noop("Monthly digest: %(subscription)s"),
}


def _latest_publication() -> int:
    return Publication.objects.aggregate(last=Max("id"))["last"] or 0


def subscription_create(*, email: str, user=None, sector="", tag=None, cause="", frequency: str):
    """A new subscription; a signed-in person's (their verified address) is confirmed at once,
    anyone else's waits for the link in the confirmation email."""
    subscription = Subscription(
        email=email,
        user=user,
        sector=sector,
        tag=tag,
        cause=cause,
        frequency=frequency,
        # The language of the page it was made on: the digests are written in it.
        language=ContentLanguage.of_page(),
    )
    if user is not None:
        subscription.confirmed_on = timezone.localdate()
        subscription.last_publication = _latest_publication()
    subscription.full_clean()
    subscription.save()
    return subscription


def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Start sending: the first digest lists the stories published after this moment."""
    if subscription.confirmed_on is None:
        subscription.confirmed_on = timezone.localdate()
        subscription.last_publication = _latest_publication()
        subscription.save(update_fields=["confirmed_on", "last_publication"])
    return subscription


def publication_record(*, confession) -> None:
    """Give a story its place in the order of first publications (digests list by it).

    One statement that cannot fail inside PostgreSQL when the story was published before."""
    Publication.objects.bulk_create([Publication(confession=confession)], ignore_conflicts=True)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def digest_email(subscription: Subscription, stories: list) -> EmailMessage:
    with in_language(subscription.language):
        return _digest_email(subscription, stories)


def _digest_email(subscription: Subscription, stories: list) -> EmailMessage:
    unsubscribe = _absolute(subscription.unsubscribe_url())
    context = {
        "subscription": subscription,
        "stories": [(story, _absolute(story.get_absolute_url())) for story in stories],
        "manage_url": _absolute(subscription.manage_url()),
        "unsubscribe_url": unsubscribe,
        "SITE_NAME": settings.SITE_NAME,
    }
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + gettext(SUBJECTS[subscription.frequency]) % {"subscription": subscription.describe()},
        body=render_to_string("confessions/digests/email/digest.txt", context),
        to=[subscription.email],
        # RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click".
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def digest_send(*, subscription_id: int, period: str) -> str:
    """Send one subscription's digest for ``period``, once whoever else is trying.

    The subscription's row is locked while the digest is made and sent, so a second run (a
    command run twice, two workers) waits, then finds the period's DigestSent and sends
    nothing; the unique (subscription, period) constraint backs that up."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.confirmed()
            .select_for_update(of=("self",))
            .select_related("tag")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None:
            return "no longer subscribed"
        if DigestSent.objects.filter(subscription=subscription, period=period).exists():
            return "already sent"
        stories = list(subscription.stories())
        if not stories:
            return "nothing new"
        DigestSent.objects.create(subscription=subscription, period=period, stories=len(stories))
        subscription.last_publication = stories[-1].publication.id
        subscription.save(update_fields=["last_publication"])
        # Last: if sending fails, the transaction rolls back and a later run tries again.
        digest_email(subscription, stories).send()
    return "sent"


def confirmation_email(subscription: Subscription) -> EmailMessage:
    with in_language(subscription.language):
        return _confirmation_email(subscription)


def _confirmation_email(subscription: Subscription) -> EmailMessage:
    context = {
        "subscription": subscription,
        "confirm_url": _absolute(
            reverse("digests:confirm", args=[tokens.confirm_token(subscription)])
        ),
        "days": tokens.CONFIRM_DAYS,
        "SITE_NAME": settings.SITE_NAME,
    }
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + gettext("Confirm your digest"),
        body=render_to_string("confessions/digests/email/confirm.txt", context),
        to=[subscription.email],
    )
