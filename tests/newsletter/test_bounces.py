"""Bounce reports: django-anymail's tracking signal (and one real Postmark webhook POST), and DSN mails
(RFC 3464) read from an IMAP mailbox.

The DSN parser runs on hand-written samples in the shapes Postfix and Exim send; the IMAP loop runs
against a small stand-in for `imaplib.IMAP4` that answers like one (tests/newsletter/imap.py).
"""

import base64
import json
from types import SimpleNamespace

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from newsletter import bounces, services
from newsletter.delivery import lifecycle, worker
from newsletter.models import Delivery, Subscriber, Subscription

from .imap import FakeIMAP


@pytest.fixture
def sent(make_edition, subscribe):
    """An edition sent to three subscribers; returns address → Delivery."""
    for address in ("hart@example.org", "weich@example.org", "beschwerde@example.org"):
        subscribe(address)
    send, _started = lifecycle.start_send(services.create_send(make_edition()), enqueue=False)
    worker.run_worker()
    return {row.email: row for row in Delivery.objects.filter(send=send)}


def fire(event_type, recipient, **fields):
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient, **fields)
    tracking.send(sender=object, event=event, esp_name="Test")


def status(address):
    return Subscriber.objects.get(email__iexact=address).status


def test_hard_bounce_suspends_the_address_and_marks_the_message(sent):
    fire("bounced", "hart@example.org", mta_response="smtp;550 5.1.1 user unknown", reject_reason="bounced")
    assert status("hart@example.org") == Subscriber.Status.BOUNCED
    row = Delivery.objects.get(pk=sent["hart@example.org"].pk)
    assert row.status == Delivery.Status.BOUNCED and "5.1.1" in row.last_error


def test_soft_bounces_count_once_per_message_and_suspend_at_the_limit(sent, make_edition, settings):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 2
    fire("bounced", "weich@example.org", mta_response="smtp;452 4.2.2 mailbox full")
    # The provider repeats its webhook: the same message counts once.
    fire("bounced", "weich@example.org", mta_response="smtp;452 4.2.2 mailbox full")
    subscription = Subscription.objects.get(subscriber__email="weich@example.org")
    assert subscription.soft_bounces == 1 and status("weich@example.org") == Subscriber.Status.ACTIVE

    lifecycle.start_send(services.create_send(make_edition()), enqueue=False)
    worker.run_worker()
    fire("bounced", "weich@example.org", mta_response="smtp;452 4.2.2 mailbox full")
    subscription.refresh_from_db()
    assert subscription.soft_bounces == 2 and status("weich@example.org") == Subscriber.Status.BOUNCED


def test_complaints_and_provider_unsubscribes_end_the_list(sent, newsletter):
    fire("complained", "beschwerde@example.org")
    fire("unsubscribed", "weich@example.org")
    for address in ("beschwerde@example.org", "weich@example.org"):
        assert Subscription.objects.get(subscriber__email=address).status == Subscription.Status.UNSUBSCRIBED


def test_rejections(sent):
    fire("rejected", "hart@example.org", reject_reason="invalid")
    fire("rejected", "weich@example.org", reject_reason="blocked")
    assert status("hart@example.org") == Subscriber.Status.BOUNCED
    assert status("weich@example.org") == Subscriber.Status.ACTIVE
    assert Subscription.objects.get(subscriber__email="weich@example.org").soft_bounces == 1


