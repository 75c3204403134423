import csv
from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from events import services
from events.forms import OrganiserMessageForm
from events.models import (
    CHOICE_KINDS,
    Answer,
    Event,
    EventResource,
    EventStatus,
    FeedbackAnswer,
    FeedbackQuestion,
    MemberDomain,
    MemberOrganisation,
    Membership,
    MembershipTier,
    OrganiserMessage,
    Payment,
    Question,
    Registration,
    SentEmail,
)
from failshare.models import StaffAction
from failshare.staff import staff_audit_record

# Spreadsheets run cells starting with these as formulas; attendees type the answers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def attendees_csv(registrations, filename: str) -> HttpResponse:
    """Live registrations with their answers, one column per question."""
    registrations = list(
        registrations.live()
        .with_waiting_position()
        .select_related("event", "user")
        .prefetch_related("answers")
        .order_by("event__starts_at", "event_id", "status", "id")
    )
    event_ids = {r.event_id for r in registrations}
    questions = list(
        Question.objects.filter(event_id__in=event_ids).order_by("event__starts_at", "order", "id")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark, so spreadsheet programs read the file as UTF-8 (names, “quotes”).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["Event", "Email", "Name", "Status", "Waiting position", "Registered", "Attended"]
        + [question.label for question in questions]
    )
    for registration in registrations:
        answers = {answer.question_id: answer.display for answer in registration.answers.all()}
        user = registration.user
        row = [
            registration.event.title,
            user.email,
            user.get_full_name(),
            registration.get_status_display(),
            registration.waiting_position or "",
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            "yes" if registration.attended else "no",
        ] + [answers.get(question.pk, "") for question in questions]
        writer.writerow([_cell(value) for value in row])
    return response


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


def invoices_csv(registrations) -> HttpResponse:
    """Live priced registrations that no complimentary place covers: for finance."""
    registrations = (
        registrations.live()
        .filter(payment=Payment.INVOICE)
        .select_related("event", "user")
        .order_by("event__starts_at", "event_id", "id")
    )
    return _csv_response(
        "to-be-invoiced.csv",
        ["Event", "Event date", "Price", "Email", "Name", "Status"],
        (
            [
                r.event.title,
                timezone.localtime(r.event.starts_at).strftime("%Y-%m-%d"),
                r.event.price,
                r.user.email,
                r.user.get_full_name(),
                r.get_status_display(),
            ]
            for r in registrations
        ),
    )


@admin.action(description="Export selected to be invoiced (CSV)", permissions=["view"])
def export_invoices(modeladmin, request, queryset):
    """The finance export, in the registrations' list."""
    staff_audit_record(
        actor=request.user, action=StaffAction.EXPORT, detail="registrations to be invoiced"
    )
    return invoices_csv(Registration.objects.filter(pk__in=queryset.values("pk")))


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [("label", "kind"), "help_text", "choices", ("required", "order")]


