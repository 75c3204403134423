"""``make bench``: the pages under load with 100,000 stories (or ``STORIES``), and a registration
rush.

Every speed is a ratio of ``/healthz`` served by the same gunicorn in the same run, so a slower or
busier machine moves both sides alike. Steps: recreate the ``*_bench`` database, seed it, explain
the search query the list page runs, start gunicorn with production settings on a free loopback
port, load each page with wrk, fire the registration rush, print the table and write
``bench/results.md``. gunicorn is stopped whatever happens.
"""

import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
import rush as registration_rush
from psycopg import sql
from rush import Rush

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/failshare_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# `make bench STORIES=1000000` measures the same targets at another size.
STORIES = int(os.environ.get("STORIES") or 100_000)
# Each size keeps its own results: bench/results.md for the default, results-<stories>.md else.
DEFAULT_STORIES = 100_000
RESULTS = BENCH / ("results.md" if STORIES == DEFAULT_STORIES else f"results-{STORIES}.md")
COMMAND = "make bench" if STORIES == DEFAULT_STORIES else f"make bench STORIES={STORIES}"
WORKERS = 2
# One wrk set-up for every page. One thread is plenty for wrk and leaves the cores to the site.
THREADS, CONNECTIONS, SECONDS, WARM_SECONDS = 1, 8, 10, 2
HEALTHZ_SECONDS = 5
# Distinct search queries: more than the fastest search page answers in a run, so that none is
# asked twice and answered from the cache. At least 2,000; the mix of kinds is kept.
QUERY_MIX = {"common word": 1250, "rare word": 1500, "two words": 1750, "no result": 1000}
SEARCH_QUERIES, WARM_QUERIES = 5_000, 100  # measured (at least), and used only to warm up
RUSH_USERS, RUSH_PLACES = 500, 40

P99_LIMIT_MS = 250.0
SEARCH_DB_LIMIT_MS = 50.0
RUSH_MIN_RATIO, RUSH_P99_LIMIT_MS = 0.1, 2_000.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- environment -------------------------------------------------------------------------------


