"""CSRF failures and other warnings are logged without any value the client sent."""

import pytest
from django.test import Client

from tests.confessions.stories import NEW
from tests.test_logs_over_journeys import logs  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

MARKERS = {
    "HTTP_ORIGIN": "https://origin-marker-31f7.example",
    "HTTP_REFERER": "https://referer-marker-31f7.example/page?secret=query-marker-31f7",
    "HTTP_X_PROBE": "header-marker-31f7",
}


def test_a_csrf_failure_is_logged_without_origin_referer_or_headers(logs):  # noqa: F811
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(NEW, {"title": "x"}, secure=True, **MARKERS)
    assert response.status_code == 403
    logged = logs.getvalue()
    assert "Refused a request (csrf)" in logged
    assert "marker-31f7" not in logged


def test_a_refused_host_is_logged_without_the_host(logs):  # noqa: F811
    browser = Client(raise_request_exception=False)
    response = browser.get("/", HTTP_HOST="host-marker-31f7.example", **MARKERS)
    assert response.status_code == 400
    logged = logs.getvalue()
    assert "Refused a request (DisallowedHost)" in logged
    assert "marker-31f7" not in logged


def test_a_missing_page_is_logged_without_its_query_string(logs):  # noqa: F811
    Client().get("/no-such-page/?q=query-marker-31f7", **MARKERS)
    logged = logs.getvalue()
    assert "/no-such-page/" in logged
    assert "marker-31f7" not in logged
