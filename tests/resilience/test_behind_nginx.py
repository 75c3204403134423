"""The shipped nginx configuration in front of gunicorn: 20 slow clients do not stop the site,
and the rate limits count the address nginx was given, whatever a client claims."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.resilience.fixtures import (
    app,  # noqa: F401 - fixture
    app_env,  # noqa: F401 - fixture
    postgres,  # noqa: F401 - fixture
)
from tests.resilience.servers import ROOT, STATIC_ROOT, free_port, postgres_bindir

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
pytestmark = pytest.mark.skipif(
    postgres_bindir() is None or NGINX is None, reason="PostgreSQL or nginx not found"
)
SLOW_CLIENTS = 20


@pytest.fixture(scope="module")
def nginx(app, app_env):  # noqa: F811 - fixture
    """deploy/nginx.conf as shipped, on loopback ports: only addresses and TLS changed."""
    workdir = Path(tempfile.mkdtemp(prefix="failshare-nginx-"))
    os.chmod(workdir, 0o755)  # noqa: S103 - nginx workers run as nobody
    port = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app.port}")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    site = re.sub(r"^\s*(listen \[::\].*|ssl_.*)$", "", site, flags=re.MULTILINE)
    site = site.replace("/srv/failshare/staticfiles/", STATIC_ROOT + "/")
    (workdir / "failshare.conf").write_text(site)
    temp = {name: workdir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(mode=0o777)
        os.chmod(path, 0o777)  # noqa: S103 - written by nginx workers (nobody)
    (workdir / "nginx.conf").write_text(
        f"""daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {workdir}/failshare.conf;
}}
"""
    )
    process = subprocess.Popen([NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf")])
    deadline = time.monotonic() + 20
    while healthz_seconds(port, timeout=2) == float("inf"):
        assert time.monotonic() < deadline, (workdir / "error.log").read_text()
        time.sleep(0.2)
    app.warm()  # a worker's first, slow request is not one of the probes timed
    yield port
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


def dribble(port: int, stop: threading.Event) -> None:
    """A client that sends its request header one byte a second."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for byte in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 100:
            if stop.is_set():
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return
            stop.wait(1)


def healthz_seconds(port: int, timeout: float) -> float:
    started = time.monotonic()
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        if connection.getresponse().status != 200:
            return float("inf")
    except (TimeoutError, OSError):
        return float("inf")
    finally:
        connection.close()
    return time.monotonic() - started


def with_slow_clients(port: int, probes: int, timeout: float) -> list[float]:
    stop = threading.Event()
    clients = [threading.Thread(target=dribble, args=(port, stop)) for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    time.sleep(1)
    try:
        return probe_times(port, probes, timeout)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)


def probe_times(port: int, probes: int, timeout: float) -> list[float]:
    times = []
    for _ in range(probes):
        times.append(healthz_seconds(port, timeout))
        time.sleep(0.2)
    return times


def test_twenty_slow_clients_do_not_delay_healthz_behind_nginx(nginx):
    # Against the same probes with no slow client, just before: the machine's other work slows
    # both alike. Slow clients that held gunicorn's workers would delay every probe by seconds.
    alone = sorted(probe_times(nginx, probes=20, timeout=2))
    times = with_slow_clients(nginx, probes=20, timeout=2)
    assert sorted(times)[-2] < max(0.1, alone[-2] + 0.05) and max(times) < 0.5 + alone[-1], (
        times,
        alone,
    )
    print(
        f"\n/healthz behind nginx with {SLOW_CLIENTS} slow clients: max {max(times) * 1000:.0f} ms"
    )


class Client:
    """A browser on one loopback address (127.0.0.x), keeping its cookies."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, SimpleCookie()

    def send(self, method: str, path: str, body: str = "", headers: dict | None = None):
        connection = HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(self.address, 0)
        )
        cookie = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        all_headers = {"Host": "127.0.0.1", "Cookie": cookie, **(headers or {})}
        if body:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        text = response.read().decode()
        connection.close()
        return response.status, text

    def wrong_receipt(self, claimed: str) -> int:
        _, page = self.send("GET", "/confessions/receipt/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, "code": "ABCDE-FGHJK-MNPQR-STUVW-XYZ23"})
        headers = {"X-Forwarded-For": claimed, "Referer": "http://127.0.0.1/"}
        return self.send("POST", "/confessions/receipt/", body, headers)[0]


def test_the_rate_limits_count_the_address_nginx_was_given(nginx):
    liar = Client(nginx, "127.0.0.2")
    statuses = [liar.wrong_receipt(f"203.0.113.{n}") for n in range(11)]
    assert statuses == [200] * 10 + [429], statuses
    assert Client(nginx, "127.0.0.3").wrong_receipt("203.0.113.1") == 200


# Last: the slow clients may hold gunicorn's workers for a while after they leave.
def test_twenty_slow_clients_stop_gunicorn_alone(app):  # noqa: F811 - fixture
    times = with_slow_clients(app.port, probes=2, timeout=2)
    assert min(times) > 1, f"gunicorn answered {times}: the slow clients did not hold it"
