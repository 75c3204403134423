"""The tags both apps share, in the admin: taggit's own tag admin, with a merge that knows the
stories' and events' tag tables (taggit's merge only moves its generic links)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from failshare.models import StaffAction, StaffAuditEntry
from failshare.services import tags_merge
from failshare.staff import second_factor_reset, staff_audit_record

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    inlines = []
    list_display = ["name", "slug", "stories", "events"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=Count("confessions_taggedstory_items", distinct=True),
                event_count=Count("events_taggedevent_items", distinct=True),
            )
        )

    @admin.display(description="Stories", ordering="story_count")
    def stories(self, tag):
        return tag.story_count

    @admin.display(description="Events", ordering="event_count")
    def events(self, tag):
        return tag.event_count

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = MergeTagsForm(request.POST)
            selected = request.session.get("selected_tag_ids", "").split(",")
            if form.is_valid():
                tag_ids = [int(tag_id) for tag_id in selected if tag_id.isdigit()]
                target = tags_merge(tag_ids=tag_ids, into=form.cleaned_data["new_tag_name"])
                request.session.pop("selected_tag_ids", None)
                self.message_user(request, f"Tags merged into “{target.name}”.", messages.SUCCESS)
                return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)


# Staff accounts: the audit log, and a superuser's reset of someone's second factor.

admin.site.unregister(User)


@admin.register(User)
class StaffAwareUserAdmin(UserAdmin):
    actions = ["reset_second_factor"]

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            staff_audit_record(
                actor=request.user,
                action=StaffAction.GROUPS_CHANGED,
                detail=f"{form.instance.email}: {', '.join(sorted(after)) or 'no groups'}",
            )

    @admin.action(description="Reset the second factor of the selected people")
    def reset_second_factor(self, request, queryset):
        if not request.user.is_superuser:
            raise PermissionDenied
        for user in queryset:
            second_factor_reset(user=user, by=request.user)
        self.message_user(
            request,
            f"Second factor reset for {len(queryset)}: each sets a new one up at the next visit.",
            messages.SUCCESS,
        )


@admin.register(StaffAuditEntry)
class StaffAuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_email", "action", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_email", "detail"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Background tasks (email): the library's read-only list, with failed ones sent again on demand.
admin.site.unregister(DBTaskResult)


# Whose tasks each staff member sees: organisers the event emails, moderators the
# moderators' digest; superusers all, anyone else none (the group's view permission aside).
TASKS_SEEN_WITH = {
    "events.": "events.change_registration",
    "confessions.": "confessions.change_confession",
}


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    actions = ["send_again"]

    def get_queryset(self, request):
        results = super().get_queryset(request)
        if request.user.is_superuser:
            return results
        seen = Q(pk__in=[])
        for prefix, permission in TASKS_SEEN_WITH.items():
            if request.user.has_perm(permission):
                seen |= Q(task_path__startswith=prefix)
        return results.filter(seen)

    @admin.action(description="Send selected failed tasks again")
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=TaskResultStatus.FAILED))
        for result in failed:
            # A fresh task with the same arguments; the email tasks send nothing twice.
            result.task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        self.message_user(request, f"{len(failed)} failed task(s) queued again.", messages.SUCCESS)
