"""Programs some tests run (Java, msgfmt): CI installs them and must run those tests; on a
machine with only Python and make, the tests that need them are skipped."""

import os
import shutil

import pytest


def require_program(name: str, *, package: str, needed_for: str) -> str:
    """The path of ``name``; skips the test when it is missing, or fails it in CI."""
    path = shutil.which(name)
    if not path:
        reason = f"{name} is not installed (apt-get install {package})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run {needed_for}")
        pytest.skip(reason)
    return path