def test_postmark_webhook_with_basic_auth(client, sent):
    url = reverse("newsletter:anymail:postmark_tracking_webhook")
    payload = {
        "RecordType": "Bounce",
        "ID": 4323372036,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": "hart@example.org",
        "From": "sozialraum@example.org",
        "BouncedAt": "2024-11-20T10:41:30Z",
        "Inactive": True,
        "Subject": "Sozialraum aktuell",
    }
    auth = "Basic " + base64.b64encode(b"anymail:geheim").decode()
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": "anymail:geheim"}):
        refused = client.post(url, json.dumps(payload), content_type="application/json")
        assert refused.status_code in (400, 401, 403)
        assert status("hart@example.org") == Subscriber.Status.ACTIVE
        response = client.post(url, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert status("hart@example.org") == Subscriber.Status.BOUNCED


# --- DSN mails ----------------------------------------------------------------------------------------


def postfix_dsn(
    recipient,
    message_id,
    *,
    action="failed",
    status="5.1.1",
    diagnostic="smtp; 550 5.1.1 <{r}>: Recipient address rejected: User unknown",
):
    return f"""Return-Path: <>
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
To: sozialraum@example.org
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"

--B0UND
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.net.
I'm sorry to have to inform you that your message could not be delivered.

--B0UND
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
X-Postfix-Queue-ID: 4XyZ1234
Arrival-Date: Wed, 20 Nov 2024 10:41:28 +0100 (CET)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.com
Diagnostic-Code: {diagnostic.format(r=recipient)}

--B0UND
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Sozialraumkoordination Teltow <sozialraum@example.org>
To: {recipient}
Subject: Sozialraum aktuell
Message-ID: {message_id}

--B0UND--
""".replace("\n", "\r\n").encode()


EXIM_DELAYED = b"""From: Mail Delivery System <Mailer-Daemon@mx.example.com>
To: sozialraum@example.org
Subject: Warning: message delayed 24 hours
Content-Type: multipart/report; report-type=delivery-status; boundary=1732099200-eximdsn-1

--1732099200-eximdsn-1
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

--1732099200-eximdsn-1
Content-type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Action: delayed
Final-Recipient: rfc822;weich@example.org
Status: 4.0.0
Remote-MTA: dns; mailbox.example.com
Will-Retry-Until: Fri, 22 Nov 2024 10:00:00 +0000

--1732099200-eximdsn-1
Content-type: message/rfc822

From: sozialraum@example.org
To: weich@example.org
Subject: Sozialraum aktuell
Message-ID: <not-ours@example.net>

Hallo
--1732099200-eximdsn-1--
"""

AUTO_REPLY = b"""From: leser@example.org
To: sozialraum@example.org
Subject: Abwesenheitsnotiz

Ich bin bis Montag nicht im Haus.
"""


def test_parser_reads_postfix_and_exim_reports():
    (hard,) = bounces.parse_dsn(postfix_dsn("Hart@Example.org", "<newsletter-7-42@sozialraum.example.org>"))
    assert hard.recipient == "Hart@Example.org" and hard.hard and hard.status == "5.1.1"
    assert hard.message_id == "<newsletter-7-42@sozialraum.example.org>" and "User unknown" in hard.reason
    (given_up,) = bounces.parse_dsn(
        postfix_dsn("x@example.org", "<a@b>", status="4.4.7", diagnostic="X-Postfix; delivery temporarily suspended")
    )
    assert not given_up.hard
    (delayed,) = bounces.parse_dsn(EXIM_DELAYED)
    assert (
        delayed.recipient == "weich@example.org" and not delayed.hard and delayed.message_id == "<not-ours@example.net>"
    )
    assert bounces.parse_dsn(AUTO_REPLY) == []
    assert bounces.parse_dsn(postfix_dsn("ok@example.org", "<a@b>", action="delivered", status="2.0.0")) == []


def test_fetch_bounces_records_reports_and_removes_only_them(sent, settings, monkeypatch):
    settings.NEWSLETTER_BOUNCE_IMAP_HOST = "imap.example.org"
    settings.NEWSLETTER_BOUNCE_IMAP_FOLDER = "Bounces"
    settings.NEWSLETTER_BOUNCE_IMAP_PROCESSED_FOLDER = "Bounces/erledigt"
    hard_row = sent["hart@example.org"]
    # Found by our Message-ID even though the report names the recipient differently cased.
    mailbox = FakeIMAP([postfix_dsn("HART@example.org", hard_row.message_id), AUTO_REPLY, EXIM_DELAYED])
    monkeypatch.setattr(bounces, "connect_imap", lambda: mailbox)

    call_command("fetch_bounces", stdout=SimpleNamespace(write=lambda text: None))
    assert status("hart@example.org") == Subscriber.Status.BOUNCED
    assert Delivery.objects.get(pk=hard_row.pk).status == Delivery.Status.BOUNCED
    assert Subscription.objects.get(subscriber__email="weich@example.org").soft_bounces == 1
    assert status("weich@example.org") == Subscriber.Status.ACTIVE
    assert list(mailbox.messages.values()) == [AUTO_REPLY]
    assert mailbox.copied == [(1, "Bounces/erledigt"), (3, "Bounces/erledigt")]
    assert mailbox.log == [("select", "Bounces"), ("logout",)]

    # A second run finds the same mailbox state and changes nothing.
    assert bounces.fetch_bounces(mailbox) == {"reports": 0, "bounces": 0, "unsubscribes": 0, "other": 1}


def test_webhooks_stay_closed_until_a_secret_is_set(client, subscribe):
    subscribe("hart@example.org")
    payload = {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "Email": "hart@example.org"}

    with override_settings(ANYMAIL={"WEBHOOK_SECRET": ""}):
        response = client.post(
            "/newsletter/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json"
        )

    assert response.status_code == 403
    assert "ANYMAIL_WEBHOOK_SECRET" in response.text
    assert Subscriber.objects.get(email="hart@example.org").status == Subscriber.Status.ACTIVE
