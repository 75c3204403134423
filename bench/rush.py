"""The registration rush: many signed-in attendees register for one small event at the same moment.

Each attendee first GETs the registration form for its CSRF token and fields; then every
attendee's connection is opened and every POST sent at once, each on its own connection.
The outcome is read back from the database: who got a place, who waits, and whether the line is
in the order the server took the requests.
"""

import http.client
import selectors
import socket
import statistics
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from importlib import import_module

RUSH_SLUG = "registration-rush"
TIMEOUT = 60  # seconds for any one connection or form
PHASE_LIMIT = 180  # seconds for all the GETs, and again for all the POSTs


@dataclass
class Rush:
    path: str | None = None
    note: str = ""
    event_id: int | None = None
    sessions: list[tuple[str, int]] = field(default_factory=list)  # (session key, user id)
    confirmed: int | None = None
    waiting: int | None = None
    registrations: int | None = None
    failed: int | None = None
    in_order: bool | None = None
    order_note: str = ""
    client_agreement: float | None = None
    seconds: float | None = None
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)


def prepare(*, users: int, places: int) -> Rush:
    """Create the event and the attendees, each with a signed-in session of their own."""
    from django.apps import apps
    from django.core.exceptions import ValidationError
    from django.urls import NoReverseMatch, reverse

    try:
        event_model = apps.get_model("events", "Event")
        apps.get_model("events", "Registration")
        path = reverse("events:register", args=[RUSH_SLUG])
    except (LookupError, NoReverseMatch):
        return Rush(note="events and their registration page do not exist yet")
    try:
        event = _create_event(event_model, places)
    except ValidationError as error:
        # The events app changed what an event needs: say so instead of stopping the run.
        return Rush(note=f"could not create the rush's event: {error}")
    rush = Rush(path=path, event_id=event.pk)
    rush.sessions = [(signed_in_session(user), user.pk) for user in verified_users(users)]
    return rush


def _create_event(event_model, places: int):
    from django.utils import timezone

    starts = timezone.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
    event = event_model(
        title="Registration rush",
        slug=RUSH_SLUG,
        summary="A workshop with few places and many people who want one.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Town hall",
        capacity=places,
        status="published",
    )
    event.full_clean()
    event.save()
    return event


def verified_users(count: int, *, name: str = "rush") -> list:
    """``count`` new users, each with a verified primary email address, named ``name0000`` on."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    # An unusable password: nobody signs in with these accounts, and no hashing per user.
    users = user_model.objects.bulk_create(
        user_model(
            username=f"{name}{number:04d}",
            email=f"{name}{number:04d}@example.org",
            password=make_password(None),
        )
        for number in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users


def signed_in_session(user) -> str:
    """The key of a new session in which ``user`` is signed in, as signing in would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # as signing in stores
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


# --- the rush itself ---------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields a browser would send with the page's registration form."""

    def __init__(self, action_path: str):
        super().__init__()
        self.action_path = action_path
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self.found = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and not self.found:
            action = urllib.parse.urlsplit(attrs.get("action") or "").path
            self.in_form = action in ("", self.action_path)
            self.found = self.in_form
        elif self.in_form and tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif self.in_form and tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields.append((attrs["name"], ""))

    def handle_data(self, data):
        if self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.in_form = False


