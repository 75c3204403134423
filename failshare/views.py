import sys

from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from taggit.models import Tag

from confessions.sections import hides_tag
from failshare.home import home_sections, tag_sections
from failshare.pagecache import cache_public_page, csrf_placeholder_context


@require_safe
@cache_public_page("stories", "events", timeout=60)
def home(request):
    return render(request, "home.html", {**home_sections(), **csrf_placeholder_context()})


@require_safe
@cache_public_page("stories", "events", timeout=60)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    if hides_tag(tag):
        raise Http404("No such tag")
    context = {"tag": tag, **tag_sections(tag), **csrf_placeholder_context()}
    return render(request, "tags/detail.html", context)


@require_safe
def privacy(request):
    return render(request, "privacy.html")


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def service_unavailable() -> HttpResponse:
    """A plain page rendered without the request: the session and user need the database."""
    body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    if isinstance(sys.exc_info()[1], DatabaseError):
        return service_unavailable()
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
