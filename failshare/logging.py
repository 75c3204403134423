import logging


class ScrubRequestFilter(logging.Filter):
    """Drops the request from log records so no address, header or form text reaches a log.

    Django attaches the request to error records; its handlers would print its META
    (REMOTE_ADDR, HTTP_USER_AGENT) and POST data. The message line is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True
