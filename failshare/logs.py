"""Application logs: one JSON object a line, never with client addresses, agents or story text."""

import json
import logging
from datetime import UTC, datetime


class ScrubRequestFilter(logging.Filter):
    """Drops the request from log records so no address, header or form text reaches a log.

    Django attaches the request to error records; formatters and error reports would print its
    META (REMOTE_ADDR, HTTP_USER_AGENT) and POST data. The message line is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.name.startswith("django.security"):
            # Their messages quote what the client sent: the Origin or Referer of a CSRF
            # failure, the Host of a refused request. Only the kind of refusal is kept.
            kind = record.name.removeprefix("django.security").strip(".") or "security"
            record.msg, record.args = "Refused a request (%s)", (kind,)
            record.exc_info = record.exc_text = None  # the exception's text quotes it too
        return True


class JsonFormatter(logging.Formatter):
    """Structured logs for log collectors: time, level, logger, message, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
