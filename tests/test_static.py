from pathlib import Path

from django.core.management import call_command


def test_collectstatic_writes_hashed_and_compressed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    css = sorted(p.name for p in Path(tmp_path, "css").iterdir())
    hashed = [name for name in css if name.startswith("site.") and name.endswith(".css")]
    assert any(len(name.split(".")) == 3 for name in hashed), css
    assert any(name.endswith(".css.gz") for name in css), css
