"""Stories published before digests existed get a place in the order of first publications."""

import importlib

import pytest
from django.apps import apps

from confessions.digests.models import Publication
from confessions.models import Status
from tests.confessions.factories import make_story

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "confessions.migrations.0017_publications_of_stories_published_before"
)


def test_every_published_story_without_a_place_gets_one_in_month_order():
    older = make_story(published_month="2025-01-01")
    newer = make_story(published_month="2026-03-01")
    make_story(status=Status.PENDING, published_month=None)
    Publication.objects.all().delete()
    Publication.objects.create(confession=newer)  # already has its place: kept, not doubled
    backfill.give_places(apps, None)
    order = list(Publication.objects.order_by("id").values_list("confession_id", flat=True))
    assert order == [newer.id, older.id]
