"""Compiling the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django
reads, on a machine without GNU gettext's msgfmt, which ``compilemessages`` needs.

``make run`` and ``make test`` use ``compilemessages`` when msgfmt is installed, and this
otherwise: ``python -m failshare.translations``. Production builds use ``compilemessages``."""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues(locale: Path = LOCALE) -> list[Path]:
    """Write each catalogue's .mo beside it when it is missing or older; the ones written."""
    written = []
    for po_path in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Like msgfmt: untranslated and fuzzy entries are left out, so English shows instead.
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"compiled {path.relative_to(LOCALE.parent)}", file=sys.stderr)
