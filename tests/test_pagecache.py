import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from failshare import pagecache
from failshare.models import EVENTS, STORIES

pytestmark = pytest.mark.django_db

FORM = engines["django"].from_string("<p>{{ n }}</p><form method=post>{% csrf_token %}</form>")
calls = {"n": 0}


@pagecache.cache_public_page(STORIES, params=("page",))
def counted_view(request):
    calls["n"] += 1
    context = {"n": calls["n"], **pagecache.csrf_placeholder_context()}
    return HttpResponse(FORM.render(context, request))


def raise_version(*namespaces: str) -> None:
    """What the triggers do when public content changes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT failshare_bump(%s)", [list(namespaces)])


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


def test_a_new_version_shows_the_change_at_once():
    counted_view(make_request())
    raise_version(STORIES)
    assert b"<p>2</p>" in counted_view(make_request()).content


def test_a_new_version_of_another_namespace_changes_nothing():
    counted_view(make_request())
    raise_version(EVENTS)
    assert b"<p>1</p>" in counted_view(make_request()).content


def test_query_strings_are_cached_apart():
    counted_view(make_request("/things/?page=1"))
    assert b"<p>2</p>" in counted_view(make_request("/things/?page=2")).content


def test_signed_in_people_are_never_served_a_cached_page():
    counted_view(make_request())
    user = User.objects.create_user("a", "a@example.org", "pw-long-enough-1")
    response = counted_view(make_request(user=user))
    assert b"<p>2</p>" in response.content
    assert pagecache.CSRF_PLACEHOLDER.encode() not in response.content


def test_a_page_kept_from_older_versions_is_never_served():
    counted_view(make_request())
    request = make_request()
    request.page_params = ("page",)
    key = pagecache._page_key(request, (STORIES,))
    stale = pagecache.pages().get(key)
    raise_version(STORIES)
    assert b"<p>2</p>" in counted_view(make_request()).content
    # A slower request, built from the older versions, stores its page last.
    pagecache.pages().set(key, stale)
    assert b"<p>3</p>" in counted_view(make_request()).content


def test_the_page_s_own_version_is_part_of_its_key():
    page_version = {"value": 1}

    @pagecache.cache_public_page(STORIES, version_of_page=lambda request: page_version["value"])
    def view(request):
        calls["n"] += 1
        return HttpResponse(f"<p>{calls['n']}</p>")

    view(make_request("/one/"))
    assert b"<p>1</p>" in view(make_request("/one/")).content
    page_version["value"] = 2
    assert b"<p>2</p>" in view(make_request("/one/")).content


def test_a_cached_view_reads_the_versions_once_however_often_it_asks(
    django_assert_num_queries,
):
    seen = []

    @pagecache.cache_public_page(STORIES)
    def asking_view(request):
        seen.extend(pagecache.versions(STORIES) + pagecache.versions(STORIES, EVENTS))
        return HttpResponse("page")

    with django_assert_num_queries(2):  # stories once (the page key), then events
        asking_view(make_request())
    assert seen[0] == seen[1] == pagecache.versions(STORIES)[0]


def test_outside_a_cached_view_every_ask_reads_the_database(django_assert_num_queries):
    with django_assert_num_queries(2):
        pagecache.versions(STORIES)
        pagecache.versions(STORIES)


def test_a_cached_page_costs_one_query_and_one_cache_read(
    cache_round_trips, django_assert_num_queries
):
    counted_view(make_request())
    cache_round_trips.clear()
    with django_assert_num_queries(1):
        assert b"<p>1</p>" in counted_view(make_request()).content
    assert [name for name, _ in cache_round_trips] == ["get"]


def test_remembered_values_are_computed_again_after_a_change():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert pagecache.remember(STORIES, "thing", (), compute) == 1
    assert pagecache.remember(STORIES, "thing", (), compute) == 1
    raise_version(STORIES)
    assert pagecache.remember(STORIES, "thing", (), compute) == 2


def test_a_version_is_never_used_twice_even_after_a_rollback():
    from django.db import transaction

    (before,) = pagecache.versions(STORIES)
    try:
        with transaction.atomic():
            raise_version(STORIES)
            (inside,) = pagecache.versions(STORIES)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    raise_version(STORIES)
    (after,) = pagecache.versions(STORIES)
    assert before < inside < after
