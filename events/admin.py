import csv

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from events import services
from events.models import Answer, Event, EventStatus, Question, Registration
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


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [("label", "kind"), "help_text", "choices", ("required", "order")]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [QuestionInline]
    list_display = ["title", "starts_at", "city", "status", "places", "attendee_links"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "city", "summary"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["cancel_events"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "summary", "description"]}),
        ("When", {"fields": ["starts_at", "ends_at"]}),
        ("Where", {"fields": ["venue", "address", "city", "online_url"]}),
        (
            "Registration",
            {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]},
        ),
        ("More", {"fields": ["hashtag", "organisers", "tags"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="Confirmed / places / waiting")
    def places(self, event):
        capacity = "no limit" if event.capacity is None else event.capacity
        return f"{event.confirmed_count} / {capacity} / {event.waiting_count}"

    @admin.display(description="Attendees")
    def attendee_links(self, event):
        registrations = reverse("admin:events_registration_changelist")
        return format_html(
            '<a href="{}?event__id__exact={}">Registrations</a> · <a href="{}">CSV</a>',
            registrations,
            event.pk,
            reverse("admin:events_event_attendees_csv", args=[event.pk]),
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
    list_filter = ["status", "attended", ("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event", "user"]
    search_fields = ["user__email", "event__title"]
    readonly_fields = ["event", "user", "status", "created_at", "confirmed_at", "cancelled_at"]
    fields = [*readonly_fields, "attended"]
    actions = ["mark_attended", "mark_not_attended", "cancel_registrations", "export_csv"]

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
