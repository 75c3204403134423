import pytest


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here reads or writes stories."""


@pytest.fixture(autouse=True)
def _no_minimum_writing_time(settings):
    """Tests post at once; the tests of the minimum time set it back on purpose."""
    settings.CONFESSION_MIN_SECONDS = 0
