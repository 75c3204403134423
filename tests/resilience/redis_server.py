"""A throwaway Redis server on a free loopback port, which a test may kill, hang or restart."""

import os
import shutil
import signal
import subprocess
import tempfile
import time

import redis

from tests.resilience.servers import free_port


class ThrowawayRedis:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="failshare-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_timeout=0.5).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def flush(self) -> None:
        """Forget every key: rate-limit counts, cached pages, sessions."""
        redis.Redis(port=self.port, socket_timeout=2).flushall()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def hang(self) -> None:
        """The server keeps its socket open but answers nothing, as a stuck machine does."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def destroy(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
