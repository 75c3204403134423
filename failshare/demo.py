"""Demo content: each app contributes its own seeder, run in this order in one transaction.

A seeder is a function ``seed(*, bulk_confessions: int, seed: int) -> list[str]`` that adds
only what is missing (so running twice changes nothing) and returns lines to report.
Bulk stories for benchmarks come last, after the seeders (see confessions/bulk.py).
"""

from django.db import transaction
from django.utils.module_loading import import_string

from confessions import bulk

SEEDERS = ["confessions.demo.seed", "events.demo.seed"]


def seed(*, bulk_confessions: int = 0, seed: int = 1) -> list[str]:
    lines: list[str] = []
    with transaction.atomic():
        for path in SEEDERS:
            lines += import_string(path)(bulk_confessions=bulk_confessions, seed=seed)
        if bulk_confessions > 0:
            created = bulk.create_approved(bulk_confessions, seed=seed)
            lines.append(f"Bulk stories: {created} created, {bulk.bulk_count()} in all.")
    lines.append("Demo data ready.")
    return lines
