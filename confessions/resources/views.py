"""The resources library's pages: the list (cached like the story pages) and suggesting one."""

from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from taggit.models import Tag

from confessions.forms import SubmissionToken, spam_problem
from confessions.models import Cause
from confessions.resources.forms import ResourceForm
from confessions.resources.models import Resource
from confessions.resources.services import resource_suggest
from failshare.models import STORIES
from failshare.pagecache import cache_public_page
from failshare.ratelimit import RateLimit

SUGGESTIONS_PER_CLIENT = RateLimit("resource-suggest", limit=5, period=3600)
PAGE_MAX = 200


@require_safe
@cache_public_page(STORIES, params=("tag", "cause"))
def resource_list(request):
    tag = Tag.objects.filter(slug=request.GET.get("tag", "")[:100]).first()
    cause = request.GET.get("cause", "")
    cause = cause if cause in Cause.values else ""
    resources = (
        Resource.objects.approved()
        .tagged(tag.id if tag else None)
        .with_cause(cause)
        .prefetch_related("tags")[:PAGE_MAX]
    )
    tags = Tag.objects.filter(confessions_taggedresource_items__content_object__status="approved")
    context = {
        "resources": list(resources),
        "tag": tag,
        "cause": cause,
        "cause_label": Cause(cause).label if cause else "",
        "causes": Cause.choices,
        "tags": tags.distinct().order_by("name"),
    }
    return render(request, "confessions/resources/list.html", context)


def _form_page(request, context, status=200):
    return render(request, "confessions/resources/suggest.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request):
    if request.method != "POST":
        context = {"form": ResourceForm(), "token": SubmissionToken.issue().dumps()}
        return _form_page(request, context)
    form = ResourceForm(request.POST)
    token = SubmissionToken.load(request.POST.get("token"))
    context = {"form": form, "token": (token or SubmissionToken.issue()).dumps()}
    if problem := spam_problem(request.POST, token):
        return render(
            request,
            "confessions/resources/suggest.html",
            {**context, "problem": gettext(problem)},
            status=400,
        )
    if not form.is_valid():
        return _form_page(request, context)
    if SUGGESTIONS_PER_CLIENT.is_exceeded(request):
        problem = gettext("Too many suggestions from here in the last hour: try again later.")
        return render(
            request,
            "confessions/resources/suggest.html",
            {**context, "problem": problem},
            status=429,
        )
    SUGGESTIONS_PER_CLIENT.hit(request)
    data = form.cleaned_data
    resource_suggest(
        title=data["title"],
        url=data["url"],
        description=data["description"],
        causes=data["causes"],
        tags=data["tags"],
        language=data["language"],
    )
    return render(request, "confessions/resources/suggested.html")
