"""Bulk downloads of the published stories, built once per version of the published set."""

from django.db import models


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON Lines"


class OpenDataExport(models.Model):
    """One bulk download, gzip-compressed, as it was at one version of the "stories" content.

    Kept in the database so every app server serves the same file (no local files). Only the
    newest of each format is kept."""

    format = models.CharField(max_length=8, choices=ExportFormat.choices, unique=True)
    version = models.BigIntegerField()
    stories = models.PositiveIntegerField()
    built_on = models.DateField()
    data = models.BinaryField()

    class Meta:
        app_label = "confessions"

    def __str__(self) -> str:
        return f"{self.get_format_display()} export at version {self.version}"
