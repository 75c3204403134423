"""Demo content: each app contributes its own seeder, run in this order in one transaction.

A seeder is a function ``seed(*, bulk_confessions: int, seed: int) -> list[str]`` that adds
only what is missing (so running twice changes nothing) and returns lines to report.
"""

from django.db import transaction
from django.utils.module_loading import import_string

SEEDERS = ["confessions.demo.seed", "events.demo.seed"]


def seed(*, bulk_confessions: int = 0, seed: int = 1) -> list[str]:
    lines: list[str] = []
    with transaction.atomic():
        for path in SEEDERS:
            lines += import_string(path)(bulk_confessions=bulk_confessions, seed=seed)
    lines.append("Demo data ready.")
    return lines
