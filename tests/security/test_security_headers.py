"""Every response tells the browser what it may load and do; production adds HTTPS-only rules."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from cms.models import EventPage
from forum import services as forum_services
from forum.models import Board

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/", "/konto/login/", "/forum/", "/newsletter/", "/netzwerk/"])
def test_site_pages_allow_scripts_from_our_origin_only(client, page_tree, path):
    response = client.get(path, follow=True)

    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["connect-src"] == ["'self'"]


def test_the_wagtail_admin_alone_allows_inline_scripts_and_its_own_preview_frames(client, db):
    response = client.get("/admin/login/")

    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'self'"]


def test_responses_forbid_type_sniffing_framing_and_leaking_addresses_to_other_sites(client, page_tree):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def production_environment(**extra):
    return {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "sozialraum.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }


def test_production_settings_pass_djangos_deployment_check_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# Runs under the production settings in a fresh process; touches no database table.
PRODUCTION_REQUESTS = """
import json
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="sozialraum.example.org")
plain = client.get("/konto/login/")
secure = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
cookie = secure.cookies["django_language"]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "hsts": secure.get("Strict-Transport-Security"),
    "cookie_secure": bool(cookie["secure"]),
    "cookie_httponly": bool(cookie["httponly"]),
}))
"""


def test_production_redirects_to_https_sends_hsts_and_marks_cookies_secure():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUESTS],
        cwd=PROJECT_ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://sozialraum.example.org/konto/login/"
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["cookie_secure"] and seen["cookie_httponly"]


@pytest.fixture
def topic_and_event(page_tree, make_user):
    # Written before Playwright starts its event loop in this thread: posting broadcasts synchronously.
    author = make_user("autorin@example.org")
    board = Board.objects.create(name="Allgemeiner Austausch", slug="allgemein", kind=Board.Kind.GENERAL)
    topic = forum_services.create_topic(author, board, "Ferienangebote 2027", "Wer plant schon?")
    event = page_tree.events.add_child(
        instance=EventPage(title="Sozialraumkonferenz", start=timezone.now(), location="Rathaus", intro="Jahrestreffen")
    )
    return topic, event


@pytest.fixture
def editor_session(client, editor, with_totp):
    editor.is_staff = True
    editor.save()
    with_totp(editor)
    client.force_login(editor)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_with_scripts_and_the_page_editor_run_without_a_policy_violation(
    live_server, topic_and_event, editor_session, chromium, settings
):
    """The policy must not break what our scripts (live updates, mentions) and Wagtail's editor do."""
    settings.SITE_URL = live_server.url
    topic, event = topic_and_event

    context = chromium.new_context(locale="de-DE")
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": editor_session, "url": live_server.url}]
    )
    # Injected by the browser itself, so the listener is not subject to the policy it watches.
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', (event) =>"
        " window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    page = context.new_page()
    checked = []
    for path in ["/", topic.get_absolute_url(), "/forum/", f"/admin/pages/{event.pk}/edit/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        checked.append((path, page.evaluate("() => window.__violations")))
    scripts_ran = page.evaluate("() => typeof window.initDateChooser === 'function'")
    context.close()

    assert checked == [(path, []) for path, _ in checked]
    assert scripts_ran, "Wagtail's editor scripts did not run"
