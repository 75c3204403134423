from functools import wraps
from urllib.parse import urlencode

from allauth.account.decorators import verified_email_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from events import replies, services
from events.forms import EventFilterForm, RegionChoiceForm, RegistrationForm, field_name
from events.ical import event_calendar
from events.models import (
    Answer,
    Event,
    Payment,
    QuestionKind,
    Region,
    RegionChoice,
    Registration,
    RegistrationStatus,
)
from failshare.pagecache import cache_public_page, csrf_placeholder_context
from failshare.pagination import page_links

# Pages change by the clock too (registration opening or closing, an event ending), which no
# write announces: a short lifetime bounds how long a cached copy can lag behind.
PAGE_CACHE_SECONDS = 10
PAGE_SIZE = 20


def waits_briefly_for_locks(view):
    """A POST that counts places waits REGISTRATION_LOCK_TIMEOUT_MS at most for any lock (the
    event's row, or a table held by a migration or a bulk change), then gets the "briefly
    unavailable" 503 page and may be sent again: less than other writes wait, since a person
    is watching the button. The limit lasts for the request's own transaction only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true)",
                    [f"{settings.REGISTRATION_LOCK_TIMEOUT_MS}ms"],
                )
            return view(request, *args, **kwargs)

    return wrapped


def _event_list(request, events, template, **context):
    page = Paginator(events.with_counts().prefetch_related("tags"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = context.get("query", "")
    prefix = f"?{query}&page=" if query else "?page="
    links = page_links(page.number, page.paginator.num_pages, lambda number: f"{prefix}{number}")
    context = {
        "page": page,
        "page_links": links,
        "previous_url": f"{prefix}{page.number - 1}",
        "next_url": f"{prefix}{page.number + 1}",
        **context,
        **csrf_placeholder_context(),
    }
    return render(request, template, context)


REGION_COOKIE = "events_region"
REGION_COOKIE_AGE = 365 * 24 * 3600
NEAR_YOU = 5


def _chosen_region(request) -> str:
    """The region a person chose: on their account, or in a visitor's cookie."""
    if request.user.is_authenticated:
        choice = RegionChoice.objects.filter(user=request.user).first()
        return choice.region if choice else ""
    region = request.COOKIES.get(REGION_COOKIE, "")
    return region if region in Region.values else ""


def _region_of_visitor(request) -> str:
    # A visitor's cookie changes the page: part of its cached copy's version.
    return _chosen_region(request) if not request.user.is_authenticated else ""


@require_safe
@cache_public_page(
    "events",
    timeout=PAGE_CACHE_SECONDS,
    params=("page", "region", "kind"),
    version_of_page=_region_of_visitor,
)
def event_list(request):
    filters = EventFilterForm(request.GET)
    chosen = filters.filters()
    events = Event.objects.upcoming().filtered(**chosen)
    region = _chosen_region(request)
    near = []
    if region and not chosen and request.GET.get("page", "1") == "1":
        near = list(
            Event.objects.upcoming()
            .filter(region=region)
            .with_counts()
            .prefetch_related("tags")[:NEAR_YOU]
        )
    context = {
        "filters": filters,
        "filtering": bool(chosen),
        "query": urlencode(chosen),
        "near": near,
        "region": region,
        "region_name": Region(region).label if region else "",
        "region_form": RegionChoiceForm(initial={"region": region}),
    }
    return _event_list(request, events, "events/list.html", **context)


@require_http_methods(["GET", "HEAD", "POST"])
def choose_region(request):
    """Choose a region once, to see events near you first; works without JavaScript."""
    data = request.POST if request.method == "POST" else None
    form = RegionChoiceForm(data, initial={"region": _chosen_region(request)})
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        response = redirect("events:list")
        if request.user.is_authenticated:
            if region:
                RegionChoice.objects.update_or_create(
                    user=request.user, defaults={"region": region}
                )
            else:
                RegionChoice.objects.filter(user=request.user).delete()
        elif region:
            response.set_cookie(
                REGION_COOKIE, region, max_age=REGION_COOKIE_AGE, samesite="Lax", httponly=True
            )
        else:
            response.delete_cookie(REGION_COOKIE, samesite="Lax")
        if region:
            # Translators: after choosing a region, e.g. "Events in Wales are now listed first."
            message = gettext("Events in %(region)s are now listed first.")
            messages.success(request, message % {"region": Region(region).label})
        else:
            messages.success(request, gettext("All events are now listed alike."))
        return response
    return render(request, "events/region.html", {"form": form})


@require_safe
@cache_public_page("events", timeout=PAGE_CACHE_SECONDS, params=("page",))
def past_list(request):
    return _event_list(request, Event.objects.past(), "events/past.html")


def _my_registration(request, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.live()
        .with_waiting_position()
        .filter(event=event, user=request.user)
        .first()
    )


@require_safe
@cache_public_page("events", timeout=PAGE_CACHE_SECONDS)
def event_detail(request, slug):
    events = Event.objects.visible().with_counts().with_resources().prefetch_related("tags")
    event = get_object_or_404(events, slug=slug)
    context = {
        "event": event,
        "state": event.registration_state(),
        "registration": _my_registration(request, event),
        **csrf_placeholder_context(),
    }
    return render(request, "events/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@verified_email_required
@waits_briefly_for_locks
def register(request, slug):
    # The counts say on the form whether there is a place; the service counts again, locked.
    event = get_object_or_404(Event.objects.visible().with_counts(), slug=slug)
    if request.method != "POST" and _my_registration(request, event):
        messages.info(request, gettext("You are already registered for this event."))
        return redirect(event)
    refusal = event.registration_refusal()
    if refusal:
        status = 409 if request.method == "POST" else 200
        return render(
            request, "events/refused.html", {"event": event, "reason": refusal}, status=status
        )
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(list(event.questions.all()), data)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event, user=request.user, answers=form.answers()
            )
        except services.AlreadyRegistered as error:
            messages.info(request, str(error))
            return redirect(event)
        except services.RegistrationRefused as error:
            context = {"event": event, "reason": str(error)}
            return render(request, "events/refused.html", context, status=409)
        messages.success(request, _registered_message(registration))
        return redirect(event)
    context = {
        "event": event,
        "form": form,
        "state": event.registration_state(),
        "quote": services.price_quote(event=event, user=request.user),
    }
    return render(request, "events/register.html", context)


