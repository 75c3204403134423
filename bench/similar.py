"""Which finds better "Has this happened before?" matches on the demo stories: the site's full-text
measure (``confessions.search.similar``) or pg_trgm trigram similarity.

Each published demo story stands in for a draft: its title and four sections (not its causes and
topics, which the form also sends: they are what the matches are judged by). Each measure finds
the five other published stories most like it: the site's own, and pg_trgm's ``similarity`` and
``word_similarity`` of the draft to the stories' title and sections. A story found is relevant
when it shares a cause or a tag with the draft's story. Printed per measure: precision@5 (the
share of all the stories found that are relevant, and that are of the same sector), the stories
found per draft and the median time per draft; "chance" is what five picked at random score.

Run ``.venv/bin/python bench/similar.py``. It recreates its own database (the environment's
BENCH_SIMILAR_DATABASE_URL, else failshare_similar on the local server), migrates it, seeds the
demo data without bulk stories, adds pg_trgm to that database alone, and drops it at the end.
"""

import io
import os
import statistics
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_URL = os.environ.get(
    "BENCH_SIMILAR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/failshare_similar"
)
FOUND = 5
REPEATS = 5  # each draft's time is the median of this many runs


def admin(statement: str) -> None:
    """Run a statement about our database on the server's ``postgres`` database."""
    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1") or not name.endswith("_similar"):
        sys.exit(f"refusing to drop {name!r}: the database must be local and *_similar")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


def setup() -> None:
    """A fresh database with the demo data, and Django set up on it."""
    admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    admin("CREATE DATABASE {}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="failshare.settings",
        DATABASE_URL=DATABASE_URL,
        DEBUG="true",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def measures():
    """(name, find) for each measure: find(story) gives the ids of up to FOUND other stories."""
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
    from django.db.models import TextField, Value
    from django.db.models.functions import Concat

    from confessions import search
    from confessions.forms import ConfessionForm
    from confessions.models import Confession

    # The title and sections a draft has, one to a line, as ``Confession.full_text`` joins them.
    parts = (part for name in ConfessionForm.TEXT_FIELDS for part in (name, Value("\n")))
    text = Concat(*parts, output_field=TextField())

    def site(story):
        return search.similar(story.title, story.full_text(), limit=FOUND, exclude_id=story.id)

    def trigram(score):
        def find(story):
            draft = f"{story.title}\n{story.full_text()}"
            others = Confession.objects.published().exclude(id=story.id)
            ranked = others.annotate(score=score(draft)).order_by("-score", "id")
            return list(ranked.values_list("id", flat=True)[:FOUND])

        return find

    return [
        ("full-text (the site's)", site),
        ("trigram similarity", trigram(lambda draft: TrigramSimilarity(text, draft))),
        ("trigram word_similarity", trigram(lambda draft: TrigramWordSimilarity(draft, text))),
    ]


def main() -> None:
    setup()
    from django.db import connection, connections

    from confessions.models import Confession

    stories = list(Confession.objects.published().prefetch_related("tags").order_by("id"))
    # A story found is relevant when it shares a cause or a tag (the causes are text, the tags
    # their ids), and also counted: when it is of the same sector.
    topics = {s.id: {*s.causes, *(tag.id for tag in s.tags.all())} for s in stories}
    sectors = {s.id: s.sector for s in stories}
    tests = (lambda a, b: bool(topics[a] & topics[b]), lambda a, b: sectors[a] == sectors[b])

    def shares(pairs: list[tuple[int, int]]) -> list[str]:
        """The share of (draft's story, story found) ``pairs`` passing each test, and the count."""
        passing = [sum(test(*pair) for pair in pairs) for test in tests]
        return [f"{n / len(pairs):.2f} ({n} of {len(pairs)})" for n in passing]

    rows = []
    for name, find in measures():
        pairs, times = [], []  # (draft's story, story found), and each draft's time
        for story in stories:
            runs = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                found = find(story)
                runs.append((time.perf_counter() - started) * 1000)
            times.append(statistics.median(runs))
            pairs += [(story.id, other) for other in found]
        rows.append((name, *shares(pairs), len(pairs) / len(stories), statistics.median(times)))
    # Five picked at random score, on average, as all the (draft's story, other story) pairs.
    everything = [(s.id, o.id) for s in stories for o in stories if o is not s]
    rows.append(("chance (any 5 others)", *shares(everything), FOUND, None))

    version = f"PostgreSQL {connection.pg_version // 10000}"
    connections.close_all()
    admin("DROP DATABASE {} WITH (FORCE)")

    print(f"{datetime.now(UTC).date()}: {len(stories)} published demo stories, {version}\n")
    print("| measure | precision@5 (cause or tag) | same sector | found per draft | ms per draft |")
    print("|---|---:|---:|---:|---:|")
    for name, precision, sector, found, ms in rows:
        timing = "–" if ms is None else f"{ms:.1f}"
        print(f"| {name} | {precision} | {sector} | {found:.1f} | {timing} |")


if __name__ == "__main__":
    main()
