import sys

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from taggit.models import Tag

from confessions import sections as story_sections
from events import sections as event_sections
from failshare.forms import DeleteAccountForm
from failshare.models import EVENTS, STORIES
from failshare.pagecache import cache_public_page, csrf_placeholder_context
from failshare.rediscache import CacheUnavailable, ReusingRedisCache
from failshare.services import AccountInUse, account_delete

# The home and tag pages change by the clock too (an event starting), which no write announces.
CROSS_APP_PAGE_SECONDS = 60


@require_safe
@cache_public_page(STORIES, EVENTS, timeout=CROSS_APP_PAGE_SECONDS)
def home(request):
    context = {
        **story_sections.home(),
        **event_sections.home(),
        **csrf_placeholder_context(),
    }
    return render(request, "home.html", context)


@require_safe
@cache_public_page(STORIES, EVENTS, timeout=CROSS_APP_PAGE_SECONDS)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    # A tag known only from unpublished stories must not be shown yet.
    if not story_sections.shows_tag(tag) and not event_sections.shows_tag(tag):
        raise Http404("No such tag")
    context = {
        "tag": tag,
        **story_sections.tag(tag),
        **event_sections.tag(tag),
        **csrf_placeholder_context(),
    }
    return render(request, "tags/detail.html", context)


@require_safe
def privacy(request):
    return render(request, "privacy.html")


@require_safe
def accessibility(request):
    return render(request, "accessibility.html")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete_own_account(request):
    """A person deletes their own account, confirming with their password. Staff accounts are
    deleted by the people who run the site (``manage.py delete_account``)."""
    if request.user.is_staff:
        refusal = _("Staff accounts are deleted by the people who run the site.")
        return render(request, "account/delete.html", {"refusal": refusal}, status=403)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    confirmed = form.is_bound and form.is_valid()
    # Wrong passwords count against allauth's own limit for confirming a password.
    if form.is_bound and not ratelimit.consume(request, action="reauthenticate", user=request.user):
        form.add_error(None, _("You have tried too many times. Wait a minute and try again."))
        confirmed = False
    if confirmed:
        try:
            account_delete(user=request.user)
        except AccountInUse:
            refusal = _("This account took moderation decisions, which the audit trail keeps.")
            return render(request, "account/delete.html", {"refusal": refusal}, status=409)
        logout(request)
        messages.success(request, _("Your account and everything linked to it have been deleted."))
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the shared cache answer; otherwise 503 naming what does not."""
    try:
        connection.ensure_connection()
        answers = connection.is_usable()
    except DatabaseError:
        answers = False
    if not answers:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if not _cache_answers():
        return HttpResponse("cache unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _cache_answers() -> bool:
    # Without Redis the shared cache is a table of the database, just checked above.
    shared = caches["default"]
    return shared.ping() if isinstance(shared, ReusingRedisCache) else True


def service_unavailable() -> HttpResponse:
    """A plain page rendered without the request: the session and user need the database."""
    body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def try_again_shortly() -> HttpResponse:
    """The shared cache is away for a moment: the few writes whose limits it counts wait."""
    body = loader.render_to_string("503_try_again.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    if isinstance(sys.exc_info()[1], DatabaseError):
        return service_unavailable()
    if isinstance(sys.exc_info()[1], CacheUnavailable):
        return try_again_shortly()
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
