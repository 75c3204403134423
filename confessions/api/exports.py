"""Bulk downloads of every published story, as CSV and as JSON Lines, gzip-compressed.

A download is built once per version of the published stories (the "stories" content
version, raised by PostgreSQL on any change: failshare/models.py), in the background, and
kept in the database for every app server to serve; a request never builds one. When the
stories change, the next request for a download still gets the last one built (its date says
how old) and queues a rebuild; ``manage.py build_open_data`` (cron) builds any that are stale.
"""

import csv
import datetime
import gzip
import io
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from confessions.api import LICENCE, published_stories
from confessions.api.models import ExportFormat, OpenDataExport
from confessions.models import TaggedStory
from failshare.models import STORIES
from failshare.pagecache import versions

FILES = {"stories.csv.gz": ExportFormat.CSV, "stories.jsonl.gz": ExportFormat.JSONL}
COLUMNS = [
    "slug",
    "url",
    "title",
    "sector",
    "organisation_size",
    "impact",
    "published",
    "tags",
    "causes",
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
    "me_too_count",
]
# How long a queued rebuild of one version stops others being queued.
QUEUED_SECONDS = 600


def _chunks(size: int = 2000):
    """Published stories, newest first, in lists of ``size`` with their tags' slugs: one query
    of tags per list (taggit's prefetch builds a queryset per story, the dearest part)."""
    stories = published_stories().prefetch_related(None).order_by("-id").iterator(chunk_size=size)
    chunk = []
    for story in stories:
        chunk.append(story)
        if len(chunk) == size:
            yield _with_tags(chunk)
            chunk = []
    if chunk:
        yield _with_tags(chunk)


def _with_tags(chunk: list) -> list[tuple]:
    tags: dict[int, list[str]] = {story.id: [] for story in chunk}
    rows = TaggedStory.objects.filter(content_object_id__in=tags).order_by("tag__name")
    for story_id, slug in rows.values_list("content_object_id", "tag__slug"):
        tags[story_id].append(slug)
    return [(story, tags[story.id]) for story in chunk]


def _records():
    # One reverse() for every address: the slug is the only part that changes.
    address = settings.SITE_URL + reverse("confessions:detail", args=["SLUG"])
    for chunk in _chunks():
        for story, tags in chunk:
            yield {
                "slug": story.slug,
                "url": address.replace("SLUG", story.slug),
                "title": story.title,
                "sector": story.sector,
                "organisation_size": story.organisation_size,
                "impact": story.impact,
                "published": story.published_month.strftime("%Y-%m"),
                "tags": tags,
                "causes": list(story.causes),
                "what_happened": story.what_happened,
                "what_went_wrong": story.what_went_wrong,
                "what_we_learned": story.what_we_learned,
                "what_we_would_do_differently": story.what_we_would_do_differently,
                "me_too_count": story.me_too_count,
            }


def _write(format: str, out: io.TextIOBase) -> int:
    count = 0
    if format == ExportFormat.CSV:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for record in _records():
            writer.writerow(
                {**record, "tags": ",".join(record["tags"]), "causes": ",".join(record["causes"])}
            )
            count += 1
    else:
        for record in _records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def build(format: str) -> OpenDataExport:
    """Build one download from the stories as they are now, and keep it."""
    # The version is read before the stories: a change made while building leaves the export
    # marked older than the stories it may already hold, so it is built again, never missed.
    (version,) = versions(STORIES)
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed,
        io.TextIOWrapper(compressed, encoding="utf-8", newline="") as out,
        transaction.atomic(),
    ):
        count = _write(format, out)
    export, _ = OpenDataExport.objects.update_or_create(
        format=format,
        defaults={
            "version": version,
            "stories": count,
            "built_on": timezone.localdate(),
            "data": buffer.getvalue(),
        },
    )
    return export


def stale_formats() -> list[str]:
    (version,) = versions(STORIES)
    built = dict(OpenDataExport.objects.values_list("format", "version"))
    return [format for format in ExportFormat.values if built.get(format) != version]


@task()
def build_open_data() -> str:
    """Build every download that is older than the published stories."""
    stale = stale_formats()
    for format in stale:
        build(format)
    return f"built {', '.join(stale) or 'nothing'}"


def queue_rebuild() -> None:
    (version,) = versions(STORIES)
    if cache.add(f"opendata-build:{version}", True, QUEUED_SECONDS):
        build_open_data.enqueue()


def built_versions() -> tuple:
    """Which builds there are: part of the open data page's cache key."""
    return tuple(OpenDataExport.objects.order_by("format").values_list("format", "version"))


def available() -> list[dict]:
    """The downloads there are, for the open data page."""
    found = {
        export.format: export for export in OpenDataExport.objects.defer("data").order_by("format")
    }
    return [
        {"name": name, "format": ExportFormat(format).label, "export": found[format]}
        for name, format in FILES.items()
        if format in found
    ]


def serve(request: HttpRequest, name: str) -> HttpResponse:
    format = FILES[name]
    export = OpenDataExport.objects.filter(format=format).first()
    (version,) = versions(STORIES)
    if export is None or export.version != version:
        queue_rebuild()
    if export is None:
        response = JsonResponse(
            {"detail": "This download is being prepared: try again in a minute."}, status=503
        )
        response["Retry-After"] = "60"
        return response
    etag = f'"{format}-{export.version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(export.data), content_type="application/gzip")
        response["Content-Disposition"] = f'attachment; filename="failshare-{name}"'
    response["ETag"] = etag
    response["Last-Modified"] = _http_date(export.built_on)
    response["X-Licence"] = LICENCE
    response["X-Stories"] = str(export.stories)
    response["Cache-Control"] = "public, max-age=300"
    return response


def _http_date(day: datetime.date) -> str:
    return day.strftime("%a, %d %b %Y 00:00:00 GMT")
