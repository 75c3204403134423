"""Signed links: confirming a subscription, and managing or leaving it without signing in."""

from django.core import signing

from confessions.digests.models import Subscription

CONFIRM_SALT = "confessions.digests.confirm"
MANAGE_SALT = "confessions.digests.manage"
CONFIRM_DAYS = 7


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def manage_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=MANAGE_SALT)


def _load(token: str, salt: str, max_age=None) -> Subscription | None:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscription.objects.select_related("tag").filter(pk=pk).first()


def from_confirm_token(token: str) -> Subscription | None:
    return _load(token, CONFIRM_SALT, max_age=CONFIRM_DAYS * 24 * 3600)


def from_manage_token(token: str) -> Subscription | None:
    return _load(token, MANAGE_SALT)
