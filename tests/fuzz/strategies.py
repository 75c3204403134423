"""Hostile input for every public form and query parameter."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Keys built from what visitors send must stay short and valid for every cache backend.
CACHE_KEYS_STAY_VALID = pytest.mark.filterwarnings(
    "error::django.core.cache.backends.base.CacheKeyWarning"
)


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for tests that go through the Django test client and the database."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


SCRIPT = "<script>alert(1)</script>"
# Live markup no page ever contains: if it comes out unescaped, the page would run it.
MARKUP = '<i data-fuzz="1">'

NASTY_FRAGMENTS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE confessions_confession; --",
    "' OR '1'='1",
    "\x00",
    "\u202e\u200b\ufeff",
    "%00%27%22",
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "&amp;&lt;&#0;",
    "🙂" * 50,
    "a" * 20000,
    "-1",
    "99999999999999999999",
    "1e400",
]

hostile_text = st.one_of(
    st.sampled_from(NASTY_FRAGMENTS),
    st.text(min_size=0, max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY_FRAGMENTS), st.text(max_size=40)),
)

# Hostile text that also carries MARKUP somewhere, to see it escaped wherever it is echoed.
marked_text = st.builds(
    lambda before, after: before + MARKUP + after,
    st.text(max_size=40) | st.sampled_from(NASTY_FRAGMENTS),
    st.text(max_size=40) | st.sampled_from(NASTY_FRAGMENTS),
)

any_text = st.one_of(hostile_text, marked_text)


def assert_escaped(body: str, value: str) -> None:
    """A value the page echoes back must never come out as live markup."""
    if SCRIPT in value:
        assert SCRIPT not in body
    if "onerror=alert(1)>" in value:
        assert "<img src=x onerror" not in body
    assert MARKUP not in body
