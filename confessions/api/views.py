"""The API's views: anonymous, read-only, rate-limited per client and cached like the pages.

Each view is a Django REST framework function view whose response is rendered to JSON before
the page cache (``failshare.pagecache``) keeps it, so a change to the published stories makes
every cached answer stale at once, as it does the pages.
"""

import datetime
from collections import Counter
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from confessions.api import LICENCE, LICENCE_NAME, LICENCE_URL, exports, published_stories
from confessions.api import docs as api_docs
from confessions.api.serializers import (
    CountListSerializer,
    ErrorSerializer,
    ProblemsSerializer,
    StoryDetailSerializer,
    StoryFilterSerializer,
    StoryPageSerializer,
    StorySerializer,
)
from confessions.browse import facet_table
from confessions.models import Cause, Confession, Sector
from confessions.search import MONTH_EPOCH
from failshare.models import STORIES
from failshare.pagecache import cache_public_page
from failshare.ratelimit import RateLimit

# A search lists at most this many of its newest matches, as the site's search ranks a bounded
# set (confessions/browse.py).
SEARCH_LIMIT = 1000
LIST_PARAMS = tuple(StoryFilterSerializer().fields)


def _requests_per_client() -> RateLimit:
    return RateLimit("api", limit=settings.API_REQUESTS_PER_MINUTE, period=60)


def rate_limited(view):
    """At most API_REQUESTS_PER_MINUTE requests a minute per client, cached answers included."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = _requests_per_client()
        if limit.is_exceeded(request):
            response = JsonResponse(
                {"detail": "Too many requests: wait a minute and try again."}, status=429
            )
            response["Retry-After"] = str(limit.period)
            return response
        limit.hit(request)
        return view(request, *args, **kwargs)

    return wrapper


def rendered(view):
    """The page cache keeps bytes: render the REST framework's lazy response first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return response

    return wrapper


def public_api(*, params: tuple[str, ...] = ()):
    def decorator(view):
        return rate_limited(cache_public_page(STORIES, params=params)(rendered(view)))

    return decorator


RESPONSES = {
    429: OpenApiResponse(ErrorSerializer, description="Too many requests from this client."),
}


def _cursor(month: datetime.date, story_id: int) -> str:
    return f"{month:%Y-%m}.{story_id}"


def _month(value: str | None) -> datetime.date | None:
    if not value:
        return None
    return datetime.date(int(value[:4]), int(value[5:]), 1)


def _problems(errors: dict) -> Response:
    return Response(
        {"errors": {name: [str(e) for e in found] for name, found in errors.items()}}, status=400
    )


@extend_schema(
    operation_id="stories_list",
    summary="Published stories, newest first",
    parameters=[StoryFilterSerializer],
    responses={
        200: OpenApiResponse(StoryPageSerializer, description="A page of stories."),
        400: OpenApiResponse(ProblemsSerializer, description="A parameter was not understood."),
        **RESPONSES,
    },
)
@api_view(["GET"])
def story_list(request):
    # A plain dict, not the QueryDict: the REST framework reads an empty value in a QueryDict as
    # an HTML form's "not given", so ``published_from=`` would pass unnoticed.
    filters = StoryFilterSerializer(data=request.query_params.dict())
    if not filters.is_valid():
        return _problems(filters.errors)
    given = filters.validated_data
    start = given.get("cursor")
    size = given["page_size"]
    table = facet_table()
    tag_id = table["tag_ids"].get(given["tag"]) if given.get("tag") else None
    first, last = _month(given.get("published_from")), _month(given.get("published_to"))
    if given.get("tag") and tag_id is None:
        page: list[Confession] = []
    elif given.get("q"):
        wanted = (given.get("sector", ""), tag_id, given.get("cause", ""))
        page = _searched(given["q"], wanted, first, last, start, size)
    else:
        stories = published_stories().in_sector(given.get("sector", ""))
        stories = stories.tagged(tag_id).with_cause(given.get("cause", ""))
        if first:
            stories = stories.filter(published_month__gte=first)
        if last:
            stories = stories.filter(published_month__lte=last)
        if start:
            month, story_id = start
            stories = stories.filter(
                Q(published_month__lt=month) | Q(published_month=month, id__lt=story_id),
                published_month__lte=month,
            )
        stories = stories.order_by("-published_month", "-id")
        page = list(stories[: size + 1])
    next_url = None
    if len(page) > size:
        page = page[:size]
        query = {k: v for k, v in request.query_params.items() if k != "cursor"}
        query["cursor"] = _cursor(page[-1].published_month, page[-1].id)
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    return Response(
        {"next": next_url, "licence": LICENCE, "results": StorySerializer(page, many=True).data}
    )


