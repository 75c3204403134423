"""Which requests may read from the replica (failshare/dbrouter.py), decided in the process.

The real streaming replica is in tests/resilience/test_read_replica.py; here the middleware and
router are exercised on their own, so every rule has a test that fails without it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import OperationalError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.test import RequestFactory, override_settings
from django.urls import resolve

from failshare import dbrouter
from failshare.dbrouter import ReplicaReadsMiddleware, ReplicaRouter, replica_safe

ROOT = Path(__file__).resolve().parent.parent
router = ReplicaRouter()


@pytest.fixture(autouse=True)
def _replica_up():
    dbrouter._down_until = 0.0
    yield
    dbrouter._down_until = 0.0


class RecordingView:
    """A view that notes where each of its reads would go."""

    def __init__(self, *, write=False, fail_on_replica=0):
        self.seen: list[str] = []
        self.write = write
        self.fail_on_replica = fail_on_replica

    def __call__(self, request, *args, **kwargs):
        self.seen.append(router.db_for_read(User))
        if self.write:
            router.db_for_write(User)
            self.seen.append(router.db_for_read(User))
        if self.fail_on_replica and self.seen[-1] == "replica":
            self.fail_on_replica -= 1
            raise OperationalError("connection refused")
        return HttpResponse("ok")


def request_to(path: str, method: str = "get", user=None):
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    request.resolver_match = resolve(path)
    return request


def run(view, request):
    """The middleware around a view as Django's handler runs them (process_view, the view,
    process_exception on an error, rendering), inside the middleware's own call."""

    def handler(request):
        middleware.process_view(request, view, (), {})
        try:
            response = view(request)
        except Exception as error:
            response = middleware.process_exception(request, error)
            if response is None:
                raise
        if hasattr(response, "render"):
            response = response.render()
        return response

    middleware = ReplicaReadsMiddleware(handler)
    return middleware(request)


def test_an_anonymous_get_of_a_listed_view_reads_from_the_replica():
    view = RecordingView()
    assert run(view, request_to("/confessions/")).status_code == 200
    assert view.seen == ["replica"]


def test_a_head_request_reads_from_the_replica_too():
    view = RecordingView()
    run(view, request_to("/confessions/", "head"))
    assert view.seen == ["replica"]


def test_a_post_reads_from_the_primary():
    view = RecordingView()
    run(view, request_to("/confessions/", "post"))
    assert view.seen == ["default"]


@pytest.mark.django_db
def test_a_signed_in_person_reads_from_the_primary():
    view = RecordingView()
    run(view, request_to("/confessions/", user=User.objects.create_user("someone")))
    assert view.seen == ["default"]


def test_a_view_not_listed_reads_from_the_primary():
    view = RecordingView()
    run(view, request_to("/confessions/receipt/"))
    assert view.seen == ["default"]


def test_a_view_decorated_replica_safe_reads_from_the_replica_without_being_listed():
    view = replica_safe(RecordingView())
    run(view, request_to("/confessions/receipt/"))
    assert view.seen == ["replica"]


@override_settings(REPLICA_SAFE_VIEWS={"confessions:receipt"})
def test_the_list_of_views_comes_from_the_settings():
    view = RecordingView()
    run(view, request_to("/confessions/"))
    assert view.seen == ["default"]


def test_reads_after_a_write_in_the_same_request_go_to_the_primary():
    view = RecordingView(write=True)
    run(view, request_to("/confessions/"))
    assert view.seen == ["replica", "default"]


def test_outside_a_request_everything_reads_from_the_primary():
    run(RecordingView(), request_to("/confessions/"))
    assert router.db_for_read(User) == "default"
    assert router.db_for_write(User) == "default"


def test_an_unreachable_replica_means_the_view_runs_again_on_the_primary():
    view = RecordingView(fail_on_replica=1)
    assert run(view, request_to("/confessions/")).content == b"ok"
    assert view.seen == ["replica", "default"]


@override_settings(REPLICA_RETRY_SECONDS=30)
def test_after_a_failure_the_replica_is_left_alone_for_a_while():
    run(RecordingView(fail_on_replica=1), request_to("/confessions/"))
    later = RecordingView()
    run(later, request_to("/confessions/"))
    assert later.seen == ["default"]


def test_the_replica_is_tried_again_once_the_pause_is_over():
    run(RecordingView(fail_on_replica=1), request_to("/confessions/"))
    dbrouter._down_until = 0.0  # the pause has passed
    later = RecordingView()
    run(later, request_to("/confessions/"))
    assert later.seen == ["replica"]


def test_a_failure_after_a_write_is_not_hidden_by_a_retry():
    def view(request):
        router.db_for_write(User)
        raise OperationalError("the primary failed")

    with pytest.raises(OperationalError):
        run(view, request_to("/confessions/"))
    assert not dbrouter.replica_is_down()


def test_a_template_response_renders_while_reads_may_still_go_to_the_replica():
    seen = []

    def view(request):
        response = TemplateResponse(request, "503.html", {})
        response.add_post_render_callback(lambda r: seen.append(router.db_for_read(User)))
        return response

    run(view, request_to("/confessions/"))
    assert seen == ["replica"]


def test_the_router_never_migrates_the_replica():
    assert router.allow_migrate("default", "confessions")
    assert not router.allow_migrate("replica", "confessions")


def _settings_with(**env) -> str:
    script = (
        "from django.conf import settings;"
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS,"
        " settings.MIDDLEWARE[-1].rsplit('.', 1)[-1],"
        " settings.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'),"
        " settings.DATABASES.get('replica', {}).get('PORT'))"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DEBUG": "true",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/failshare",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup(); {script}"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "failshare.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_without_the_setting_there_is_no_replica_alias_router_or_middleware():
    printed = _settings_with()
    assert printed.startswith("['default'] []")
    assert "ReplicaReadsMiddleware" not in printed


def test_with_the_setting_the_replica_alias_router_and_middleware_are_added():
    printed = _settings_with(DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/failshare")
    assert printed == (
        "['default', 'replica'] ['failshare.dbrouter.ReplicaRouter'] ReplicaReadsMiddleware"
        " default 5433"
    )


def test_an_error_not_from_the_database_is_left_to_the_other_middleware():
    def view(request):
        raise ValueError("not a database error")

    with pytest.raises(ValueError):
        run(view, request_to("/confessions/"))
    assert not dbrouter.replica_is_down()
    assert router.db_for_read(User) == "default"
