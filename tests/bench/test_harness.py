"""The benchmark's own judgement: what it sends for a form and how it reads a page's numbers."""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import run  # noqa: E402
import rush  # noqa: E402

PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken"
 value="other"><button>Sign out</button></form>
<form method="post" action="/events/a-workshop/register/">
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input type="text" name="job" value="Planner">
  <input type="checkbox" name="agree" value="yes" checked>
  <input type="checkbox" name="newsletter" value="yes">
  <textarea name="why">To learn</textarea>
  <button type="submit" name="go">Register</button>
</form>
"""


def test_it_sends_the_fields_of_the_registration_form_only():
    form = rush._FormFields("/events/a-workshop/register/")
    form.feed(PAGE)

    assert form.found
    assert form.fields == [
        ("csrfmiddlewaretoken", "token"),
        ("job", "Planner"),
        ("agree", "yes"),
        ("why", "To learn"),
    ]


def test_it_finds_no_form_on_a_page_without_one():
    form = rush._FormFields("/events/a-workshop/register/")
    form.feed("<p>Registration for this event has closed.</p>")

    assert not form.found


def _page(rps=500.0, p99=20.0, errors=0, reference=1000.0, min_ratio=0.4):
    page = run.Page("a page", "/", min_ratio)
    page.result = {"rps": rps, "p50_ms": 5.0, "p99_ms": p99, "non_2xx_3xx": errors}
    page.result["socket_errors"] = 0
    page.reference_rps = reference
    page.status = 200 if not errors else 500
    return page


@pytest.mark.parametrize(
    ("page", "outcome", "reason"),
    [
        (_page(), "PASS", ""),
        (_page(rps=300.0), "FAIL", "ratio"),
        (_page(p99=250.0), "FAIL", "p99"),
        (_page(errors=3), "FAIL", "3 errors"),
        (run.Page("a page", None, 0.4, note="no such page"), "FAIL", "missing: no such page"),
    ],
)
def test_it_fails_a_page_that_is_slow_answers_with_errors_or_is_missing(page, outcome, reason):
    got_outcome, got_reason = run.verdict(page)

    assert got_outcome == outcome
    assert got_reason.startswith(reason)


def test_it_fails_a_search_run_that_asked_a_query_twice():
    search = _page(min_ratio=0.1)
    search.queries = ["/confessions/?q=a", "/confessions/?q=b"]
    search.result["requests"] = 2
    assert run.verdict(search) == ("PASS", "")
    search.result["requests"] = 3
    assert run.verdict(search) == ("FAIL", "3 requests for 2 queries")


def test_it_judges_healthz_on_its_errors_alone():
    assert run.verdict(_page(p99=400.0, min_ratio=None)) == ("PASS", "")
    assert run.verdict(_page(errors=1, min_ratio=None))[0] == "FAIL"


def test_it_shows_pages_with_no_target_without_ever_failing_the_run():
    slow = _page(rps=10.0, p99=900.0, errors=2, min_ratio=None)
    slow.judged = False
    missing = run.Page("a page, signed in", None, None, judged=False, note="no such page")

    assert run.verdict(slow) == (
        "no target",
        "2 errors, first answer 500: see bench/out/gunicorn.log",
    )
    assert run.verdict(missing) == ("no target", "missing: no such page")
    lines, passed = run.page_table([_page(), slow, missing])
    assert passed
    assert lines[-1].endswith("| none yet | no target (missing: no such page) |")
    assert not run.page_table([_page(rps=300.0), slow])[1]


def test_it_asks_for_the_same_pages_again_as_a_signed_in_reader():
    pages = [run.Page("home", "/", 0.4), run.Page("event page", None, 0.4, note="no event")]

    signed_in = run.signed_in(pages, "sessionid=abc")

    assert [(p.name, p.path, p.min_ratio, p.judged, p.cookie) for p in signed_in] == [
        ("home, signed in", "/", None, False, "sessionid=abc"),
        ("event page, signed in", None, None, False, "sessionid=abc"),
    ]
    assert run.verdict(signed_in[1]) == ("no target", "missing: no event")


@pytest.mark.django_db
def test_it_signs_its_reader_in_with_a_session_cookie(client):
    cookie = run.signed_in_reader()

    assert run.signed_in_mark() in client.get("/", HTTP_COOKIE=cookie).content
    assert run.signed_in_mark() not in client.get("/").content


def test_it_takes_the_percentile_of_the_slowest_answers():
    latencies = [float(n) for n in range(1, 101)]

    assert run.percentile(latencies, 99) == 99.0
    assert run.percentile(latencies, 50) == 50.0
    assert run.percentile([], 99) == float("inf")


@pytest.mark.django_db
def test_it_prints_the_database_size_per_100000_stories():
    line = run.database_size_line(50_000)
    found = re.fullmatch(r"Database size: ([\d,]+) MB, ([\d,]+) MB per 100,000 stories\.", line)
    assert found, line
    total, per = (int(group.replace(",", "")) for group in found.groups())
    assert total > 0
    assert abs(per - 2 * total) <= 2
