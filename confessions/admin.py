"""Moderation: the queue of stories, redaction, decisions and their audit trail.

Every decision goes through ``confessions.services`` so it is recorded and the public pages
are refreshed; the admin never sets a story's status directly.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from confessions.conversation import Message, ResponseStatus, StoryResponse
from confessions.conversation_forms import ModeratorMessageForm
from confessions.conversation_services import (
    ConsentNotAsked,
    consent_waited_long_enough,
    messages_mark_read,
    moderator_writes,
    publish_redactions_only,
    response_approve,
    response_reject,
)
from confessions.forms import FieldFindings, RejectionForm
from confessions.identifying import find_identifying
from confessions.models import Cause, Confession, ModerationDecision, Status
from confessions.services import (
    TransitionNotAllowed,
    confession_approve,
    confession_record_edit,
    confession_reject,
    confession_return_to_pending,
)

PENDING_FIRST = Case(
    When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
)
STORY_FIELDS = (
    "title",
    "sector",
    "organisation_size",
    "impact",
    "causes",
    "tags",
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
)
TEXT_FIELDS = (
    "title",
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
)
RECORD_FIELDS = ("status", "rejection_reason", "submitted_on", "published_month", "slug")
CONVERSATION_FIELDS = ("attention", "conversation", "reports_received")
MAX_SELECTED = 500


class DecisionInline(admin.TabularInline):
    model = ModerationDecision
    fields = ("decided_at", "decision", "moderator", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "decision"
    verbose_name_plural = "Decisions about this story"
    template = "admin/confessions/confession/decisions.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CauseFilter(admin.SimpleListFilter):
    title = "cause"
    parameter_name = "cause"

    def lookups(self, request, model_admin):
        return Cause.choices

    def queryset(self, request, queryset):
        return queryset.with_cause(self.value()) if self.value() in Cause.values else queryset


class AttentionFilter(admin.SimpleListFilter):
    """Stories waiting on something other than a first reading."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("answer", "An answer from the writer is unread"),
            ("consent", "Waiting for the writer's agreement"),
            ("reported", "Reported by readers"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "answer":
            return queryset.filter(has_unread_answer=True)
        if self.value() == "consent":
            return queryset.filter(agreed_text__asked_on__isnull=False, status=Status.PENDING)
        if self.value() == "reported":
            return queryset.filter(report_count__gt=0)
        return queryset


@admin.register(Confession)
class ConfessionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "status",
        "attention",
        "sector",
        "submitted_on",
        "published_month",
        "topics",
    )
    list_filter = ("status", AttentionFilter, "sector", CauseFilter)
    search_fields = ("title",)
    search_help_text = "Words from the title or the text of the story."
    ordering = (PENDING_FIRST.asc(), "-submitted_on", "-id")
    list_per_page = 50
    actions = ("approve_selected", "reject_selected", "return_to_pending_selected")
    fieldsets = (
        (None, {"fields": ("status", "language", "attention", "identifying_details")}),
        ("Conversation with the writer", {"fields": ("conversation", "reports_received")}),
        ("The story, as the public will read it", {"fields": STORY_FIELDS}),
        ("Record", {"fields": ("rejection_reason", "submitted_on", "published_month", "slug")}),
    )
    inlines = (DecisionInline,)

    def get_queryset(self, request):
        unread = Message.objects.filter(confession=OuterRef("pk"), unread=True)
        return (
            super()
            .get_queryset(request)
            .select_related("agreed_text")
            .annotate(
                has_unread_answer=Exists(unread),
                report_count=Count("reports", distinct=True),
            )
            .prefetch_related("tags")
        )

    @admin.display(description="Needs attention")
    def attention(self, confession: Confession) -> str:
        notes = []
        if getattr(confession, "has_unread_answer", False):
            notes.append("Answer from the writer waiting")
        agreed = getattr(confession, "agreed_text", None)
        if confession.status == Status.PENDING and agreed is not None and agreed.asked_on:
            notes.append(f"Waiting for the writer's agreement since {agreed.asked_on:%d %b %Y}")
        if getattr(confession, "report_count", 0):
            notes.append(f"Reported ({confession.report_count})")
        return "; ".join(notes) or "-"

    @admin.display(description="Messages")
    def conversation(self, confession: Confession):
        context = {
            "confession": confession,
            "conversation": list(confession.messages.all()),
        }
        return render_to_string("admin/confessions/confession/conversation.html", context)

    @admin.display(description="Reports")
    def reports_received(self, confession: Confession):
        context = {"reports": list(confession.reports.all())}
        return render_to_string("admin/confessions/_reports.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and object_id and getattr(response, "status_code", 0) == 200:
            # The moderator now sees the writer's answers on this page.
            messages_mark_read(confession=Confession(pk=int(object_id)))
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        agreed = getattr(obj, "agreed_text", None) if obj is not None else None
        context["may_publish_redactions"] = (
            obj is not None
            and obj.status == Status.PENDING
            and agreed is not None
            and consent_waited_long_enough(agreed)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "causes":  # ticked, as on the story form, not typed
            return forms.MultipleChoiceField(
                label="Causes",
                choices=Cause.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The story's own full-text index, so searching stays fast with many stories.
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term), False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Status.WITHDRAWN:
            return (*RECORD_FIELDS, *CONVERSATION_FIELDS, "identifying_details", *STORY_FIELDS)
        return (*RECORD_FIELDS, *CONVERSATION_FIELDS, "identifying_details")

    def has_add_permission(self, request):
        return False  # stories come only from the public form

    @admin.display(description="Topics")
    def topics(self, confession: Confession) -> str:
        return ", ".join(tag.name for tag in confession.tags.all())

    @admin.display(description="Details that could identify someone")
    def identifying_details(self, confession: Confession):
        # The detector the writer saw on the check page, marking each detail in its text.
        marked, listed = [], {}
        for name in (*TEXT_FIELDS, "tags"):
            if name == "tags":
                text = ", ".join(tag.name for tag in confession.tags.all())
            else:
                text = getattr(confession, name)
            if findings := find_identifying(text):
                label = capfirst(Confession._meta.get_field(name).verbose_name)
                found = FieldFindings(name, label, text, findings)
                marked.append((label, found.highlighted()))
                listed.update(dict.fromkeys((f.fragment, f.kind) for f in findings))
        if not marked:
            return "None found (check the text yourself: not everything can be spotted)."
        return format_html(
            '<div class="identifying">{}{}</div>',
            format_html_join("", "<span>“{}” ({})</span><br>", listed),
            format_html_join("", "<p><strong>{}</strong></p>{}", marked),
        )

    def save_model(self, request, obj, form, change):
        was_published = obj.status == Status.APPROVED
        confession_record_edit(
            confession=obj, moderator=request.user, changed_fields=form.changed_data
        )
        if was_published and obj.status != Status.APPROVED:
            self.message_user(
                request,
                "You reworded a published story: it is off the site until its writer agrees "
                "to the new version on the receipt page. Redactions alone would have stayed up.",
                messages.WARNING,
            )

    def response_change(self, request, obj):
        if "_reject" in request.POST:
            return HttpResponseRedirect(self._reject_url([obj.pk]))
        decide = {
            "_approve": confession_approve,
            "_return_to_pending": confession_return_to_pending,
            "_publish_redactions": publish_redactions_only,
        }
        for button, service in decide.items():
            if button in request.POST:
                self._decide(
                    request,
                    [obj],
                    lambda c, s=service: s(confession=c, moderator=request.user),
                    approving=button == "_approve",
                )
                return HttpResponseRedirect(reverse("admin:confessions_confession_changelist"))
        return super().response_change(request, obj)

    @admin.action(description="Approve and publish the selected stories", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda c: confession_approve(confession=c, moderator=request.user),
            approving=True,
        )

    @admin.action(
        description="Reject the selected stories (asks for a reason)", permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        return HttpResponseRedirect(self._reject_url(queryset.values_list("pk", flat=True)))

    @admin.action(description="Send the selected stories back to pending", permissions=["change"])
    def return_to_pending_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda c: confession_return_to_pending(confession=c, moderator=request.user),
        )

    def _decide(
        self,
        request,
        confessions,
        decide: Callable[[Confession], Confession],
        approving: bool = False,
    ) -> int:
        done = skipped = asked = 0
        with transaction.atomic():
            for confession in confessions:
                try:
                    decided = decide(confession)
                    done += 1
                    # Only an approval leaves a story pending: it asked the writer to agree.
                    asked += approving and decided.status == Status.PENDING
                except (TransitionNotAllowed, ConsentNotAsked):
                    skipped += 1
        self.message_user(request, f"Done for {_stories(done)}.", messages.SUCCESS)
        if asked:
            self.message_user(
                request,
                f"{_stories(asked)} reworded: not published until the writer agrees.",
                messages.WARNING,
            )
        if skipped:
            self.message_user(
                request,
                f"{_stories(skipped)} withdrawn by the writer, left as they are.",
                messages.WARNING,
            )
        return done

    def _reject_url(self, ids) -> str:
        return reverse("admin:confessions_confession_reject") + "?ids=" + ",".join(map(str, ids))

    def get_urls(self):
        reject = self.admin_site.admin_view(self.reject_view)
        write = self.admin_site.admin_view(self.message_view)
        return [
            path("reject/", reject, name="confessions_confession_reject"),
            path("<int:pk>/message/", write, name="confessions_confession_message"),
            *super().get_urls(),
        ]

    def message_view(self, request, pk):
        """Write to the writer: checked for identifying details and shown before it is sent."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        confession = Confession.objects.filter(pk=pk).exclude(status=Status.WITHDRAWN).first()
        if confession is None:
            self.message_user(request, "That story was withdrawn.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:confessions_confession_changelist"))
        form = ModeratorMessageForm(request.POST if request.method == "POST" else None)
        step = request.POST.get("step")
        if form.is_valid() and step == "send":
            try:
                moderator_writes(
                    confession=confession, moderator=request.user, text=form.cleaned_data["text"]
                )
            except TransitionNotAllowed:
                self.message_user(request, "That story was withdrawn.", messages.WARNING)
                return HttpResponseRedirect(reverse("admin:confessions_confession_changelist"))
            self.message_user(
                request,
                "Sent: the writer reads it when they next enter their receipt code.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:confessions_confession_change", args=[confession.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Write to the writer",
            "opts": self.model._meta,
            "confession": confession,
            "form": form,
            "checking": form.is_bound and form.is_valid() and step == "check",
        }
        return TemplateResponse(request, "admin/confessions/confession/message.html", context)

    def reject_view(self, request):
        """The page between "reject" and the decision: it asks for the reason."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        raw_ids = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(part) for part in raw_ids.split(",") if part.isdigit()][:MAX_SELECTED]
        confessions = list(Confession.objects.filter(pk__in=ids).exclude(status=Status.WITHDRAWN))
        changelist = reverse("admin:confessions_confession_changelist")
        if not confessions:
            self.message_user(request, "No stories to reject were selected.", messages.WARNING)
            return HttpResponseRedirect(changelist)
        form = RejectionForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(
                request,
                confessions,
                lambda c: confession_reject(confession=c, moderator=request.user, reason=reason),
            )
            return HttpResponseRedirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject stories",
            "opts": self.model._meta,
            "confessions": confessions,
            "ids": ",".join(str(c.pk) for c in confessions),
            "form": form,
        }
        return TemplateResponse(request, "admin/confessions/confession/reject.html", context)


class ResponseAttentionFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return ResponseStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(StoryResponse)
class StoryResponseAdmin(admin.ModelAdmin):
    """The queue of readers' responses: the same moderation as stories, redaction included."""

    list_display = ("short_text", "status", "confession", "submitted_on", "report_count")
    list_filter = (ResponseAttentionFilter,)
    list_select_related = ("confession",)
    ordering = ("-submitted_on", "-id")
    list_per_page = 50
    fields = (
        "confession_link",
        "status",
        "language",
        "identifying_details",
        "text",
        "rejection_reason",
        "submitted_on",
        "published_month",
        "helped_count",
        "reports_received",
    )
    readonly_fields = (
        "confession_link",
        "status",
        "identifying_details",
        "rejection_reason",
        "submitted_on",
        "published_month",
        "helped_count",
        "reports_received",
    )
    actions = ("approve_selected", "reject_selected")

    def get_queryset(self, request):
        pending_first = Case(
            When(status=ResponseStatus.REPORTED, then=Value(0)),
            When(status=ResponseStatus.PENDING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        queryset = super().get_queryset(request).annotate(reports_count=Count("reports"))
        return queryset.alias(first=pending_first).order_by("first", "-submitted_on", "-id")

    # Whoever moderates stories moderates their responses: the same people, the same queue.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("confessions.view_confession")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("confessions.change_confession")

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    @admin.display(description="Response")
    def short_text(self, response: StoryResponse) -> str:
        return response.text[:80] + ("…" if len(response.text) > 80 else "")

    @admin.display(description="Reports")
    def report_count(self, response: StoryResponse) -> int:
        return response.reports_count

    @admin.display(description="Story")
    def confession_link(self, response: StoryResponse):
        url = reverse("admin:confessions_confession_change", args=[response.confession_id])
        return format_html('<a href="{}">{}</a>', url, response.confession.title)

    @admin.display(description="Details that could identify someone")
    def identifying_details(self, response: StoryResponse):
        findings = find_identifying(response.text)
        if not findings:
            return "None found (check the text yourself: not everything can be spotted)."
        return FieldFindings("text", "Response", response.text, findings).highlighted()

    @admin.display(description="Reports")
    def reports_received(self, response: StoryResponse):
        context = {"reports": list(response.reports.all())}
        return render_to_string("admin/confessions/_reports.html", context)

    def response_change(self, request, obj):
        if "_approve" in request.POST:
            response_approve(response=obj)
            self.message_user(request, "Response published.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:confessions_storyresponse_changelist"))
        if "_reject" in request.POST:
            return HttpResponseRedirect(self._reject_url([obj.pk]))
        return super().response_change(request, obj)

    @admin.action(description="Approve and publish the selected responses", permissions=["change"])
    def approve_selected(self, request, queryset):
        with transaction.atomic():
            for response in queryset:
                response_approve(response=response)
        self.message_user(request, f"Published {_responses(len(queryset))}.", messages.SUCCESS)

    @admin.action(
        description="Reject the selected responses (asks for a reason)", permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        return HttpResponseRedirect(self._reject_url(queryset.values_list("pk", flat=True)))

    def _reject_url(self, ids) -> str:
        url = reverse("admin:confessions_storyresponse_reject")
        return url + "?ids=" + ",".join(map(str, ids))

    def get_urls(self):
        reject = self.admin_site.admin_view(self.reject_view)
        return [
            path("reject/", reject, name="confessions_storyresponse_reject"),
            *super().get_urls(),
        ]

    def reject_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        raw_ids = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(part) for part in raw_ids.split(",") if part.isdigit()][:MAX_SELECTED]
        responses = list(StoryResponse.objects.filter(pk__in=ids))
        changelist = reverse("admin:confessions_storyresponse_changelist")
        if not responses:
            self.message_user(request, "No responses to reject were selected.", messages.WARNING)
            return HttpResponseRedirect(changelist)
        form = RejectionForm(request.POST if request.method == "POST" else None)
        form.fields["reason"].help_text = "Kept for the moderators: responders have no receipt."
        if form.is_valid():
            with transaction.atomic():
                for response in responses:
                    response_reject(response=response, reason=form.cleaned_data["reason"])
            self.message_user(request, f"Rejected {_responses(len(responses))}.", messages.SUCCESS)
            return HttpResponseRedirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject responses",
            "opts": self.model._meta,
            "responses": responses,
            "ids": ",".join(str(r.pk) for r in responses),
            "form": form,
        }
        return TemplateResponse(request, "admin/confessions/storyresponse/reject.html", context)


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    """The audit trail, read-only."""

    list_display = ("decided_at", "decision", "confession", "moderator", "reason")
    list_filter = ("decision",)
    list_select_related = ("confession", "moderator")
    date_hierarchy = "decided_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _stories(count: int) -> str:
    return "1 story" if count == 1 else f"{count} stories"


from confessions.resources import admin as resources_admin  # noqa: E402, F401


def _responses(count: int) -> str:
    return "1 response" if count == 1 else f"{count} responses"
