"""The site's own URLs plus two that fail, to see the error pages as a real failure serves them."""

from django.db import connections
from django.urls import path

from failshare.urls import handler500
from failshare.urls import urlpatterns as site_urlpatterns

DISTINCTIVE_FAILURE = "a programming error nobody expected"


def broken_view(request):
    raise RuntimeError(DISTINCTIVE_FAILURE)


def unreachable_database_view(request):
    """Queries a database that does not answer: port 1 on loopback refuses the connection."""
    default = connections["default"]
    settings_dict = {**default.settings_dict, "PORT": "1"}
    unreachable = type(default)(settings_dict, alias="unreachable")
    try:
        unreachable.ensure_connection()
    finally:
        unreachable.close()


urlpatterns = [
    path("test-only/broken/", broken_view),
    path("test-only/database-unreachable/", unreachable_database_view),
    *site_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
