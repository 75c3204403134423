from django.conf import settings


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
