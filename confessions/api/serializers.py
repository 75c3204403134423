"""What the API gives and takes, described once for the responses and the OpenAPI schema."""

import datetime
import re

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from confessions.api import LICENCE
from confessions.models import Cause, Impact, OrganisationSize, Sector

MONTH = re.compile(r"^[1-9]\d{3}-(0[1-9]|1[0-2])$")
QUERY_MAX = 200
# A page starts after the story with this month and id (a keyset, never an offset).
CURSOR = re.compile(r"^[1-9]\d{3}-(0[1-9]|1[0-2])\.[1-9]\d{0,17}$")
PAGE_SIZE = 20
PAGE_SIZE_MAX = 100


class StorySerializer(serializers.Serializer):
    """A published story, with nothing the site does not show."""

    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(help_text="The story's page on the site.")
    title = serializers.CharField()
    sector = serializers.ChoiceField(choices=Sector.choices)
    organisation_size = serializers.ChoiceField(
        choices=[("", "Not given"), *OrganisationSize.choices]
    )
    impact = serializers.ChoiceField(choices=[("", "Not given"), *Impact.choices])
    published = serializers.SerializerMethodField(help_text="The month it was published.")
    tags = serializers.SerializerMethodField()
    causes = serializers.ListField(
        child=serializers.ChoiceField(choices=Cause.choices), help_text="What went wrong."
    )
    what_happened = serializers.CharField()
    what_went_wrong = serializers.CharField()
    what_we_learned = serializers.CharField()
    what_we_would_do_differently = serializers.CharField()
    me_too_count = serializers.IntegerField(
        min_value=0, help_text="How many readers pressed “this happened to us too”."
    )

    def get_url(self, story) -> str:
        return settings.SITE_URL + story.get_absolute_url()

    def get_published(self, story) -> str:
        return story.published_month.strftime("%Y-%m")

    def get_tags(self, story) -> list[str]:
        return [tag.slug for tag in story.tags.all()]


class StoryPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text="The next page, or null on the last page."
    )
    licence = serializers.CharField(default=LICENCE)
    results = StorySerializer(many=True)


class StoryDetailSerializer(serializers.Serializer):
    licence = serializers.CharField(default=LICENCE)
    story = StorySerializer()


class CountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to pass to the story list's filter.")
    label = serializers.CharField()
    stories = serializers.IntegerField(min_value=0, help_text="Published stories.")


class CountListSerializer(serializers.Serializer):
    licence = serializers.CharField(default=LICENCE)
    results = CountSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ProblemsSerializer(serializers.Serializer):
    """Which parameters were wrong, each with its messages."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class StoryFilterSerializer(serializers.Serializer):
    """The story list's query parameters."""

    q = serializers.CharField(
        required=False,
        max_length=QUERY_MAX,
        allow_blank=True,
        help_text="Words to search for, as in the site's search box (at most its 1,000 "
        "newest matches are listed).",
    )
    sector = serializers.ChoiceField(required=False, choices=Sector.choices, allow_blank=True)
    tag = serializers.SlugField(required=False, allow_blank=True, max_length=100)
    cause = serializers.ChoiceField(required=False, choices=Cause.choices, allow_blank=True)
    published_from = serializers.RegexField(
        MONTH, required=False, help_text="The first month, as YYYY-MM."
    )
    published_to = serializers.RegexField(
        MONTH, required=False, help_text="The last month, as YYYY-MM."
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=PAGE_SIZE_MAX, default=PAGE_SIZE
    )
    cursor = serializers.RegexField(
        CURSOR,
        required=False,
        help_text="Where the page starts, from the previous page's next link: the month and "
        "id of the story before it.",
    )

    def _month(self, value: str) -> str:
        # "$" also matches before a final line break: the whole value must be the month.
        if not MONTH.fullmatch(value):
            raise serializers.ValidationError("Give a month as YYYY-MM.")
        return value

    validate_published_from = _month
    validate_published_to = _month

    def validate_cursor(self, value: str) -> tuple[datetime.date, int]:
        if not CURSOR.fullmatch(value):
            raise serializers.ValidationError("This is not a cursor from a previous page.")
        month, story_id = value.split(".")
        return datetime.date(int(month[:4]), int(month[5:]), 1), int(story_id)

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError("Remove the null character.")
        return " ".join(value.split())


def api_url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)
