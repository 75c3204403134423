"""The reminder's "I can still come" and "I can no longer come" links, usable without signing in.

Each carries a token signed with the site's secret key under a salt of its own: it names one
registration and one answer, so it cannot be turned into the other answer or another person's
registration, and it expires. Used once, a "no longer" link finds the registration cancelled
and changes nothing more.
"""

from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext

from events.models import Registration


class ReplyRefused(Exception):
    """A reminder's link that cannot be used: the message says why, for the person."""


REPLY_SALT = "events.reminder-reply"
REPLY_ACTIONS = ("coming", "not-coming")
# A reminder leaves at most 30 days before its event (``Event.reminder_days``).
REPLY_MAX_AGE = timedelta(days=31)


def reply_token(registration: Registration, action: str) -> str:
    """A link's signed token for one registration and one answer; nothing else can use it."""
    assert action in REPLY_ACTIONS
    return signing.dumps({"r": registration.pk, "a": action}, salt=REPLY_SALT, compress=True)


def reply_registration(token: str, action: str) -> Registration:
    """The registration a token was made for, if it is for ``action`` and has not expired."""
    try:
        data = signing.loads(token, salt=REPLY_SALT, max_age=REPLY_MAX_AGE)
    except signing.SignatureExpired:
        raise ReplyRefused(gettext("This link has expired.")) from None
    except signing.BadSignature:
        raise ReplyRefused(
            gettext("This link is not valid. Check that it was copied in full.")
        ) from None
    if not isinstance(data, dict) or data.get("a") != action:
        raise ReplyRefused(gettext("This link is not valid. Check that it was copied in full."))
    registration = Registration.objects.select_related("event").filter(pk=data.get("r")).first()
    if registration is None:
        raise ReplyRefused(gettext("This link is not valid. Check that it was copied in full."))
    return registration


FEEDBACK_SALT = "events.feedback"
FEEDBACK_MAX_AGE = timedelta(days=60)


def feedback_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk}, salt=FEEDBACK_SALT, compress=True)


def feedback_registration(token: str) -> Registration:
    """The attended registration a feedback link was made for, unless it has expired."""
    try:
        data = signing.loads(token, salt=FEEDBACK_SALT, max_age=FEEDBACK_MAX_AGE)
    except signing.SignatureExpired:
        raise ReplyRefused(gettext("This link has expired.")) from None
    except signing.BadSignature:
        raise ReplyRefused(
            gettext("This link is not valid. Check that it was copied in full.")
        ) from None
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=data.get("r") if isinstance(data, dict) else None, attended=True)
        .first()
    )
    if registration is None:
        raise ReplyRefused(gettext("This link is not valid. Check that it was copied in full."))
    return registration
