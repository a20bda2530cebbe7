"""The English catalogue translates every German msgid of the sources, and the committed
catalogues are current (locale/README.md: `make messages` after changing texts)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "media",
    "private_media",
    "static_collected",
    "tests",
    "bench",
    "__pycache__",
    "*.sqlite3*",
    ".pytest_cache",
    ".hypothesis",
)

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext fehlt (apt-get install gettext)")


def statistics(po_file):
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    numbers = {kind: int(count) for count, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr)}
    return {kind: numbers.get(kind, 0) for kind in ("translated", "fuzzy", "untranslated")}


def msgids(po_file):
    result = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-wrap", str(po_file)], capture_output=True, text=True, check=True
    )
    return set(re.findall(r'^msgid "(.+)"$', result.stdout, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def fresh_english_catalogue(tmp_path_factory):
    """makemessages run over a copy of the sources, so the work tree stays as it is."""
    copy = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORE, symlinks=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "makemessages", "--locale", "en", "--ignore", "static_collected"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    return copy / "locale/en/LC_MESSAGES/django.po"


def test_the_committed_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    counts = statistics(ROOT / "locale/en/LC_MESSAGES/django.po")
    assert counts["translated"] > 900
    assert counts["untranslated"] == 0 and counts["fuzzy"] == 0, counts


def test_every_german_text_of_the_sources_is_in_the_english_catalogue_and_translated(fresh_english_catalogue):
    counts = statistics(fresh_english_catalogue)
    missing = msgids(fresh_english_catalogue) - msgids(ROOT / "locale/en/LC_MESSAGES/django.po")
    assert not missing, f"`make messages` and translate: {sorted(missing)[:20]}"
    assert counts["untranslated"] == 0 and counts["fuzzy"] == 0, counts


def test_the_german_catalogue_carries_the_formal_allauth_texts():
    german = (ROOT / "locale/de/LC_MESSAGES/django.po").read_text()
    assert 'msgstr "Sie können Ihre primäre E-Mail-Adresse nicht löschen."' in german
    assert statistics(ROOT / "locale/de/LC_MESSAGES/django.po")["fuzzy"] == 0
