"""Suggested resources in the moderators' queue: approve or reject, one or many at once."""

from django.contrib import admin, messages
from django.utils.html import format_html

from confessions.resources.models import Resource, ResourceStatus


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "link", "status", "submitted_on")
    list_filter = ("status",)
    search_fields = ("title", "description", "url")
    fields = ("title", "url", "description", "language", "causes", "tags", "status")
    actions = ("approve_selected", "reject_selected")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="link")
    def link(self, resource):
        # Shown as text: a moderator reads the address before deciding to open it.
        return format_html("<code>{}</code>", resource.url)

    def _set_status(self, request, queryset, status, done):
        count = queryset.update(status=status)
        messages.success(request, f"{count} resource{'s' if count != 1 else ''} {done}.")

    @admin.action(description="Approve the selected resources", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._set_status(request, queryset, ResourceStatus.APPROVED, "approved")

    @admin.action(description="Reject the selected resources", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._set_status(request, queryset, ResourceStatus.REJECTED, "rejected")