def _cookie(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


@dataclass
class _Attendee:
    session: str
    user_id: int
    body: str = ""
    cookies: str = ""
    ready: bool = False
    status: str = "not sent"
    started: float = 0.0
    finished: float = 0.0


def _fetch_form(port: int, path: str, attendee: _Attendee, deadline: float) -> None:
    from django.conf import settings

    if time.monotonic() > deadline:
        attendee.status = "form: not fetched in time"
        return
    cookies = f"{settings.SESSION_COOKIE_NAME}={attendee.session}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookies})
        response = connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        headers = response.getheaders()
    except OSError as error:
        attendee.status = f"form: {type(error).__name__}"
        return
    finally:
        connection.close()
    if response.status != 200:
        attendee.status = f"form: {response.status}"
        return
    form = _FormFields(path)
    form.feed(page)
    token = _cookie(headers, settings.CSRF_COOKIE_NAME)
    if not form.found or token is None:
        attendee.status = "form: no registration form or CSRF cookie"
        return
    attendee.body = urllib.parse.urlencode(form.fields)
    attendee.cookies = f"{cookies}; {settings.CSRF_COOKIE_NAME}={token}"
    attendee.ready = True


def _request_bytes(path: str, attendee: _Attendee) -> bytes:
    body = attendee.body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {attendee.cookies}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _post_all_at_once(port: int, path: str, attendees: list[_Attendee]) -> None:
    """Open every connection, then send every POST in one tight loop and collect the answers.

    One thread and non-blocking sockets, as wrk does: the client costs the shared cores next to
    nothing, and the requests leave within a few milliseconds of each other, with no thread
    scheduling deciding who goes first. An answer is complete when the server closes the
    connection (the request asked it to).
    """
    selector = selectors.DefaultSelector()
    pending: dict[socket.socket, tuple[_Attendee, bytearray]] = {}
    for attendee in attendees:
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        except OSError as error:
            attendee.status = type(error).__name__
            continue
        pending[connection] = (attendee, bytearray())
    requests = [(c, _request_bytes(path, a)) for c, (a, _) in pending.items()]
    for connection, request in requests:
        pending[connection][0].started = time.perf_counter()
        connection.sendall(request)  # a few hundred bytes: the socket buffer takes it at once
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ)
    deadline = time.monotonic() + PHASE_LIMIT
    while pending and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1):
            connection = key.fileobj
            attendee, answer = pending[connection]
            try:
                chunk = connection.recv(65536)
            except BlockingIOError:
                continue
            except OSError as error:
                chunk, attendee.status = b"", type(error).__name__
            if chunk:
                answer += chunk
                continue
            attendee.finished = time.perf_counter()
            if attendee.status == "not sent":
                attendee.status = _status_of(bytes(answer))
            selector.unregister(connection)
            connection.close()
            del pending[connection]
    for connection, (attendee, _) in pending.items():
        attendee.status = "no answer in time"
        selector.unregister(connection)
        connection.close()
    selector.close()


def _status_of(answer: bytes) -> str:
    status_line = answer.split(b"\r\n", 1)[0].split()
    return status_line[1].decode() if len(status_line) > 1 else "empty answer"


def fire(rush: Rush, port: int) -> None:
    """GET every form, then release every POST at the same moment; read the outcome back."""
    attendees = [_Attendee(session, user_id) for session, user_id in rush.sessions]
    deadline = time.monotonic() + PHASE_LIMIT
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda a: _fetch_form(port, rush.path, a, deadline), attendees))
    ready = [a for a in attendees if a.ready]
    if ready:
        _post_all_at_once(port, rush.path, ready)
        sent = [a for a in ready if a.started and a.finished]
        if sent:
            rush.seconds = max(a.finished for a in sent) - min(a.started for a in sent)
            rush.latencies_ms = [(a.finished - a.started) * 1000 for a in sent]
    for attendee in attendees:
        rush.statuses[attendee.status] = rush.statuses.get(attendee.status, 0) + 1
    # The form answers with a redirect to the event once the registration is recorded.
    answered = sum(1 for a in ready if a.status in ("302", "303"))
    _read_outcome(rush, attendees)
    rush.failed = len(attendees) - min(answered, rush.registrations or 0)


def _read_outcome(rush: Rush, attendees: list[_Attendee]) -> None:
    """Counts, and whether the waiting list is in the order the server took the requests."""
    from django.apps import apps

    registration_model = apps.get_model("events", "Registration")
    rows = registration_model.objects.filter(event_id=rush.event_id)
    rush.registrations = rows.count()
    rush.confirmed = rows.filter(status="confirmed").count()
    rush.waiting = rows.filter(status="waiting").count()
    # The server's order: when each request won the event's lock and was written.
    arrival = list(rows.order_by("created_at", "id").values_list("id", "status"))
    waiting_list = list(rows.filter(status="waiting").order_by("id").values_list("id", flat=True))
    waiting_line = getattr(registration_model.objects, "waiting", None)
    if callable(waiting_line):
        waiting_list = list(
            waiting_line().filter(event_id=rush.event_id).values_list("id", flat=True)
        )
    arrived_waiting = [pk for pk, status in arrival if status == "waiting"]
    places_first = [status for _, status in arrival[: rush.confirmed]] == ["confirmed"] * (
        rush.confirmed or 0
    )
    rush.in_order = waiting_list == arrived_waiting and places_first
    rush.order_note = "yes" if rush.in_order else "no: the line differs from the order of arrival"
    # For information: did the answers reach the clients in the same order as the line?
    line_users = dict(rows.values_list("user_id", "id"))
    answered = sorted(
        (a for a in attendees if a.status in ("302", "303") and a.user_id in line_users),
        key=lambda a: a.finished,
    )
    if len(answered) > 2:
        server_rank = [line_users[a.user_id] for a in answered]
        rush.client_agreement = statistics.correlation(
            _ranks(server_rank), list(range(len(server_rank)))
        )


def _ranks(values: list) -> list[int]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0] * len(values)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return ranks
