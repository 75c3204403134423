from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from confessions import me_too
from confessions.browse import browse
from confessions.cache import me_too_changed, story_namespace
from confessions.feeds import LatestConfessionsFeed
from confessions.models import Confession
from failshare.pagecache import cache_public_page, csrf_placeholder_context

RELATED_STORIES = 3

feed = require_safe(cache_public_page("stories")(LatestConfessionsFeed()))


@require_safe
@cache_public_page("stories")
def confession_list(request):
    return render(request, "confessions/list.html", {"listing": browse(request.GET)})


@require_safe
def detail(request, slug):
    # Someone who pressed "this happened to us too" sees their own pressed state: never cached.
    if me_too.has_pressed(request, slug):
        return _render_detail(request, slug, pressed=True)
    cached = cache_public_page("stories", story_namespace(slug))(_render_detail)
    return cached(request, slug)


def _render_detail(request, slug, pressed=False):
    confession = get_object_or_404(
        Confession.objects.published().prefetch_related("tags"), slug=slug
    )
    tag_ids = [tag.id for tag in confession.tags.all()]
    related = Confession.objects.published().related_to(confession, tag_ids)[:RELATED_STORIES]
    context = {
        "confession": confession,
        "related": list(related),
        "pressed": pressed,
        **csrf_placeholder_context(),
    }
    return render(request, "confessions/detail.html", context)


@require_POST
def me_too_press(request, slug):
    confession = get_object_or_404(Confession.objects.published().only("id", "slug"), slug=slug)
    response = redirect(f"{confession.get_absolute_url()}#me-too")
    if not me_too.has_pressed(request, slug):
        if me_too.claim(request, confession.id):
            Confession.objects.filter(pk=confession.pk).update(me_too_count=F("me_too_count") + 1)
            me_too_changed(slug)
        me_too.remember(request, response, slug)
    return response
