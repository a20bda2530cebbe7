"""Sending from the Wagtail admin: audience and count, start (twice), test send, progress JSON."""

import pytest
from django.urls import reverse

from newsletter.delivery import worker
from newsletter.models import Delivery, Send

from .conftest import as_received


@pytest.fixture
def coordinator_client(client, make_user, with_totp):
    user = make_user("koordination@example.org", is_superuser=True, is_staff=True)
    with_totp(user)
    client.force_login(user)
    return client


def test_prepare_count_start_and_progress(
    coordinator_client, make_edition, subscribe, make_user, make_body, add_member, mailoutbox
):
    subscribe("leser@example.org")
    body = make_body("FG Schule")
    add_member(make_user("lehrerin@example.org"), body)
    edition = make_edition()

    page = coordinator_client.get(reverse("newsletter_admin:prepare", args=[edition.pk]))
    assert page.status_code == 200 and "FG Schule" in page.content.decode()
    edit_page = coordinator_client.get(reverse("wagtailadmin_pages:edit", args=[edition.pk]))
    assert reverse("newsletter_admin:prepare", args=[edition.pk]) in edit_page.content.decode()

    response = coordinator_client.post(reverse("newsletter_admin:prepare", args=[edition.pk]), {"bodies": [body.pk]})
    send = Send.objects.get()
    assert response.url == reverse("newsletter_admin:send", args=[send.pk])
    detail = coordinator_client.get(response.url).content.decode()
    assert "Jetzt an 2 Adressen senden" in detail

    action = reverse("newsletter_admin:action", args=[send.pk])
    coordinator_client.post(action, {"action": "start"})
    again = coordinator_client.post(action, {"action": "start"}, follow=True)
    assert "bereits gestartet" in again.content.decode()
    assert Delivery.objects.filter(send=send).count() == 2

    progress = coordinator_client.get(reverse("newsletter_admin:progress", args=[send.pk])).json()
    assert progress["total"] == 2 and progress["status"] == "running"
    worker.run_worker()
    progress = coordinator_client.get(reverse("newsletter_admin:progress", args=[send.pk])).json()
    assert progress == progress | {"status": "done", "sent": 2, "percent": 100}
    assert sorted(as_received(message)["To"] for message in mailoutbox) == ["lehrerin@example.org", "leser@example.org"]


def test_test_send_goes_to_the_coordinator_only(coordinator_client, make_edition, subscribe, mailoutbox):
    subscribe("leser@example.org")
    edition = make_edition()
    coordinator_client.post(reverse("newsletter_admin:prepare", args=[edition.pk]), {"action": "test"})
    (message,) = mailoutbox
    received = as_received(message)
    assert received["To"] == "koordination@example.org" and received["Subject"].startswith("[Test] ")
    assert "Hallo Netzwerk!" in received.get_body(preferencelist=("html",)).get_content()
    assert not Send.objects.exists()


def test_professionals_cannot_send(client, professional, make_edition):
    client.force_login(professional)
    edition = make_edition()
    assert client.get(reverse("newsletter_admin:prepare", args=[edition.pk])).status_code in (302, 403)
