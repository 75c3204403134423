import os
import shutil
import tempfile

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; the live server is a real thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# No time limit on each generated example: a busy machine can pause any one of them for longer
# than Hypothesis's default 200 ms. The checks of speed are tests of their own, on processor time.
hypothesis_settings.register_profile("failshare", deadline=None)
hypothesis_settings.load_profile("failshare")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_configure(config):
    # The live server serves static files from the finders, which know no hashed names;
    # the production storage is checked on its own in tests/test_static.py. This process's
    # WhiteNoise reads a folder of its own: the checkout's staticfiles/ is rewritten by the
    # collectstatic of production-settings tests running beside it.
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="failshare-static-")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_setup, django_db_blocker):
    """Every test starts with empty caches: the pages cache, and the shared one (the database
    cache without Redis, whose rows a test that commits would otherwise leave behind).

    The shared one only for tests that use the database: when none of the tests run does,
    pytest-django creates no test database, and clearing would reach the real one."""
    from django.core.cache import caches

    from tests.caches import forget_pages

    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(request.fixturenames)
    )

    def clear():
        forget_pages()
        if uses_database:
            with django_db_blocker.unblock():
                caches["default"].clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Every test starts, outside any request, in the site's default language.

    A request to a Welsh page leaves Welsh active in its thread once it has answered (each
    request sets its own language, so the site is unaffected); a test's own ``reverse()`` or
    ``get_absolute_url()`` after it would otherwise give a Welsh address."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


CACHE_ROUND_TRIPS = ("get", "get_many", "set", "set_many", "add", "incr", "delete")


@pytest.fixture
def cache_round_trips(monkeypatch):
    """The pages cache's calls as (name, keys), outermost only (get_many may call get)."""
    from django.core.cache import caches

    cache = caches["pages"]
    calls: list[tuple[str, list]] = []
    inside: list[str] = []

    def recording(name, call):
        def recorded(keys, *args, **kwargs):
            if not inside:
                calls.append((name, [keys] if isinstance(keys, str) else list(keys)))
            inside.append(name)
            try:
                return call(keys, *args, **kwargs)
            finally:
                inside.pop()

        return recorded

    for name in CACHE_ROUND_TRIPS:
        monkeypatch.setattr(cache, name, recording(name, getattr(cache, name)))
    return calls


# The people of the site, as the tests meet them.


@pytest.fixture
def reader(client):
    """Someone reading the site, signed out."""
    return client


@pytest.fixture
def writer():
    """Someone sharing a story: signed out, in a browser of their own."""
    from django.test import Client

    return Client()


@pytest.fixture
def attendee(db):
    from tests.people import make_user

    return make_user("sam.attendee@example.org", first_name="Sam", last_name="Jones")


@pytest.fixture
def attendee_client(client, attendee):
    client.force_login(attendee)
    return client


def _staff(username: str, email: str, group: str | None):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group, User

    from tests.people import give_second_factor

    user = User.objects.create_user(username, email, "a-long-password-42", is_staff=True)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
        # Staff in a group may open the admin only with a second factor (failshare/staff.py).
        user.totp_secret = give_second_factor(user)
    return user


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the second factor every superuser must have."""
    from tests.people import give_second_factor

    give_second_factor(admin_user)
    return admin_user


@pytest.fixture
def moderator(db):
    return _staff("moderator", "mod@example.org", "Moderators")


@pytest.fixture
def moderator_client(client, moderator):
    from tests.people import sign_in_with_second_factor

    sign_in_with_second_factor(client, moderator)
    return client


@pytest.fixture
def organiser(db):
    return _staff("organiser", "olu.organiser@example.org", "Organisers")


@pytest.fixture
def organiser_client(client, organiser):
    from tests.people import sign_in_with_second_factor

    sign_in_with_second_factor(client, organiser)
    return client


@pytest.fixture
def outsider_staff(db):
    """Staff, but in no group: sees the admin, and nothing in it."""
    return _staff("outsider", "out.sider@example.org", None)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        reason = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def watch_console(page) -> None:
    """Keep the page's console errors in ``page.console_errors`` as they are reported."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.console_errors = errors


def assert_no_csp_violation(page) -> None:
    violations = [text for text in page.console_errors if "Content Security Policy" in text]
    assert not violations, f"the browser reported CSP violations: {violations}"


def _new_page(browser, base_url: str):
    context = browser.new_context(base_url=base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch_console(page)
    return page


@pytest.fixture
def page(browser, live_server):
    page = _new_page(browser, live_server.url)
    yield page
    page.context.close()
    assert_no_csp_violation(page)


@pytest.fixture
def open_page(browser, live_server):
    """Opens more browsers (another person, a moderator), each with its own cookies; like
    ``page``, each fails the test on any CSP violation it reports."""
    pages = []

    def open_page():
        pages.append(_new_page(browser, live_server.url))
        return pages[-1]

    yield open_page
    for opened in pages:
        opened.context.close()
    for opened in pages:
        assert_no_csp_violation(opened)