PAYMENT_MESSAGES = {
    # Translators: follows "You have a place." or "…you are on the waiting list." after registering.
    Payment.COMPLIMENTARY: _("It uses one of your organisation's complimentary places."),
    # Translators: follows "You have a place." or "…you are on the waiting list." after registering.
    Payment.INVOICE: _("It will be invoiced: we will send the invoice."),
}


def _registered_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        message = gettext(
            "You have a place. We have emailed you a confirmation with a calendar file."
        )
    else:
        message = gettext(
            "The event is full, so you are on the waiting list. "
            "We will email you if a place comes up."
        )
    payment = PAYMENT_MESSAGES.get(registration.payment)
    return f"{message} {payment}" if payment else message


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@waits_briefly_for_locks
def cancel(request, slug):
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    registration = _my_registration(request, event)
    if registration is None:
        message = gettext("You have no registration to cancel for %(event)s.")
        messages.info(request, message % {"event": event.title})
        return redirect("events:mine")
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except services.CannotCancel as error:
            messages.error(request, str(error))
            return redirect("events:mine")
        message = gettext("Your registration for %(event)s is cancelled.")
        messages.success(request, message % {"event": event.title})
        return redirect("events:mine")
    return render(request, "events/cancel.html", {"event": event, "registration": registration})


@never_cache  # a person's registrations: never kept by a browser or a proxy
@require_safe
@login_required
def mine(request):
    answers = Prefetch("answers", queryset=Answer.objects.select_related("question"))
    registrations = list(
        Registration.objects.filter(user=request.user)
        .with_waiting_position()
        .annotate(question_count=Count("event__questions"))
        .select_related("event")
        .prefetch_related(answers)
        .order_by("event__starts_at", "id")
    )
    current = [r for r in registrations if r.can_cancel]
    earlier = [r for r in reversed(registrations) if not r.can_cancel]
    return render(request, "events/mine.html", {"current": current, "earlier": earlier})


@require_safe
def calendar(request, slug):
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    registration = _my_registration(request, event)
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    response = HttpResponse(
        event_calendar(event, with_online_link=confirmed),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    if confirmed:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _reply_refused(request, error: replies.ReplyRefused):
    return render(request, "events/reply_refused.html", {"reason": str(error)}, status=400)


@never_cache
@require_safe
def reply_coming(request, token):
    """The reminder's "I can still come": nothing to change, a thank-you."""
    try:
        registration = replies.reply_registration(token, "coming")
    except replies.ReplyRefused as error:
        return _reply_refused(request, error)
    return render(request, "events/reply_coming.html", {"registration": registration})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@waits_briefly_for_locks
def reply_not_coming(request, token):
    """The reminder's "I can no longer come": asks first (mail scanners follow links), then
    cancels, and the place goes at once to the first person waiting."""
    try:
        registration = replies.reply_registration(token, "not-coming")
    except replies.ReplyRefused as error:
        return _reply_refused(request, error)
    context = {"registration": registration, "event": registration.event}
    if not registration.is_live:
        return render(request, "events/reply_done.html", {**context, "already": True})
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except services.CannotCancel as error:
            return _reply_refused(request, replies.ReplyRefused(str(error)))
        return render(request, "events/reply_done.html", context)
    return render(request, "events/reply_not_coming.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def change_answers(request, slug):
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    registration = _my_registration(request, event)
    if registration is None or not registration.can_change_answers:
        messages.info(request, gettext("Your answers for this event can no longer be changed."))
        return redirect("events:mine")
    questions = list(event.questions.all())
    given = {answer.question_id: answer.value for answer in registration.answers.all()}
    initial = {}
    for question in questions:
        value = given.get(question.pk, "")
        several = question.kind == QuestionKind.SEVERAL_CHOICES
        initial[field_name(question)] = value.splitlines() if several else value
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(questions, data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answers_change(registration=registration, answers=form.answers())
        except services.CannotCancel as error:
            messages.error(request, str(error))
            return redirect("events:mine")
        message = gettext("Your answers for %(event)s are saved.")
        messages.success(request, message % {"event": event.title})
        return redirect("events:mine")
    return render(request, "events/answers.html", {"event": event, "form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request, token):
    """The feedback form, from the email to those who attended; no sign-in, answered once."""
    try:
        registration = replies.feedback_registration(token)
    except replies.ReplyRefused as error:
        return _reply_refused(request, error)
    event = registration.event
    if registration.feedback_given:
        return render(request, "events/feedback_done.html", {"event": event, "already": True})
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(list(event.feedback_questions.all()), data)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(registration=registration, answers=form.answers())
        except services.FeedbackRefused:
            return render(request, "events/feedback_done.html", {"event": event, "already": True})
        return render(request, "events/feedback_done.html", {"event": event})
    return render(request, "events/feedback.html", {"event": event, "form": form})
