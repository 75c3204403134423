"""Demo content: each app's seeder, run in this order in one transaction.

A seeder, ``seed(*, bulk_confessions: int, seed: int) -> list[str]``, adds only what is missing
(so running twice changes nothing) and returns lines to report. Bulk stories for benchmarks come
last, after the seeders, and only when asked for (see bench/bulk.py).
"""

from django.db import transaction

from confessions import demo as confessions_demo
from events import demo as events_demo


def seed(*, bulk_confessions: int = 0, seed: int = 1) -> list[str]:
    lines: list[str] = []
    with transaction.atomic():
        lines += confessions_demo.seed(bulk_confessions=bulk_confessions, seed=seed)
        lines += events_demo.seed(bulk_confessions=bulk_confessions, seed=seed)
        if bulk_confessions > 0:
            # The generator is the benchmark's: the demo site needs none of it.
            from bench import bulk

            created = bulk.create_approved(bulk_confessions, seed=seed)
            lines.append(f"Bulk stories: {created} created, {bulk.bulk_count()} in all.")
    lines.append("Demo data ready.")
    return lines
