import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here reads or writes stories."""


@pytest.fixture(autouse=True)
def _no_minimum_writing_time(settings):
    """Tests post at once; the tests of the minimum time set it back on purpose."""
    settings.CONFESSION_MIN_SECONDS = 0


@pytest.fixture
def moderator(db):
    user = User.objects.create_user(
        "moderator", "mod@example.org", "a-long-password-42", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def outsider_staff(db):
    """Staff, but not a moderator (an organiser, say)."""
    user = User.objects.create_user(
        "organiser", "org@example.org", "a-long-password-42", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
