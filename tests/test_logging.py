import json
import logging
import sys

from django.test import RequestFactory

from failshare.logs import JsonFormatter, ScrubRequestFilter

ADDRESS = "203.0.113.77"
AGENT = "Distinctive-Agent/9.9 (log test)"


def format_through_our_handler(record: logging.LogRecord) -> str:
    assert ScrubRequestFilter().filter(record)
    return JsonFormatter().format(record)


def test_error_records_lose_the_request_and_its_headers():
    request = RequestFactory().post(
        "/confessions/new/",
        {"what_happened": "secret story text"},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/confessions/new/",),
            exc_info=sys.exc_info(),
            extra={"request": request, "status_code": 500},
        )
    line = format_through_our_handler(record)
    assert ADDRESS not in line
    assert AGENT not in line
    assert "secret story text" not in line
    entry = json.loads(line)
    assert entry["message"] == "Internal Server Error: /confessions/new/"
    assert entry["status"] == 500
    assert "RuntimeError: boom" in entry["exception"]


def test_the_console_handler_scrubs_and_writes_json(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["scrub"]
    assert settings.LOGGING["loggers"]["django"]["handlers"] == ["console"]
