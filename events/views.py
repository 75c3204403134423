from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from events import services
from events.forms import RegistrationForm
from events.ical import event_calendar
from events.models import Answer, Event, Registration, RegistrationStatus
from failshare.pagecache import cache_public_page, csrf_placeholder_context

# Pages change by the clock too (registration opening or closing, an event ending), which no
# write announces: a short lifetime bounds how long a cached copy can lag behind.
PAGE_CACHE_SECONDS = 10
PAGE_SIZE = 20


def _event_list(request, events, template):
    page = Paginator(events.with_counts().prefetch_related("tags"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, template, {"page": page, **csrf_placeholder_context()})


@require_safe
@cache_public_page("events", timeout=PAGE_CACHE_SECONDS, params=("page",))
def event_list(request):
    return _event_list(request, Event.objects.upcoming(), "events/list.html")


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
    events = Event.objects.visible().with_counts().prefetch_related("tags")
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
def register(request, slug):
    # The counts say on the form whether there is a place; the service counts again, locked.
    event = get_object_or_404(Event.objects.visible().with_counts(), slug=slug)
    if request.method != "POST" and _my_registration(request, event):
        messages.info(request, "You are already registered for this event.")
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
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "state": event.registration_state()},
    )


def _registered_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        return "You have a place. We have emailed you a confirmation with a calendar file."
    return (
        "The event is full, so you are on the waiting list. We will email you if a place comes up."
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cancel(request, slug):
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    registration = _my_registration(request, event)
    if registration is None:
        messages.info(request, f"You have no registration to cancel for {event.title}.")
        return redirect("events:mine")
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except services.CannotCancel as error:
            messages.error(request, str(error))
            return redirect("events:mine")
        messages.success(request, f"Your registration for {event.title} is cancelled.")
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
