import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from failshare import pagecache

FORM = engines["django"].from_string("<p>{{ n }}</p><form method=post>{% csrf_token %}</form>")
calls = {"n": 0}


@pagecache.cache_public_page("things")
def counted_view(request):
    calls["n"] += 1
    context = {"n": calls["n"], **pagecache.csrf_placeholder_context()}
    return HttpResponse(FORM.render(context, request))


def make_request(path="/things/", user=None):
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = user or AnonymousUser()
    return request


@pytest.fixture(autouse=True)
def _reset_calls():
    calls["n"] = 0


def test_it_serves_the_second_anonymous_visit_from_the_cache():
    first = counted_view(make_request()).content
    second = counted_view(make_request()).content
    assert calls["n"] == 1
    assert b"<p>1</p>" in first and b"<p>1</p>" in second


def test_each_visitor_gets_their_own_csrf_token():
    first = counted_view(make_request()).content.decode()
    second = counted_view(make_request()).content.decode()
    assert pagecache.CSRF_PLACEHOLDER not in first + second
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:64] != second.split(token)[1][:64]


def test_bumping_a_namespace_shows_the_change_at_once():
    counted_view(make_request())
    pagecache.bump("things")
    assert b"<p>2</p>" in counted_view(make_request()).content


def test_query_strings_are_cached_apart():
    counted_view(make_request("/things/?page=1"))
    assert b"<p>2</p>" in counted_view(make_request("/things/?page=2")).content


@pytest.mark.django_db
def test_signed_in_people_are_never_served_a_cached_page():
    counted_view(make_request())
    user = User.objects.create_user("a", "a@example.org", "pw-long-enough-1")
    response = counted_view(make_request(user=user))
    assert b"<p>2</p>" in response.content
    assert pagecache.CSRF_PLACEHOLDER.encode() not in response.content


def test_a_lost_version_never_brings_back_an_older_page():
    from django.core.cache import cache

    counted_view(make_request())
    pagecache.bump("things")
    assert b"<p>2</p>" in counted_view(make_request()).content
    cache.delete(pagecache._version_key("things"))
    assert b"<p>3</p>" in counted_view(make_request()).content


def version_reads(calls: list[tuple[str, list]]) -> int:
    """How many page versions were asked for together (a missing one is then made)."""
    return sum(
        key.startswith("pagecache:version:")
        for name, keys in calls
        if name == "get_many"
        for key in keys
    )


def read_round_trips(calls: list[tuple[str, list]]) -> int:
    return sum(name in ("get", "get_many") for name, _ in calls)


def test_a_cached_view_reads_each_version_once_however_often_it_asks(cache_round_trips):
    seen = []

    @pagecache.cache_public_page("things")
    def asking_view(request):
        seen.extend(pagecache.versions("things") + pagecache.versions("things", "other"))
        return HttpResponse("page")

    asking_view(make_request())
    assert version_reads(cache_round_trips) == 2  # "things" once (the page key), then "other"
    assert seen[0] == seen[1] == pagecache.versions("things")[0]


def test_outside_a_cached_view_every_ask_reads_the_shared_cache(cache_round_trips):
    pagecache.versions("things")
    pagecache.versions("things")
    assert version_reads(cache_round_trips) == 2


def test_a_bump_during_the_request_is_seen_by_the_rest_of_the_request():
    seen = []

    @pagecache.cache_public_page("things")
    def bumping_view(request):
        seen.append(pagecache.versions("things")[0])
        pagecache.bump("things")
        seen.append(pagecache.versions("things")[0])
        return HttpResponse("page")

    bumping_view(make_request())
    assert seen[1] == seen[0] + 1


def test_a_cached_page_and_its_versions_are_read_in_one_round_trip(cache_round_trips):
    counted_view(make_request())
    cache_round_trips.clear()
    assert b"<p>1</p>" in counted_view(make_request()).content
    assert read_round_trips(cache_round_trips) == 1


def test_a_page_kept_from_older_versions_is_never_served():
    from django.core.cache import cache

    counted_view(make_request())
    key = pagecache._page_key(make_request(), ("things",))
    stale = cache.get(key)
    pagecache.bump("things")
    assert b"<p>2</p>" in counted_view(make_request()).content
    # A slower request, built from the older versions, stores its page last.
    cache.set(key, stale)
    assert b"<p>3</p>" in counted_view(make_request()).content


def test_a_cached_view_inside_another_shares_its_request_s_versions():
    seen = []

    @pagecache.cache_public_page("things")
    def inner(request):
        pagecache.bump("things")
        return HttpResponse("inner")

    @pagecache.cache_public_page("things")
    def outer(request):
        seen.append(pagecache.versions("things")[0])
        inner(request)
        seen.append(pagecache.versions("things")[0])
        return HttpResponse("outer")

    outer(make_request())
    assert seen[1] == seen[0] + 1
