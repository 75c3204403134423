import pytest


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here reads or writes resources."""


@pytest.fixture(autouse=True)
def _no_minimum_writing_time(settings):
    settings.CONFESSION_MIN_SECONDS = 0
