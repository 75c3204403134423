"""Mail servers for resilience tests, on free loopback ports: one that counts what it accepts
(and can refuse, or hold a message unanswered), and one that accepts connections and then says
nothing at all."""

import asyncio
import email
import socket
import threading
from collections import Counter
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller

from tests.resilience.servers import free_port


class CountingHandler:
    """aiosmtpd's handler: ``mode`` is "accept", "refuse" (554 after the message) or "hold"
    (the message is read, then no answer comes until ``release()``; it is then refused, as a
    server whose client went away does)."""

    def __init__(self):
        self.mode = "accept"
        self.delivered: Counter = Counter()  # (recipient, subject) -> how many times
        self.held = threading.Event()  # a message is being held unanswered
        self._released = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "refuse":
            return "554 5.3.0 Refused for the test"
        if self.mode == "hold":
            self.held.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Given up for the test"
        message = email.message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.delivered[(recipient, subject)] += 1
        return "250 OK"

    def release(self) -> None:
        self._released.set()

    def count(self, recipient: str, subject: str) -> int:
        with self._lock:
            return self.delivered[(recipient, subject)]

    def total(self) -> int:
        with self._lock:
            return sum(self.delivered.values())


class CountingSMTP:
    def __init__(self):
        self.port = free_port()
        self.handler = CountingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.handler.release()
        self.controller.stop()


class SilentSMTP:
    """Accepts TCP connections and never sends the greeting: a hung mail server."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def stop(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()
