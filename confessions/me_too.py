"""Remembering, per browser, which stories it said "this happened to us too" about.

A signed cookie holds a short digest of each story's slug, so the browser sees its pressed state
and cannot count twice; a short-lived cache key, made from a keyed hash of the browser's CSRF
secret, stops a double submit that arrives before the cookie does. A browser that drops its
cookies is still one client: each network address (by a keyed hash, a /64 for IPv6) counts at
most CLIENT_PRESSES times a story an hour. Nothing is stored in the database about who pressed.
"""

from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from failshare.ratelimit import RateLimit
from failshare.rediscache import CacheUnavailable

COOKIE_NAME = "fs_me_too"
COOKIE_SALT = "confessions.me-too"
COOKIE_MAX_AGE = 365 * 24 * 3600
# A cookie stays well under 4 kB: the oldest presses are forgotten first.
COOKIE_MAX_STORIES = 200
CLAIM_SECONDS = 3600
# A few, not one: several people behind one office's address may each have met the same failure.
CLIENT_PRESSES = 3


def _digest(slug: str) -> str:
    return sha256(slug.encode()).hexdigest()[:12]


def _pressed(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT)
    return [digest for digest in value.split(".") if digest]


def has_pressed(request: HttpRequest, slug: str) -> bool:
    return _digest(slug) in _pressed(request)


def claim(
    request: HttpRequest, story_id, what: str = "me-too", per_client: int = CLIENT_PRESSES
) -> bool:
    """True the first time this browser presses for this story within CLAIM_SECONDS.

    ``what`` names other things counted the same way ("this helped" under a response, "report
    this"), and ``per_client`` how many times one network address may count."""
    secret = request.META.get("CSRF_COOKIE") or request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    browser = salted_hmac(COOKIE_SALT, secret).hexdigest()[:32]
    try:
        client = RateLimit(f"{what}:{story_id}", limit=per_client, period=CLAIM_SECONDS)
        if client.is_exceeded(request):
            return False
        claimed = cache.add(f"{what}:{story_id}:{browser}", 1, CLAIM_SECONDS)
        if claimed:
            client.hit(request)
        return claimed
    except CacheUnavailable:
        # Not counted rather than counted unchecked; the person is sent back to the story.
        return False


def remember(request: HttpRequest, response: HttpResponse, slug: str) -> None:
    pressed = [d for d in _pressed(request) if d != _digest(slug)] + [_digest(slug)]
    response.set_signed_cookie(
        COOKIE_NAME,
        ".".join(pressed[-COOKIE_MAX_STORIES:]),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