def site_environment(port: int) -> dict[str, str]:
    """Production settings served over plain HTTP on loopback (see README, "Configuration")."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "failshare.settings",
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": REDIS_URL,
        # Persistent: a connection outlives the whole run.
        "CONN_MAX_AGE": "3600",
        "LOG_LEVEL": "WARNING",
        # As in production: emails are queued in the database for the worker (not run here).
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database() -> None:
    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1") or not name.endswith("_bench"):
        sys.exit(f"refusing to drop {name!r}: the benchmark database must be local and *_bench")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        sys.exit(f"PostgreSQL is not answering at {parts.hostname}:{parts.port or 5432}")
    with admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def vacuum_database() -> None:
    """What autovacuum would soon do after a bulk load: statistics, visibility map, and the GIN
    index's pending list merged, so the pages are measured in their steady state. Then the load
    is written out to disk (a checkpoint, and the kernel's dirty pages), so that its writing
    does not take the cores from the measurements that follow."""
    with psycopg.connect(DATABASE_URL, autocommit=True, connect_timeout=5) as connection:
        connection.execute("VACUUM (ANALYZE)")
        connection.execute("CHECKPOINT")
    os.sync()


def flush_redis() -> None:
    redis.Redis.from_url(REDIS_URL, socket_timeout=3).flushdb()


def manage(env: dict[str, str], *args: str, timeout: int = 600) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )
    return time.monotonic() - started


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- what to measure ---------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str | None  # None when the page does not exist yet
    min_ratio: float | None  # None for the reference itself and for pages with no target
    judged: bool = True  # False: shown for information, with no target yet
    cookie: str = ""  # sent with every request: a signed-in reader's session
    queries: list[str] = field(default_factory=list)
    warm_queries: list[str] = field(default_factory=list)
    note: str = ""  # why it is missing or failed
    detail: str = ""  # what was measured, for the table
    status: int | None = None
    result: dict | None = None
    reference_rps: float | None = None  # /healthz around this page


def route_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(urllib.parse.urlsplit(path).path)
    except Resolver404:
        return False
    return True


def story_path() -> str | None:
    from confessions.models import Confession

    story = Confession.objects.published().order_by("id")[STORIES // 2 : STORIES // 2 + 1].first()
    return story.get_absolute_url() if story else None


def filtered_list_path() -> tuple[str | None, str]:
    """The most used tag on stories, with the sector that has most stories under it."""
    from django.db.models import Count

    from confessions.models import Confession, TaggedStory

    row = (
        TaggedStory.objects.filter(content_object__in=Confession.objects.published())
        .values("tag__slug")
        .annotate(uses=Count("id"))
        .order_by("-uses")
        .first()
    )
    if row is None:
        return None, "no tagged story"
    tag = row["tag__slug"]
    sector = (
        Confession.objects.published()
        .filter(tags__slug=tag)
        .values("sector")
        .annotate(stories=Count("id"))
        .order_by("-stories")
        .first()["sector"]
    )
    matches = Confession.objects.published().filter(sector=sector, tags__slug=tag).count()
    query = urllib.parse.urlencode({"sector": sector, "tag": tag})
    return f"/confessions/?{query}", f"{matches} stories"


def event_path(*, exclude_slug: str) -> tuple[str | None, str]:
    from django.apps import apps

    try:
        event_model = apps.get_model("events", "Event")
    except LookupError:
        return None, "no Event model"
    events = event_model.objects.exclude(slug=exclude_slug)
    upcoming = getattr(events, "upcoming", None)
    event = (upcoming() if callable(upcoming) else events).order_by("pk").first()
    if event is None:
        return None, "no event in the demo data"
    return event.get_absolute_url(), ""


# --- the search query set ----------------------------------------------------------------------


def word_frequencies() -> dict[str, int]:
    """Words as people write them, from a sample of stories, with the number of stories that
    match each one (the document frequency of its lexeme over all approved stories)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat("
            "'SELECT search_vector FROM confessions_confession WHERE status = ''approved''')"
        )
        ndoc = dict(cursor.fetchall())
        cursor.execute(
            "SELECT concat_ws(' ', title, what_happened, what_went_wrong, what_we_learned, "
            "what_we_would_do_differently) FROM confessions_confession "
            "TABLESAMPLE BERNOULLI (5) REPEATABLE (1) WHERE status = 'approved'"
        )
        forms = sorted(
            {word for (text,) in cursor.fetchall() for word in re.findall(r"[a-z]{3,}", text)}
        )
        cursor.execute(
            "SELECT form, lexeme FROM unnest(%s::text[]) AS form "
            "CROSS JOIN LATERAL unnest(to_tsvector('english', form))",
            [forms],
        )
        return {form: ndoc.get(lexeme, 0) for form, lexeme in cursor.fetchall()}


def no_result_queries(candidates: list[str]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT q FROM unnest(%s::text[]) AS q WHERE NOT EXISTS (SELECT 1 FROM "
            "confessions_confession c WHERE c.search_vector @@ plainto_tsquery('english', q))",
            [candidates],
        )
        return [row[0] for row in cursor.fetchall()]


def search_queries(
    frequency: dict[str, int], stories: int
) -> tuple[list[str], dict[str, list[str]]]:
    """Distinct queries in the proportions of QUERY_MIX: common words, rare words, two-word
    queries and queries that find nothing (typing mistakes and pairs of words never found
    together)."""
    rng = random.Random(6)
    ranked = sorted((w for w in frequency if frequency[w]), key=lambda w: (-frequency[w], w))
    common = [w for w in ranked if frequency[w] >= stories / 100]
    rare = [w for w in ranked if frequency[w] < stories / 100]
    kinds = {
        "common word": rng.sample(common, min(QUERY_MIX["common word"], len(common))),
        "rare word": rng.sample(rare, min(QUERY_MIX["rare word"], len(rare))),
    }
    pairs: set[str] = set()
    for _ in range(50 * QUERY_MIX["two words"]):
        if len(pairs) >= QUERY_MIX["two words"]:
            break
        pairs.add(f"{rng.choice(common)} {rng.choice(ranked)}")
    kinds["two words"] = sorted(pairs)
    wanted = QUERY_MIX["no result"]
    typos = []
    for word in rng.sample(ranked, min(wanted * 3 // 2, len(ranked))):
        at = rng.randrange(1, len(word) - 1)
        typos.append(word[:at] + word[at + 1] + word[at] + word[at + 2 :])
    rare_pairs = [f"{rng.choice(rare)} {rng.choice(rare)}" for _ in range(wanted * 3 // 4)]
    kinds["no result"] = no_result_queries(sorted(set(typos + rare_pairs)))[:wanted]
    queries = list(dict.fromkeys(q for group in kinds.values() for q in group))
    rng.shuffle(queries)
    return queries, kinds


def search_path(query: str) -> str:
    return "/confessions/?" + urllib.parse.urlencode({"q": query})


# --- item 2: the database's view of search -----------------------------------------------------


@dataclass
class Explained:
    word: str
    stories: int
    judged: bool = True  # False: shown for information, outside the targets
    status: int | None = None
    plans: list[tuple[float, float, bool, str]] = field(default_factory=list)  # exec, plan, gin
    note: str = ""

    @property
    def total_ms(self) -> float:
        return sum(execution + planning for execution, planning, _, _ in self.plans)

    @property
    def passed(self) -> bool:
        return bool(self.plans) and self.total_ms < SEARCH_DB_LIMIT_MS


def explain_search(word: str, stories: int, *, judged: bool = True) -> Explained:
    """EXPLAIN (ANALYZE, BUFFERS) the queries the list page really runs for ``?q=word``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    explained = Explained(word, stories, judged)
    if not route_exists("/confessions/"):
        explained.note = "missing: /confessions/ does not exist yet"
        return explained
    with CaptureQueriesContext(connection) as captured:
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        response = client.get("/confessions/", {"q": word})
    explained.status = response.status_code
    # The match itself (@@) and whatever else works on the query, such as highlighting.
    searches = [q["sql"] for q in captured.captured_queries if "tsquery" in q["sql"]]
    if not searches:
        explained.note = "the list page ran no full-text query for ?q="
    for query in searches:
        with connection.cursor() as cursor:
            for _ in range(2):  # the second run is the one reported: caches warm, as in use
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query)
                plan = "\n".join(row[0] for row in cursor.fetchall())
        execution = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
        planning = float(re.search(r"Planning Time: ([\d.]+) ms", plan).group(1))
        explained.plans.append(
            (execution, planning, "confession_search_gin" in plan, query + "\n\n" + plan)
        )
    return explained


# --- the server and the load -------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], port: int):
        self.env, self.port, self.process = env, port, None
        self.log_path = OUT / "gunicorn.log"

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "failshare.wsgi", "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", "30"]
        command += ["--graceful-timeout", "5", "--error-logfile", "-"]
        with open(self.log_path, "w") as log_file:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log_path}")
            if get(self.port, "/healthz")[0] == 200:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def get(port: int, path: str, headers: dict | None = None) -> tuple[int | None, bytes, list]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheaders()
    except OSError:
        return None, b"", []
    finally:
        connection.close()


def wrk(port: int, page: Page, seconds: int, paths: list[str] | None = None) -> dict | None:
    env = dict(os.environ)
    if paths:
        queries_file = OUT / f"paths-{page.name.replace(' ', '-')}-{seconds}s.txt"
        queries_file.write_text("\n".join(paths) + "\n")
        env["BENCH_QUERIES"] = str(queries_file)
    else:
        env.pop("BENCH_QUERIES", None)
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s"]
    if page.cookie:
        command += ["-H", f"Cookie: {page.cookie}"]
    command += ["-s", str(BENCH / "wrk.lua"), f"http://127.0.0.1:{port}{page.path}"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        page.note = "wrk did not finish"
        return None
    match = re.search(r"^BENCH_RESULT (\{.*\})$", run.stdout, re.M)
    if not match:
        page.note = f"wrk failed: {(run.stderr or run.stdout).strip()[:200]}"
        return None
    return json.loads(match.group(1))


def measure(port: int, page: Page) -> None:
    if page.path is None:
        return
    headers = {"Cookie": page.cookie} if page.cookie else None
    page.status, body, _ = get(port, page.queries[0] if page.queries else page.path, headers)
    log(f"wrk {page.name}: {page.path} (first answer {page.status})")
    if page.cookie and signed_in_mark() not in body:
        page.note = "the page did not show the reader as signed in"
        return
    wrk(port, page, WARM_SECONDS, page.warm_queries or None)
    page.result = wrk(port, page, SECONDS, page.queries or None)


def measure_all(port: int, pages: list[Page]) -> Page:
    """Measure each page between two runs of /healthz and take the mean of those two as its
    reference, so that a machine growing busier or quieter during the run moves both alike."""
    healthz = Page("/healthz", "/healthz", None)
    samples: list[dict] = []

    def sample() -> float | None:
        result = wrk(port, healthz, HEALTHZ_SECONDS)
        if result:
            samples.append(result)
        return result["rps"] if result else None

    log("wrk /healthz, the reference, before and after every page")
    wrk(port, healthz, WARM_SECONDS)
    before = sample()
    for page in pages:
        if page.path is None:
            continue
        measure(port, page)
        after = sample()
        around = [rps for rps in (before, after) if rps]
        page.reference_rps = statistics.mean(around) if around else None
        before = after
    if samples:
        rates = [s["rps"] for s in samples]
        healthz.result = {
            "rps": statistics.mean(rates),
            "p50_ms": statistics.median(s["p50_ms"] for s in samples),
            "p99_ms": max(s["p99_ms"] for s in samples),
            "non_2xx_3xx": sum(s["non_2xx_3xx"] for s in samples),
            "socket_errors": sum(s["socket_errors"] for s in samples),
        }
        healthz.reference_rps = healthz.result["rps"]
        spread = f"{min(rates):.0f} to {max(rates):.0f} req/s"
        healthz.detail = f"{len(samples)} runs of {HEALTHZ_SECONDS} s, {spread}"
    return healthz


# --- verdicts and the report -------------------------------------------------------------------


def verdict(page: Page) -> tuple[str, str]:
    """PASS or FAIL and why; "no target" for a page shown for information, with anything wrong
    as the reason."""
    reasons = problems(page)
    if not page.judged:
        return "no target", ", ".join(reasons)
    return ("FAIL", ", ".join(reasons)) if reasons else ("PASS", "")


def problems(page: Page) -> list[str]:
    if page.path is None:
        return ["missing" + (f": {page.note}" if page.note else "")]
    result = page.result
    if result is None:
        return [page.note or "no result"]
    reasons = []
    if page.queries and result["requests"] > len(page.queries):
        # Past the end of the list a query comes round again, answered from the cache.
        reasons.append(f"{result['requests']} requests for {len(page.queries)} queries")
    errors = result["non_2xx_3xx"] + result["socket_errors"]
    if errors:
        reasons.append(f"{errors} errors, first answer {page.status}: see bench/out/gunicorn.log")
    # /healthz is the yardstick, not a page with targets: only its errors count.
    if page.min_ratio is not None and result["p99_ms"] >= P99_LIMIT_MS:
        reasons.append("p99")
    if page.min_ratio is not None and (
        not page.reference_rps or result["rps"] / page.reference_rps < page.min_ratio
    ):
        reasons.append("ratio")
    return reasons


def page_table(pages: list[Page]) -> tuple[list[str], bool]:
    lines = [
        "| page | path | req/s | p50 ms | p99 ms | × /healthz | target | result |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    all_passed = True
    for page in pages:
        outcome, reason = verdict(page)
        if page.judged:
            all_passed &= outcome == "PASS"
        target = f"≥ {page.min_ratio}×, p99 < {P99_LIMIT_MS:.0f} ms, no errors"
        if not page.judged:
            target = "none yet"
        elif page.min_ratio is None:
            target = "the reference: no errors"
        shown_path = f"`{page.path}`" if page.path else "—"
        if page.queries:
            shown_path = f"`/confessions/?q=…` ({len(page.queries)} queries)"
        if page.detail and page.path:
            shown_path += f" ({page.detail})"
        r = page.result
        if r:
            ratio = f"{r['rps'] / page.reference_rps:.2f}" if page.reference_rps else "—"
            numbers = f"{r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {ratio}"
        else:
            numbers = "— | — | — | —"
        result = outcome + (f" ({reason})" if reason else "")
        lines.append(f"| {page.name} | {shown_path} | {numbers} | {target} | {result} |")
    return lines, all_passed


def explain_lines(explained: list[Explained]) -> tuple[list[str], bool]:
    lines = [
        "| search | stories matching | SQL query | execution ms | planning ms | GIN index used "
        "| target | result |",
        "|---|---:|---|---:|---:|---|---|---|",
    ]
    passed = True
    for item in explained:
        if item.judged:
            passed &= item.passed
        if not item.plans:
            lines.append(
                f"| {item.word} | {item.stories} | — | — | — | — | < 50 ms | FAIL ({item.note}) |"
            )
            continue
        for number, (execution, planning, gin, _) in enumerate(item.plans, 1):
            lines.append(
                f"| {item.word} | {item.stories} | {number} of {len(item.plans)} | "
                f"{execution:.1f} | {planning:.1f} | {'yes' if gin else 'no'} | | |"
            )
        outcome = "PASS" if item.passed else "FAIL"
        if not item.judged:
            side = "under" if item.passed else "over"
            outcome = f"{side}; for information: the slowest search timed below"
        lines.append(
            f"| {item.word} | {item.stories} | all, planning included | "
            f"{item.total_ms:.1f} | | | < 50 ms | {outcome} |"
        )
    return lines, passed


def rush_lines(rush: Rush, reference_rps: float | None) -> tuple[list[str], bool]:
    lines = ["| measure | value | target | result |", "|---|---:|---|---|"]
    if rush.path is None or rush.confirmed is None:
        lines.append(f"| registration rush | missing | — | FAIL ({rush.note or 'missing'}) |")
        return lines, False
    rps = RUSH_USERS / rush.seconds if rush.seconds else 0.0
    ratio = rps / reference_rps if reference_rps else 0.0
    p50 = statistics.median(rush.latencies_ms) if rush.latencies_ms else float("inf")
    p99 = percentile(rush.latencies_ms, 99)
    rows = [
        ("confirmed", rush.confirmed, f"= {RUSH_PLACES}", rush.confirmed == RUSH_PLACES),
        (
            "waiting",
            rush.waiting,
            f"= {RUSH_USERS - RUSH_PLACES}",
            rush.waiting == RUSH_USERS - RUSH_PLACES,
        ),
        ("waiting list in arrival order", rush.order_note, "yes", bool(rush.in_order)),
        ("failed", rush.failed, "= 0", rush.failed == 0),
        ("registrations/s", f"{rps:.0f}", "", True),
        ("× /healthz", f"{ratio:.3f}", f"≥ {RUSH_MIN_RATIO}×", ratio >= RUSH_MIN_RATIO),
        ("p50 ms", f"{p50:.0f}", "", True),
        ("p99 ms", f"{p99:.0f}", f"< {RUSH_P99_LIMIT_MS:.0f}", p99 < RUSH_P99_LIMIT_MS),
    ]
    passed = True
    for name, value, target, ok in rows:
        result = ("PASS" if ok else "FAIL") if target else ""
        passed &= ok
        lines.append(f"| {name} | {value} | {target} | {result} |")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(rush.statuses.items()))
    lines.append(f"\nAnswers to the {RUSH_USERS} attendees: {statuses}.")
    lines.append(
        "Arrival order is the order in which the server took the requests (the registrations' "
        "creation), compared with the waiting list as the events app orders it; the first "
        f"{RUSH_PLACES} to arrive must hold the places."
    )
    if rush.client_agreement is not None:
        lines.append(
            "Rank correlation between the order the answers reached the clients and the "
            f"server's order: {rush.client_agreement:.2f} (for information)."
        )
    return lines, passed


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("inf")
    ordered = sorted(values)  # nearest rank
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)]


def machine(load_at_start: tuple[float, float, float]) -> str:
    cpu = "unknown processor"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in load_at_start)
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average before the run "
        f"{load} (other work on the machine shows as spread in the `/healthz` runs)"
    )


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def database_size_line(stories: int) -> str:
    """The benchmark database's size on disk, and that size per 100,000 stories."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        megabytes = cursor.fetchone()[0] / 1_000_000
    per = megabytes * 100_000 / max(stories, 1)
    return f"Database size: {megabytes:,.0f} MB, {per:,.0f} MB per 100,000 stories."


# --- the run -----------------------------------------------------------------------------------


def prepare_database(env: dict[str, str]) -> float:
    """A fresh benchmark database with the demo data and the bulk stories; the seconds seeding
    took."""
    log("recreating the benchmark database")
    recreate_database()
    manage(env, "migrate", "--noinput", "-v0")
    # About a minute per 100,000 stories on a two-core machine: ten minutes' margin on that.
    seed_limit = 600 + STORIES * 60 // 100_000
    seed_seconds = manage(env, "seed_demo", "--confessions", str(STORIES), timeout=seed_limit)
    log(f"seeded the demo data and {STORIES} stories in {seed_seconds:.0f} s")
    manage(env, "collectstatic", "--noinput", "-v0")
    vacuum_database()
    return seed_seconds


def explain_common_and_rare(frequency: dict[str, int], stories: int) -> list[Explained]:
    """The most common word, and a word in one story in 500 to 2,000."""
    ranked = sorted(frequency, key=lambda w: (-frequency[w], w))
    common = ranked[0]
    rare = next(
        (w for w in reversed(ranked) if stories / 2000 <= frequency[w] <= stories / 500),
        ranked[-1],
    )
    log(f"explaining the search for {common!r} and {rare!r}")
    flush_redis()  # so that the requests are not answered from a cached page
    explained = [explain_search(w, frequency[w]) for w in (common, rare)]
    flush_redis()
    return explained


def search_by_kind(kinds: dict[str, list[str]], sample: int = 10) -> tuple[list[str], str | None]:
    """Server time of the search page for a few queries of each kind, uncached, in this
    process: where the search row's time goes. Also the slowest query found."""
    from django.test import Client

    if not route_exists("/confessions/"):
        return [], None
    slowest_of_all = (0.0, None)
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.get("/confessions/", {"q": "warm up"})  # templates and imports load once
    lines = ["| kind of query | queries timed | median ms | slowest ms | slowest query |"]
    lines.append("|---|---:|---:|---:|---|")
    for kind, queries in kinds.items():
        timed = []
        for query in queries[:sample]:
            begun = time.perf_counter()
            client.get("/confessions/", {"q": query})
            timed.append(((time.perf_counter() - begun) * 1000, query))
        if timed:
            slowest = max(timed)
            slowest_of_all = max(slowest_of_all, slowest, key=lambda pair: pair[0])
            median = statistics.median(t for t, _ in timed)
            lines.append(
                f"| {kind} | {len(timed)} | {median:.1f} | {slowest[0]:.1f} | `{slowest[1]}` |"
            )
    flush_redis()
    return lines, slowest_of_all[1]


def matching_stories(query: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM confessions_confession WHERE status = 'approved' "
            "AND search_vector @@ websearch_to_tsquery('english', %s)",
            [query],
        )
        return cursor.fetchone()[0]


def signed_in_reader() -> str:
    """The Cookie header of a reader with a verified address, signed in as the rush's
    attendees are."""
    from django.conf import settings

    (reader,) = registration_rush.verified_users(1, name="reader")
    return f"{settings.SESSION_COOKIE_NAME}={registration_rush.signed_in_session(reader)}"


def signed_in_mark() -> bytes:
    """What only a signed-in reader's page carries: the sign-out form."""
    from django.urls import reverse

    return f'action="{reverse("account_logout")}"'.encode()


def signed_in(pages: list[Page], cookie: str) -> list[Page]:
    """The same pages for a signed-in reader, whom the page cache never serves: shown as
    ratios, with no target yet."""
    return [
        Page(
            f"{page.name}, signed in",
            page.path,
            None,
            judged=False,
            cookie=cookie,
            note=page.note,
            detail=page.detail,
        )
        for page in pages
    ]


def pages_to_measure(queries: list[str], reader: str) -> list[Page]:
    list_exists = route_exists("/confessions/")
    filtered, filtered_note = filtered_list_path() if list_exists else (None, "")
    event, event_note = event_path(exclude_slug=registration_rush.RUSH_SLUG)
    searches = [search_path(q) for q in queries]
    search = Page(
        "search",
        searches[WARM_QUERIES] if list_exists else None,
        0.1,
        queries=searches[WARM_QUERIES:],
        warm_queries=searches[:WARM_QUERIES],
    )
    if len(search.queries) < SEARCH_QUERIES:
        search.path = None
        search.note = f"only {len(search.queries)} distinct queries could be made"
    anonymous = [
        Page("home", "/", 0.4),
        Page("list page 1", "/confessions/" if list_exists else None, 0.4),
        Page("list page 2,000", "/confessions/?page=2000" if list_exists else None, 0.2),
        Page("filtered list", filtered, 0.4, detail=filtered_note),
        Page("story page", story_path(), 0.4),
        Page("event page", event, 0.4, note=event_note),
        Page("insights", "/insights/" if route_exists("/insights/") else None, 0.4),
    ]
    for page in [*anonymous, search]:
        if page.path is None and not page.note:
            page.note = "the page does not exist yet"
    return [*anonymous, search, *signed_in(anonymous, reader)]


def main() -> int:
    if STORIES < 1:
        sys.exit(f"STORIES must be a positive number of stories, not {STORIES}")
    started, load_at_start = time.monotonic(), os.getloadavg()
    OUT.mkdir(exist_ok=True)
    port = free_port()
    env = site_environment(port)
    flush_redis()
    seed_seconds = prepare_database(env)
    setup_django(env)

    from confessions.models import Confession

    stories = Confession.objects.published().count()
    log("building the search query set from the corpus")
    frequency = word_frequencies()
    queries, query_kinds = search_queries(frequency, stories)
    explained = explain_common_and_rare(frequency, stories)
    by_kind, slowest = search_by_kind(query_kinds)
    if slowest:
        # For information: the target is set on the most common and a rare word.
        explained.append(explain_search(slowest, matching_stories(slowest), judged=False))
        flush_redis()
    rush = registration_rush.prepare(users=RUSH_USERS, places=RUSH_PLACES)
    pages = pages_to_measure(queries, signed_in_reader())

    server = Server(env, port)
    try:
        log(f"starting gunicorn ({WORKERS} workers) on 127.0.0.1:{port}")
        server.start()
        healthz = measure_all(port, pages)
        if rush.path:
            log(f"registration rush: {RUSH_USERS} attendees, {RUSH_PLACES} places")
            registration_rush.fire(rush, port)
    finally:
        server.stop()

    report = write_report(
        [healthz, *pages],
        healthz.reference_rps,
        explained,
        rush,
        stories=stories,
        seed_seconds=seed_seconds,
        query_kinds=query_kinds,
        search_by_kind=by_kind,
        query_count=len(queries) - WARM_QUERIES,
        started=started,
        load_at_start=load_at_start,
    )
    print("\n".join(report["text"]))
    log(f"wrote {RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")
    return 0 if report["passed"] else 1


def write_report(
    pages: list[Page],
    reference_rps: float | None,
    explained: list[Explained],
    rush: Rush,
    *,
    stories: int,
    seed_seconds: float,
    query_kinds: dict[str, list[str]],
    search_by_kind: list[str],
    query_count: int,
    started: float,
    load_at_start: tuple[float, float, float],
) -> dict:
    table, pages_passed = page_table(pages)
    explain_table, explain_passed = explain_lines(explained)
    rush_table, rush_passed = rush_lines(rush, reference_rps)
    kinds_text = ", ".join(f"{len(group)} {kind}" for kind, group in query_kinds.items())
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    passed = pages_passed and explain_passed and rush_passed
    text = [
        "# Benchmark results",
        "",
        f"Run on {now}, {time.monotonic() - started:.0f} s in all, by `{COMMAND}`.",
        f"Machine: {machine(load_at_start)}; PostgreSQL {postgres_version()}; Redis cache.",
        f"Data: {stories:,} approved stories and the demo events, from "
        f"`seed_demo --confessions {STORIES}` in {seed_seconds:.0f} s.",
        database_size_line(stories),
        f"Server: gunicorn, {WORKERS} sync workers, production settings (DEBUG off, whitenoise, "
        "persistent database connections), on loopback.",
        f"Load: wrk, {THREADS} thread(s), {CONNECTIONS} connections, {SECONDS} s per page after "
        f"a {WARM_SECONDS} s warm-up. Each page's ratio is to the mean of the `/healthz` runs "
        "just before and just after it; the rush's to the mean of them all.",
        "",
        "The database is vacuumed and analysed after seeding, as autovacuum soon would, and "
        "the load is written out to disk (CHECKPOINT, sync) before anything is measured.",
        "",
        "## Pages",
        "",
        *table,
        "",
        'The pages marked "signed in" are the same pages for a reader signed in with a '
        "verified address, whom the page cache never serves; they have no target yet and do "
        "not count toward the overall result.",
        "",
        f"Search goes through {query_count} distinct queries taken from the stories "
        f"({kinds_text}), more than it is asked in its run, so that no query is asked twice "
        f"and answered from the cache; a further {WARM_QUERIES} warm the server up.",
        "",
        "## Search at the database",
        "",
        "`EXPLAIN (ANALYZE, BUFFERS)` of every full-text query that the list page runs for "
        f"`?q=` (taken from the view), at {stories:,} stories, second run of each; the target "
        "applies to their sum. The plans are at the end of `bench/results.md`.",
        "",
        *explain_table,
        "",
        "The search page's own time for the first few queries of each kind, uncached, "
        "through Django's test client in the benchmark process (for finding where time goes):",
        "",
        *(search_by_kind or ["(no search page yet)"]),
        "",
        "## Registration rush",
        "",
        f"{RUSH_USERS} signed-in attendees with verified addresses register at once for one "
        f"event with {RUSH_PLACES} places and no questions; each POST on its own connection.",
        "",
        *rush_table,
        "",
        "## Why two workers",
        "",
        "The machine has two cores, shared by gunicorn, PostgreSQL, Redis and wrk itself, and "
        "two sync workers is also the set-up of the naive-build figures the targets were set "
        "against, so the two can be compared. A third worker, tried on the same code "
        "(2026-11-29, one run each), made no page faster where it counts: search answered 217 "
        "requests a second against 230 with two, the registration rush 351 registrations a "
        "second (p99 1.4 s) against 384 (p99 1.3 s), and `/healthz` 1,930 against 2,053; the "
        "cached pages gained a few per cent. Each search or registration waits on PostgreSQL "
        "and Redis only for a few short round trips, so a third worker mostly takes turns on "
        "the same two cores. Earlier runs with three or four workers, and with two workers of "
        "four threads each, were no faster either.",
        "",
        f"Overall: {'PASS' if passed else 'FAIL'}.",
        "",
        "## Query plans",
        "",
    ]
    for item in explained:
        for number, (_, _, _, plan) in enumerate(item.plans, 1):
            text += [f"`{item.word}`, query {number}:", "", "```", plan, "```", ""]
    RESULTS.write_text("\n".join(text).rstrip() + "\n")
    return {"text": text[: text.index("## Query plans")], "passed": passed}


def _stop_on_signal(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    sys.exit(main())
