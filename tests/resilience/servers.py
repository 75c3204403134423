"""Real servers for resilience tests: a throwaway PostgreSQL cluster and the site under gunicorn."""

import atexit
import contextlib
import glob
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from failshare import devdb

ROOT = Path(__file__).resolve().parents[2]
# The collected static files of every production-settings server the tests start: a folder of
# the test run's own, since a collectstatic into the checkout's would race one in another worker.
STATIC_ROOT = tempfile.mkdtemp(prefix="failshare-collected-")
atexit.register(shutil.rmtree, STATIC_ROOT, True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir(environ=os.environ) -> str | None:
    """initdb, pg_ctl, pg_basebackup...: the system's PostgreSQL, else the embedded package's.

    FAILSHARE_EMBEDDED_DB=1 (as for `make run` and `make test`) takes the embedded package's
    only, so a run can show that nothing here needs a system PostgreSQL."""
    if devdb.forced(environ):
        embedded = devdb.embedded_bindir()
        return str(embedded) if embedded else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return os.path.dirname(found[-1])
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return os.path.dirname(pg_ctl)
    embedded = devdb.embedded_bindir()
    return str(embedded) if embedded else None


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own on a free loopback port, so it can be stopped at will."""

    def __init__(self, bindir: str | None = None):
        self.bindir = bindir or postgres_bindir()
        # PostgreSQL refuses to run as root: as root, it runs as this account.
        self.system_user = devdb.system_user_for_postgres()
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="failshare-pg-")
        self.data = os.path.join(self.dir, "data")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/failshare"
        # More server settings (-c name=value ...), such as log_statement=all.
        self.extra_options = ""

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.system_user:
            command = ["runuser", "-u", self.system_user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def create(self) -> None:
        if self.system_user:
            shutil.chown(self.dir, self.system_user)
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync")
        self.start()
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "failshare"
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        options += f" {self.extra_options}" if self.extra_options else ""
        log = os.path.join(self.dir, "postgres.log")
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", log, "-w", "-t", "60", "start")

    def create_replica_of(self, primary: "ThrowawayPostgres") -> None:
        """This cluster as a streaming replica of ``primary`` (pg_basebackup -R), started."""
        if self.system_user:
            shutil.chown(self.dir, self.system_user)
        self._run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", self.data, "-R", "-X", "stream", "--no-sync"),
        )
        self.start()

    def log(self) -> str:
        return Path(self.dir, "postgres.log").read_text(errors="replace")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check=False)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows from the site's database, read directly (not through the site)."""
        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as db:
            return db.execute(sql, params).fetchall()

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def production_env(database_url: str, **extra: str) -> dict:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "false",
        "SECRET_KEY": "resilience-test-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "STATIC_ROOT": STATIC_ROOT,
        **extra,
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


class AppServer:
    """The site under gunicorn with production settings, logging to a file the test can read."""

    def __init__(self, env: dict, workers: int = 1):
        self.env = env
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkdtemp(prefix="failshare-app-")) / "app.log"
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")  # noqa: SIM115 - handed to the child process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "failshare.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the app server did not start")

    def warm(self) -> None:
        """Answer a few requests at once, so every worker has loaded its URLs and connected.

        A worker's first request is slow; timings measured later are of the site, not of that."""
        with ThreadPoolExecutor(max_workers=self.workers * 3) as pool:
            list(pool.map(self._try_healthz, range(self.workers * 6)))

    def _try_healthz(self, _: int) -> None:
        # A test may start the site with a service down: warming is best effort.
        with contextlib.suppress(OSError):
            self.get("/healthz")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)

    def worker_pids(self) -> set[int]:
        """The gunicorn workers now running under this server."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=15) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@dataclass
class Answer:
    """One HTTP answer: status (0 when no answer came at all), headers and text."""

    status: int
    headers: dict = field(default_factory=dict)
    body: str = ""
    # A form's CSRF token and one-time key, when the page has them (see Visitor.form).
    fields: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def get(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def content(self) -> bytes:
        return self.body.encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden_value(body: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', body)
    return found.group(1) if found else None


class Visitor:
    """One person's browser reduced to what the site sees: cookies, forms, never a redirect
    followed. Sends a distinctive user agent and, when given, an X-Forwarded-For address."""

    def __init__(self, base_url: str, *, user_agent: str, forwarded_for: str | None = None):
        self.base_url = base_url
        self.headers = {"User-Agent": user_agent}
        if forwarded_for:
            self.headers["X-Forwarded-For"] = forwarded_for
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def _send(self, request: urllib.request.Request) -> Answer:
        try:
            with self._opener.open(request, timeout=20) as response:
                return Answer(response.status, _lower(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, _lower(error.headers), error.read().decode())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return Answer(0)

    def _request(self, path: str, **options) -> urllib.request.Request:
        # Always the app server's own http://127.0.0.1 address.
        return urllib.request.Request(self.base_url + path, headers=self.headers, **options)  # noqa: S310

    def get(self, path: str) -> Answer:
        return self._send(self._request(path))

    def post(self, path: str, data: dict) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._send(self._request(path, data=body, method="POST"))

    def form(self, path: str) -> Answer:
        """GET a page with a form; the answer's ``fields`` hold its CSRF token and one-time key."""
        answer = self.get(path)
        for name in ("csrfmiddlewaretoken", "token"):
            value = hidden_value(answer.body, name)
            if value is not None:
                answer.fields[name] = value
        return answer

    def sign_in(self, email: str, password: str) -> None:
        fields = self.form("/accounts/login/").fields
        answer = self.post("/accounts/login/", {**fields, "login": email, "password": password})
        assert answer.status == 302, (answer.status, answer.body[:500])


def _lower(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}
