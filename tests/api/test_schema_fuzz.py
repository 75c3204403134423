"""Schemathesis fuzzes the running API from its own OpenAPI schema: no 500s, and every answer
matches the schema (status codes, content types, bodies), for requests the schema allows and
for requests it does not."""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from confessions.models import Cause, Sector
from tests.confessions.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = 150


@pytest.fixture
def stories():
    for i in range(30):
        make_story(
            title=f"Supplier story {i}",
            sector=list(Sector.values)[i % len(Sector.values)],
            published_month=datetime.date(2025 + i // 12, i % 12 + 1, 1),
            tags=("procurement", f"tag-{i % 4}"),
            causes=[list(Cause.values)[i % len(Cause.values)]],
        )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_running_api_answers_as_its_schema_says(live_server, settings_for_fuzz, stories, mode):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    calls = []

    @given(case=schema.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        calls.append(case.call_and_validate().status_code)

    fuzz()
    assert len(calls) >= EXAMPLES
    assert 500 not in calls


@pytest.fixture
def settings_for_fuzz(settings):
    # The fuzzer's hundreds of requests come from one address.
    settings.API_REQUESTS_PER_MINUTE = 1_000_000
    return settings
