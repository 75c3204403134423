"""The tags both apps share, in the admin: taggit's own tag admin, with a merge that knows the
stories' and events' tag tables (taggit's merge only moves its generic links)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from failshare.services import tags_merge

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
