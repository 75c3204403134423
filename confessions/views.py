"""The stories: reading them (list, search, one story, the feed), "this happened to us too",
sharing one (form, check your answers, receipt) and checking it with a receipt code.

Sharing is the same for everybody, signed in or not: nothing there reads or keeps who the
writer is, and none of its pages is cached anywhere (``never_cache`` sends ``no-store``).
"""

from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from confessions import insights as insights_charts
from confessions import me_too
from confessions.browse import browse
from confessions.conversation_views import receipt_status
from confessions.feeds import LatestConfessionsFeed, StoryResponsesFeed
from confessions.forms import (
    WRONG_RECEIPT,
    ConfessionForm,
    ReceiptForm,
    SubmissionToken,
    draft_without,
    spam_problem,
)
from confessions.models import Confession, me_too_namespace
from confessions.receipts import new_receipt_code
from confessions.services import (
    AlreadySubmitted,
    confession_find_by_receipt,
    confession_submit,
)
from failshare.models import STORIES
from failshare.pagecache import cache_public_page, csrf_placeholder_context
from failshare.ratelimit import RateLimit

RELATED_STORIES = 3
# "Has this happened before?" on the check page.
SIMILAR_STORIES = 5
# Every query parameter the list reads (confessions/browse.py).
LIST_PARAMS = ("q", "sector", "cause", "tag", "month", "impact", "language", "sort", "page")
STORIES_PER_CLIENT = RateLimit("confession-submit", limit=5, period=3600)
WRONG_RECEIPTS_PER_CLIENT = RateLimit("confession-receipt", limit=10, period=900)

feed = require_safe(cache_public_page(STORIES)(LatestConfessionsFeed()))
responses_feed = require_safe(cache_public_page(STORIES)(StoryResponsesFeed()))


@require_safe
@cache_public_page(STORIES, params=LIST_PARAMS)
def confession_list(request):
    return render(request, "confessions/list.html", {"listing": browse(request.GET)})


@require_safe
@cache_public_page(STORIES)
def insights(request):
    """Charts of the published stories, from counts made once per change of them."""
    context = {
        "charts": insights_charts.charts(),
        "stories": insights_charts.counts()["stories"],
        "layout": insights_charts.LAYOUT,
    }
    return render(request, "confessions/insights.html", context)


def _me_too_version(request, slug):
    """Part of a story page's cache key, read with the stories' version: a press changes that
    page, and only that page."""
    return (me_too_namespace(slug),)


@require_safe
def detail(request, slug):
    # Someone who pressed "this happened to us too" sees their own pressed state: never cached.
    if me_too.has_pressed(request, slug):
        return _render_detail(request, slug, pressed=True)
    return _cached_detail(request, slug)


def _render_detail(request, slug, pressed=False):
    confession = get_object_or_404(
        Confession.objects.published().prefetch_related("tags"), slug=slug
    )
    tag_ids = [tag.id for tag in confession.tags.all()]
    related = list(Confession.objects.published().related_to(confession, tag_ids)[:RELATED_STORIES])
    if not related:
        # Stories sharing a tag first; when none share one, the stories most like its words
        # (docs/similar-stories.md compares the measures of likeness on the demo stories).
        related = Confession.objects.like_text(
            confession.title,
            confession.full_text(),
            limit=RELATED_STORIES,
            exclude_id=confession.id,
        )
    responses = confession.responses.published().only(
        "id", "text", "published_month", "helped_count", "confession_id", "language"
    )
    context = {
        "confession": confession,
        "responses": list(responses),
        "related": related,
        "pressed": pressed,
        **csrf_placeholder_context(),
    }
    return render(request, "confessions/detail.html", context)


_cached_detail = cache_public_page(STORIES, namespaces_of_page=_me_too_version)(_render_detail)


@require_POST
def me_too_press(request, slug):
    confession = get_object_or_404(Confession.objects.published().only("id", "slug"), slug=slug)
    response = redirect(f"{confession.get_absolute_url()}#me-too")
    if not me_too.has_pressed(request, slug):
        if me_too.claim(request, confession.id):
            Confession.objects.filter(pk=confession.pk).update(me_too_count=F("me_too_count") + 1)
        me_too.remember(request, response, slug)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def share(request):
    if request.method != "POST":
        return _form_page(request, ConfessionForm(), SubmissionToken.issue())
    form = ConfessionForm(request.POST)
    token = SubmissionToken.load(request.POST.get("token"))
    if problem := spam_problem(request.POST, token):
        sent_back = (token or SubmissionToken.issue()).checked()
        return _form_page(request, form, sent_back, gettext(problem), status=400)
    removed = False
    if choice := request.POST.get("remove"):  # "Remove it" beside a detail on the check page
        draft = draft_without(request.POST, choice)
        removed = draft is not request.POST
        form = ConfessionForm(draft)
    # "Change" beside a section of the check page: back to the form, on that section.
    if change := request.POST.get("change"):
        form.focus_on(change)
    if request.POST.get("step") == "edit" or change or not form.is_valid():
        return _form_page(request, form, token)
    if request.POST.get("step") != "submit":
        return _preview_page(request, form, token, removed=removed)
    return _submit(request, form, token)


def _submit(request, form: ConfessionForm, token: SubmissionToken):
    if Confession.objects.filter(submission_key=token.key).exists():
        return render(request, "confessions/already_received.html")
    if STORIES_PER_CLIENT.is_exceeded(request):
        return _preview_page(request, form, token, rate_limited=True, status=429)
    # Made only now, as the story is stored, and shown on this page alone: a page or token
    # from before would let the next person at the same computer read it.
    code = new_receipt_code()
    try:
        confession_submit(**form.story(), receipt_code=code, submission_key=token.key)
    except AlreadySubmitted:  # the same form, sent twice at the same moment
        return render(request, "confessions/already_received.html")
    STORIES_PER_CLIENT.hit(request)
    return render(request, "confessions/submitted.html", {"receipt_code": code})


def _form_page(request, form, token, problem: str = "", status: int = 200):
    context = {"form": form, "token": token.dumps(), "problem": problem}
    return render(request, "confessions/new.html", context, status=status)


def _preview_page(
    request, form, token, rate_limited: bool = False, status: int = 200, removed: bool = False
):
    # "Keep it" adds the detail to those the page carries on as kept, for the moderator.
    kept = frozenset(request.POST.getlist("kept") + request.POST.getlist("keep"))
    context = {
        "form": form,
        "token": token.dumps(),
        "preview": form.highlighted_preview(kept),
        "identifying": form.identifying(kept),
        "kept": sorted(kept),
        "similar": Confession.objects.like_text(*form.draft_text(), limit=SIMILAR_STORIES),
        "removed": removed,
        "rate_limited": rate_limited,
    }
    return render(request, "confessions/preview.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request):
    if request.method != "POST":
        return render(request, "confessions/receipt.html", {"form": ReceiptForm()})
    if WRONG_RECEIPTS_PER_CLIENT.is_exceeded(request):
        return render(request, "confessions/receipt_too_many.html", status=429)
    form = ReceiptForm(request.POST)
    confession = None
    if form.is_valid():
        confession = confession_find_by_receipt(code=form.cleaned_data["code"])
        if confession is None:
            form.add_error("code", gettext(WRONG_RECEIPT))
    if confession is None:
        if form.code_given:
            WRONG_RECEIPTS_PER_CLIENT.hit(request)
        return render(request, "confessions/receipt.html", {"form": form})
    return receipt_status(request, confession, form.cleaned_data["code"])
