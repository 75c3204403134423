"""gunicorn settings, read from the working directory. Environment variables override them.

gunicorn's sync workers must sit behind a buffering reverse proxy (deploy/nginx.conf): a slow
client would otherwise hold a worker. So it listens on loopback unless told otherwise.
"""

import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Longer than the database's own limits (DATABASE_STATEMENT_TIMEOUT_MS, 15 s, plus connecting),
# so a slow request ends in the application's 503 page, never in a killed worker's 500.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Access lines carry no client address, user agent, referrer or query string.
accesslog = "-" if os.environ.get("ACCESS_LOG", "").lower() in {"1", "true", "yes"} else None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Posts that send a story or a receipt code, in English or Welsh. Their line, even without an
# address, would date a story to the second (and its size tell which page answered) beside the
# same visitor's other requests, so they are not written at all.
UNLOGGED_POSTS = re.compile(r"^(/cy)?/confessions/(new|receipt)/$")


class AccessLogger(Logger):
    """gunicorn's logger, leaving out the access lines of story and receipt posts."""

    def access(self, resp, req, environ, request_time):
        if req.method == "POST" and UNLOGGED_POSTS.match(req.path or ""):
            return
        super().access(resp, req, environ, request_time)


logger_class = AccessLogger
