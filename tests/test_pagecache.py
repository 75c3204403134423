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


class CountingVersionReads:
    """Counts reads of page versions from the shared cache."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.reads = 0
        get_many = cache.get_many

        def counted(keys, *args, **kwargs):
            self.reads += sum(1 for key in keys if key.startswith("pagecache:version:"))
            return get_many(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", counted)


def test_a_cached_view_reads_each_version_once_however_often_it_asks(monkeypatch):
    seen = []

    @pagecache.cache_public_page("things")
    def asking_view(request):
        seen.extend(pagecache.versions("things") + pagecache.versions("things", "other"))
        return HttpResponse("page")

    counter = CountingVersionReads(monkeypatch)
    asking_view(make_request())
    assert counter.reads == 2  # "things" once (the page key), then "other" once
    assert seen[0] == seen[1] == pagecache.versions("things")[0]


def test_outside_a_cached_view_every_ask_reads_the_shared_cache(monkeypatch):
    counter = CountingVersionReads(monkeypatch)
    pagecache.versions("things")
    pagecache.versions("things")
    assert counter.reads == 2


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


class CountingReads:
    """Counts round trips that read the shared cache (a get_many is one, whatever it calls)."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.reads = 0
        self._inside = False
        for name in ("get", "get_many"):
            monkeypatch.setattr(cache, name, self._counted(getattr(cache, name)))

    def _counted(self, read):
        def counted(*args, **kwargs):
            if self._inside:
                return read(*args, **kwargs)
            self.reads += 1
            self._inside = True
            try:
                return read(*args, **kwargs)
            finally:
                self._inside = False

        return counted


def test_a_cached_page_and_its_versions_are_read_in_one_round_trip(monkeypatch):
    counted_view(make_request())
    counter = CountingReads(monkeypatch)
    assert b"<p>1</p>" in counted_view(make_request()).content
    assert counter.reads == 1


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
