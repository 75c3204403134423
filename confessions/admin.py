"""Moderation: the queue of stories, redaction, decisions and their audit trail.

Every decision goes through ``confessions.services`` so it is recorded and the public pages
are refreshed; the admin never sets a story's status directly.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from confessions.forms import FieldFindings, RejectionForm
from confessions.identifying import find_identifying
from confessions.models import SEARCH_CONFIG, Confession, ModerationDecision, Status
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


@admin.register(Confession)
class ConfessionAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "sector", "submitted_on", "published_month", "topics")
    list_filter = ("status", "sector")
    search_fields = ("title",)
    search_help_text = "Words from the title or the text of the story."
    ordering = (PENDING_FIRST.asc(), "-submitted_on", "-id")
    list_per_page = 50
    actions = ("approve_selected", "reject_selected", "return_to_pending_selected")
    fieldsets = (
        (None, {"fields": ("status", "identifying_details")}),
        ("The story, as the public will read it", {"fields": STORY_FIELDS}),
        ("Record", {"fields": ("rejection_reason", "submitted_on", "published_month", "slug")}),
    )
    inlines = (DecisionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_search_results(self, request, queryset, search_term):
        # The story's own full-text index, so searching stays fast with many stories.
        if not search_term.strip():
            return queryset, False
        query = SearchQuery(search_term, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.filter(search_vector=query), False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Status.WITHDRAWN:
            return (*RECORD_FIELDS, "identifying_details", *STORY_FIELDS)
        return (*RECORD_FIELDS, "identifying_details")

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
        confession_record_edit(
            confession=obj, moderator=request.user, changed_fields=form.changed_data
        )

    def response_change(self, request, obj):
        if "_reject" in request.POST:
            return HttpResponseRedirect(self._reject_url([obj.pk]))
        decide = {
            "_approve": confession_approve,
            "_return_to_pending": confession_return_to_pending,
        }
        for button, service in decide.items():
            if button in request.POST:
                self._decide(
                    request, [obj], lambda c, s=service: s(confession=c, moderator=request.user)
                )
                return HttpResponseRedirect(reverse("admin:confessions_confession_changelist"))
        return super().response_change(request, obj)

    @admin.action(description="Approve and publish the selected stories", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide(
            request, queryset, lambda c: confession_approve(confession=c, moderator=request.user)
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

    def _decide(self, request, confessions, decide: Callable[[Confession], Confession]) -> int:
        done = skipped = 0
        with transaction.atomic():
            for confession in confessions:
                try:
                    decide(confession)
                    done += 1
                except TransitionNotAllowed:
                    skipped += 1
        self.message_user(request, f"Done for {_stories(done)}.", messages.SUCCESS)
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
        return [path("reject/", reject, name="confessions_confession_reject"), *super().get_urls()]

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
