"""Links in mails use the address the site really runs under, not a fixed http://127.0.0.1:8000."""

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from wagtail.models import Site

from core.mail import absolute_url
from newsletter import services as newsletter_services
from newsletter.models import Newsletter

ROOT = Path(__file__).resolve().parents[2]
random.seed(5)
PORT = random.randint(8001, 8999)


def settings_seen_by(argv, settings_module="config.settings.dev", **environment):
    """What a process started with `argv` under the development settings puts into its mails' links."""
    program = textwrap.dedent(
        f"""
        import sys
        sys.argv = {argv!r}
        import django
        django.setup()
        from core.mail import absolute_url
        print(absolute_url("/forum/"))
        """
    )
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **environment)
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_runserver_and_daphne_links_follow_the_address_they_were_started_with():
    assert settings_seen_by(["manage.py", "runserver", f"127.0.0.1:{PORT}"]) == f"http://127.0.0.1:{PORT}/forum/"
    assert settings_seen_by(["manage.py", "runserver", str(PORT)]) == f"http://127.0.0.1:{PORT}/forum/"
    daphne = ["/usr/local/bin/daphne", "-b", "0.0.0.0", "-p", str(PORT), "config.asgi:application"]
    assert settings_seen_by(daphne) == f"http://127.0.0.1:{PORT}/forum/"
    # The task worker cannot see the server's command line: it gets SITE_URL from `make run`.
    worker = settings_seen_by(["manage.py", "db_worker"], SITE_URL=f"http://127.0.0.1:{PORT}")
    assert worker == f"http://127.0.0.1:{PORT}/forum/"


@pytest.mark.skipif(not Path("/usr/bin/make").exists(), reason="make fehlt")
def test_make_run_gives_every_process_the_site_url_of_its_run_address(tmp_path):
    log = tmp_path / "commands.log"
    fake_python = tmp_path / "python"
    # Records each command with the SITE_URL it sees; the "server" ends soon, which ends the run.
    fake_python.write_text(
        f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\n'
        'case "$2" in runserver) sleep 1 ;; db_worker|deliver_newsletters) sleep 30 ;; esac\n'
    )
    fake_python.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("SITE_URL", "MAKEFLAGS", "MAKELEVEL")}
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.stamp", "run", f"PY={fake_python}", f"RUN_ADDRESS=127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    commands = dict(line.split(" ", 1)[::-1] for line in log.read_text().splitlines())
    url = f"http://127.0.0.1:{PORT}"
    assert commands == {
        "manage.py migrate --noinput": url,
        "manage.py seed_demo": url,
        "manage.py db_worker": url,
        "manage.py deliver_newsletters --forever": url,
        f"manage.py runserver 127.0.0.1:{PORT}": url,
    }


def test_production_links_to_its_own_host_name_over_https_unless_site_url_says_otherwise():
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "sozialraum.teltow.example,www.sozialraum.teltow.example"}
    argv = ["/usr/local/bin/daphne", "-b", "127.0.0.1", "-p", str(PORT), "config.asgi:application"]
    assert (
        settings_seen_by(argv, "config.settings.production", **production) == "https://sozialraum.teltow.example/forum/"
    )
    configured = settings_seen_by(argv, "config.settings.production", SITE_URL="https://netzwerk.example", **production)
    assert configured == "https://netzwerk.example/forum/"


def test_without_a_site_url_links_go_to_the_configured_wagtail_site(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    Site.objects.filter(is_default_site=True).update(hostname="sozialraum.teltow.example", port=443)
    newsletter = Newsletter.objects.create(
        name="Sozialraum aktuell", slug="aktuell", sender_name="Koordination", sender_email="sozialraum@example.org"
    )

    assert absolute_url("/forum/") == "https://sozialraum.teltow.example/forum/"
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_services.subscribe(newsletter, "neu@example.org", source_detail="/newsletter/")

    [message] = mailoutbox
    assert "https://sozialraum.teltow.example/newsletter/bestaetigen/" in message.body
    assert "127.0.0.1" not in message.body