class EventMessagesAdmin:
    """Organisers write to an event's confirmed attendees or its waiting list."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/message/",
                self.admin_site.admin_view(self.message_view),
                name="events_event_message",
            ),
            *super().get_urls(),
        ]

    def message_view(self, request, object_id):
        if not request.user.has_perm("events.add_organisermessage"):
            raise PermissionDenied
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404("No such event.")
        form = OrganiserMessageForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            message = services.message_send(
                event=event,
                audience=form.cleaned_data["audience"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                sender=request.user,
            )
            self.message_user(
                request,
                f"Your message is queued for {message.recipients} people; each gets it once.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:events_organisermessage_changelist"))
        counts = event.registrations.aggregate(
            confirmed=models.Count("pk", filter=models.Q(status="confirmed")),
            waiting=models.Count("pk", filter=models.Q(status="waiting")),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Write to the attendees of {event.title}",
            "event": event,
            "form": form,
            "counts": counts,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "events/admin/message.html", context)


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """The organisers to alert; an empty value posted for "none" means none."""

    def clean(self, value):
        return super().clean([item for item in value or [] if item])


class EventFeedbackAdmin:
    """Organisers read an event's feedback: counts of each choice, and the texts; and CSV."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/feedback/",
                self.admin_site.admin_view(self.feedback_view),
                name="events_event_feedback",
            ),
            path(
                "<path:object_id>/feedback.csv",
                self.admin_site.admin_view(self.feedback_csv_view),
                name="events_event_feedback_csv",
            ),
            *super().get_urls(),
        ]

    def _feedback_event(self, request, object_id):
        if not request.user.has_perm("events.view_feedbackresponse"):
            raise PermissionDenied
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404("No such event.")
        return event

    def feedback_view(self, request, object_id):
        event = self._feedback_event(request, object_id)
        questions = list(
            event.feedback_questions.prefetch_related(
                Prefetch("answers", queryset=FeedbackAnswer.objects.order_by("id"))
            )
        )
        summary = []
        for question in questions:
            values = [answer.value for answer in question.answers.all()]
            if question.kind in CHOICE_KINDS:
                counts = Counter(line for value in values for line in value.splitlines())
                summary.append(
                    (question, [(c, counts.get(c, 0)) for c in question.choice_list], [])
                )
            else:
                summary.append((question, [], [value for value in values if value]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Feedback on {event.title}",
            "event": event,
            "responses": event.feedback.count(),
            "summary": summary,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "events/admin/feedback.html", context)

    def feedback_csv_view(self, request, object_id):
        event = self._feedback_event(request, object_id)
        questions = list(event.feedback_questions.all())
        responses = event.feedback.prefetch_related("answers").order_by("id")
        rows = []
        for response in responses:
            answers = {
                a.question_id: ", ".join(a.value.splitlines()) for a in response.answers.all()
            }
            rows.append([answers.get(q.pk, "") for q in questions])
        return _csv_response(f"{event.slug}-feedback.csv", [q.label for q in questions], rows)


@admin.register(Event)
class EventAdmin(EventFeedbackAdmin, EventMessagesAdmin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [QuestionInline]
    list_display = ["title", "starts_at", "city", "status", "places", "attendee_links"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["title", "city", "summary"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["cancel_events"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "language", "status", "summary", "description"]},
        ),
        ("When", {"fields": ["starts_at", "ends_at"]}),
        ("Where", {"fields": ["venue", "address", "city", "region", "online_url"]}),
        (
            "Registration",
            {
                "fields": [
                    "capacity",
                    "price",
                    "registration_opens_at",
                    "registration_closes_at",
                    "reminder_days",
                ]
            },
        ),
        ("More", {"fields": ["hashtag", "discussion_questions", "organisers", "tags"]}),
        ("Organisers' alerts", {"fields": ["organiser_staff"]}),
        ("After the event", {"fields": ["after_summary"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organiser_staff":
            kwargs["form_class"] = StaffChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Confirmed / places / waiting")
    def places(self, event):
        capacity = "no limit" if event.capacity is None else event.capacity
        return f"{event.confirmed_count} / {capacity} / {event.waiting_count}"

    @admin.display(description="Attendees")
    def attendee_links(self, event):
        registrations = reverse("admin:events_registration_changelist")
        return format_html(
            '<a href="{}?event__id__exact={}">Registrations</a> · <a href="{}">CSV</a>'
            ' · <a href="{}">Write to attendees</a> · <a href="{}">Feedback</a>',
            registrations,
            event.pk,
            reverse("admin:events_event_attendees_csv", args=[event.pk]),
            reverse("admin:events_event_message", args=[event.pk]),
            reverse("admin:events_event_feedback", args=[event.pk]),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        try:
            return view(request, object_id, form_url, extra_context)
        except ValidationError:
            # The form was valid, then services.event_save, checking again with the event
            # locked, found otherwise (places taken in between); nothing was saved. Validated
            # again, the form shows the error on its field with everything typed kept.
            try:
                return view(request, object_id, form_url, extra_context)
            except ValidationError as error:  # and again: registrations kept coming
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        promoted = services.event_save(event=obj)
        if promoted:
            self.message_user(
                request,
                f"{len(promoted)} people on the waiting list now have a place and will be emailed.",
                messages.SUCCESS,
            )
        if change and "status" in form.changed_data and obj.status == EventStatus.CANCELLED:
            self.message_user(request, "Everyone registered will be emailed that it is cancelled.")

    @admin.action(
        description="Cancel selected events and email everyone registered", permissions=["change"]
    )
    def cancel_events(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Cancel these events?",
                "events": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "events/admin/cancel_confirmation.html", context)
        cancelled = sum(services.event_cancel(event=event) for event in queryset)
        self.message_user(
            request,
            f"{cancelled} events cancelled; everyone registered will be emailed.",
            messages.SUCCESS,
        )
        return None

    def get_urls(self):
        return [
            path(
                "<path:object_id>/attendees.csv",
                self.admin_site.admin_view(self.attendees_csv_view),
                name="events_event_attendees_csv",
            ),
            *super().get_urls(),
        ]

    def attendees_csv_view(self, request, object_id):
        if not request.user.has_perm("events.view_registration"):
            raise PermissionDenied
        # get_object() answers None for an id that is not one (not a number), as for a missing one.
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404("No such event.")
        staff_audit_record(actor=request.user, action=StaffAction.EXPORT, detail=event.title)
        return attendees_csv(event.registrations.all(), f"{event.slug}-attendees.csv")


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "display"]
    readonly_fields = ["question", "display"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    inlines = [AnswerInline]
    list_display = ["user_email", "event", "status", "position", "created_at", "attended"]
    list_filter = [
        "status",
        "attended",
        "payment",
        ("event", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["event", "user"]
    search_fields = ["user__email", "event__title"]
    readonly_fields = [
        "event",
        "user",
        "status",
        "payment",
        "membership",
        "created_at",
        "confirmed_at",
        "cancelled_at",
    ]
    fields = [*readonly_fields, "attended"]
    actions = [
        "mark_attended",
        "mark_not_attended",
        "cancel_registrations",
        "export_csv",
        export_invoices,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_waiting_position()

    def has_add_permission(self, request):
        # Registrations come only through the public form, which counts places under a lock.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Email", ordering="user__email")
    def user_email(self, registration):
        return registration.user.email

    @admin.display(description="Waiting position", ordering="id")
    def position(self, registration):
        return registration.waiting_position or "–"

    @admin.action(description="Mark selected as attended", permissions=["change"])
    def mark_attended(self, request, queryset):
        marked = queryset.confirmed().update(attended=True)
        skipped = queryset.count() - marked
        self.message_user(request, f"{marked} marked as attended.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} skipped: only confirmed places can attend.", messages.WARNING
            )

    @admin.action(description="Mark selected as not attended", permissions=["change"])
    def mark_not_attended(self, request, queryset):
        unmarked = queryset.update(attended=False)
        self.message_user(request, f"{unmarked} marked as not attended.", messages.SUCCESS)

    @admin.action(
        description="Cancel selected registrations (places go to the waiting list)",
        permissions=["change"],
    )
    def cancel_registrations(self, request, queryset):
        cancelled, promoted, skipped = services.registrations_cancel(registrations=queryset)
        self.message_user(
            request,
            f"{cancelled} registrations cancelled; {promoted} promoted from the waiting list.",
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: already cancelled, or the event has started or is cancelled.",
                messages.WARNING,
            )

    @admin.action(description="Export selected with answers (CSV)", permissions=["view"])
    def export_csv(self, request, queryset):
        staff_audit_record(
            actor=request.user,
            action=StaffAction.EXPORT,
            detail="registrations chosen in the list",
        )
        return attendees_csv(
            Registration.objects.filter(pk__in=queryset.values("pk")), "registrations.csv"
        )


# Member organisations and their complimentary places.


@admin.register(MembershipTier)
class MembershipTierAdmin(admin.ModelAdmin):
    list_display = ["name", "places_per_year"]


class MemberDomainInline(admin.TabularInline):
    model = MemberDomain
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["year", "tier"]


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    inlines = [MemberDomainInline, MembershipInline]
    list_display = ["name", "domain_list"]
    search_fields = ["name", "domains__domain"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description="Email domains")
    def domain_list(self, organisation):
        return ", ".join(domain.domain for domain in organisation.domains.all())


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Each member's year: complimentary places, used and left, exportable."""

    list_display = ["organisation", "year", "tier", "places", "used", "left"]
    list_filter = ["year", "tier"]
    list_select_related = ["organisation", "tier"]
    search_fields = ["organisation__name"]
    actions = ["export_use"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_use()

    @admin.display(description="Places")
    def places(self, membership):
        return membership.places

    @admin.display(description="Used", ordering="used")
    def used(self, membership):
        return membership.used

    @admin.display(description="Left")
    def left(self, membership):
        return max(membership.places - membership.used, 0)

    @admin.action(description="Export selected members' use of places (CSV)", permissions=["view"])
    def export_use(self, request, queryset):
        memberships = self.get_queryset(request).filter(pk__in=queryset.values("pk"))
        return _csv_response(
            "complimentary-places.csv",
            ["Organisation", "Year", "Tier", "Places", "Used", "Left"],
            (
                [m.organisation.name, m.year, m.tier.name, m.places, m.used, self.left(m)]
                for m in memberships.order_by("organisation__name", "year")
            ),
        )


@admin.register(OrganiserMessage)
class OrganiserMessageAdmin(admin.ModelAdmin):
    """The record of what organisers sent: written from an event's "Write to attendees"."""

    list_display = ["subject", "event", "audience", "recipients", "delivered", "day", "sent_by"]
    list_filter = ["audience", ("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event", "sent_by"]
    fields = ["event", "audience", "subject", "body", "recipients", "day", "sent_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        delivered = (
            SentEmail.objects.filter(
                kind=Concat(Value("message-"), Cast(OuterRef("pk"), models.CharField()))
            )
            .order_by()
            .values("kind")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                delivered=Coalesce(Subquery(delivered, output_field=models.IntegerField()), 0)
            )
        )

    @admin.display(description="Sent so far")
    def delivered(self, message):
        return message.delivered


@admin.register(EventResource)
class EventResourceAdmin(admin.ModelAdmin):
    """Slides, recordings and write-ups, shown on the past event's page and its tag pages."""

    list_display = ["title", "kind", "event", "order"]
    list_filter = ["kind", ("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["event", "kind", "title", "url", "order"]


@admin.register(FeedbackQuestion)
class FeedbackQuestionAdmin(admin.ModelAdmin):
    """The questions of an event's feedback form, emailed to those marked as attended."""

    list_display = ["label", "kind", "event", "required", "order"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event"]
    fields = ["event", ("label", "kind"), "help_text", "choices", ("required", "order")]