def _searched(q, wanted, first, last, start, size) -> list[Confession]:
    """One page of a search, newest first: its newest SEARCH_LIMIT matches, filtered here."""
    sector, tag_id, cause = wanted
    found = Confession.objects.search(
        q,
        limit=SEARCH_LIMIT,
        month_slices=facet_table()["month_slices"],
        sector=sector,
        tag_id=tag_id,
        cause=cause,
    )
    epoch_days = MONTH_EPOCH.toordinal()
    keys = sorted(
        ((datetime.date.fromordinal(epoch_days + c.month), c.id) for c in found), reverse=True
    )
    keys = [
        key
        for key in keys
        if (first is None or key[0] >= first)
        and (last is None or key[0] <= last)
        and (start is None or key < start)
    ][: size + 1]
    by_id = published_stories().in_bulk([i for _, i in keys])
    return [by_id[i] for _, i in keys if i in by_id]


@extend_schema(
    operation_id="stories_retrieve",
    summary="One published story",
    responses={
        200: OpenApiResponse(StoryDetailSerializer, description="The story."),
        404: OpenApiResponse(ErrorSerializer, description="No published story has this slug."),
        **RESPONSES,
    },
)
@api_view(["GET"])
def story_detail(request, slug):
    story = get_object_or_404(published_stories(), slug=slug)
    return Response({"licence": LICENCE, "story": StorySerializer(story).data})


def _counts(rows) -> Response:
    results = [{"value": value, "label": label, "stories": n} for value, label, n in rows]
    return Response({"licence": LICENCE, "results": results})


@extend_schema(
    operation_id="sectors_list",
    summary="Sectors, with their published stories",
    responses={200: OpenApiResponse(CountListSerializer, description="The counts."), **RESPONSES},
)
@api_view(["GET"])
def sector_list(request):
    counts = facet_table()["sectors"]
    return _counts((value, label, counts.get(value, 0)) for value, label in Sector.choices)


@extend_schema(
    operation_id="tags_list",
    summary="Tags on published stories, most used first",
    responses={200: OpenApiResponse(CountListSerializer, description="The counts."), **RESPONSES},
)
@api_view(["GET"])
def tag_list(request):
    table = facet_table()
    counts: Counter = Counter()
    for (_, tag_id), n in table["cells"].items():
        counts[tag_id] += n
    ordered = sorted(counts.items(), key=lambda item: (-item[1], table["tags"][item[0]][0]))
    return _counts((*table["tags"][tag_id], n) for tag_id, n in ordered)


@extend_schema(
    operation_id="causes_list",
    summary="Causes of what went wrong, with their published stories",
    responses={200: OpenApiResponse(CountListSerializer, description="The counts."), **RESPONSES},
)
@api_view(["GET"])
def cause_list(request):
    counts: Counter = Counter()
    for (_, tag_id, cause), n in facet_table()["cause_cells"].items():
        if tag_id is None:
            counts[cause] += n
    return _counts((value, label, counts[value]) for value, label in Cause.choices)


story_list = public_api(params=LIST_PARAMS)(story_list)
story_detail = public_api()(story_detail)
sector_list = public_api()(sector_list)
tag_list = public_api()(tag_list)
cause_list = public_api()(cause_list)


@require_safe
@cache_public_page(STORIES, version_of_page=lambda request: exports.built_versions())
def index(request):
    """The open data's page for people: what there is, the licence, the downloads."""
    context = {
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "downloads": exports.available(),
        "requests_per_minute": settings.API_REQUESTS_PER_MINUTE,
    }
    return render(request, "confessions/api/index.html", context)


@extend_schema(exclude=True)
@require_safe
def docs(request):
    context = {**api_docs.documentation(), "licence_name": LICENCE_NAME, "licence_url": LICENCE_URL}
    return render(request, "confessions/api/docs.html", context)


def not_found(request):
    return JsonResponse({"detail": "Not found."}, status=404)


@extend_schema(exclude=True)
@require_safe
def download(request, format):
    """A bulk download as it was last built; a stale one is rebuilt in the background."""
    if format not in exports.FILES:
        raise Http404("No such download")
    return exports.serve(request, format)
