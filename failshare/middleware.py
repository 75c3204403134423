from django.conf import settings
from django.utils.cache import add_never_cache_headers

from failshare.rediscache import CacheUnavailable


class PermissionsPolicyMiddleware:
    """Sends a restrictive Permissions-Policy: the site needs no device features."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class StaffSessionExpiryMiddleware:
    """Staff sessions end after a shorter idle time than readers' and attendees'."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.session.get_expiry_age() > settings.STAFF_SESSION_SECONDS
        ):
            request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
        return self.get_response(request)


class AccountPagesNotStoredMiddleware:
    """``Cache-Control: no-store`` on every page allauth serves (sign-in, sign-up, email,
    password, second factor): a browser's back button or a shared proxy must not show them
    to the next person at the same computer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.func.__module__.startswith("allauth."):
            add_never_cache_headers(response)
        return response


class CacheUnavailableMiddleware:
    """A rate limit that cannot be counted (the shared cache is away) refuses with a clear 503
    "try again in a moment" page: never a 500, and never a write let through unchecked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, CacheUnavailable):
            from failshare.views import try_again_shortly

            return try_again_shortly()
        return None
