"""Sending to a real SMTP server (aiosmtpd on loopback): headers, parts, audiences, errors."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.utils import timezone

from cms.models import EventPage, EventRegistration
from newsletter import rendering
from newsletter.delivery import ledger, lifecycle, options, worker
from newsletter.models import Delivery, Send, Subscriber, Subscription
from newsletter.services import create_send
from tests.servers import free_port

from .conftest import SITE_URL, as_received, bodies_of, expected_bodies

# Claiming differs per database (SKIP LOCKED on PostgreSQL, one writer on SQLite).
pytestmark = pytest.mark.both_databases


@pytest.fixture
def event(page_tree):
    return page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz 2025",
            slug="konferenz-2025",
            start=timezone.now() + timedelta(days=30),
            location="Rathaus Teltow",
            intro="Alle Akteure des Netzwerks treffen sich.",
            is_conference=True,
        )
    )


def test_one_mail_per_recipient_across_audiences_with_all_headers(
    smtp_sink, make_edition, subscribe, make_user, make_body, add_member, event
):
    subscribe("leser@example.org")
    subscribe("Mehrfach@Example.org")  # also a body member and an attendee, written differently
    subscribe("abgemeldet@example.org", status=Subscription.Status.UNSUBSCRIBED)
    subscribe("unbestaetigt@example.org", status=Subscription.Status.PENDING)
    subscribe("unzustellbar@example.org")
    Subscriber.objects.filter(email="unzustellbar@example.org").update(status=Subscriber.Status.BOUNCED)
    body = make_body("FG Kita")
    add_member(make_user("mehrfach@example.org", display_name="Mia Mehrfach"), body)
    add_member(make_user("kita@example.org", display_name="Kai Kita"), body)
    # Unsubscribed from this list: a body membership must not bring the mail back.
    add_member(make_user("ABGEMELDET@example.org"), body)
    EventRegistration.objects.create(event=event, name="Mia M.", email="MEHRFACH@example.org")
    EventRegistration.objects.create(event=event, name="Gast <script>", email="gast@example.org")

    send = create_send(make_edition(), bodies=[body], event=event)
    send, started = lifecycle.start_send(send, enqueue=False)
    assert started and send.recipients_count == 4
    worker.run_worker()

    received = sorted(addr.lower() for entry in smtp_sink.messages for addr in entry.rcpt_tos)
    assert received == ["gast@example.org", "kita@example.org", "leser@example.org", "mehrfach@example.org"]
    message_ids = {entry.message["Message-ID"] for entry in smtp_sink.messages}
    assert len(message_ids) == 4

    send.refresh_from_db()
    assert send.status == Send.Status.DONE and send.sent_count == 4 and send.finished_at

    for entry in smtp_sink.messages:
        message = entry.message
        assert message.get_content_type() == "multipart/alternative"
        assert parseaddr(message["From"])[1] == "sozialraum@example.org"
        assert message["Reply-To"] == "antwort@example.org"
        assert message["List-Id"] == "Sozialraum aktuell <sozialraum-aktuell.sozialraum.example.org>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        https_part, mailto_part = [part.strip() for part in message["List-Unsubscribe"].split(",")]
        assert https_part.startswith(f"<{SITE_URL}/newsletter/abmelden/") and https_part.endswith("/>")
        assert mailto_part.startswith("<mailto:unsubscribe@sozialraum.example.org?subject=unsubscribe-")
        assert mailto_part.endswith(">")
        text, html = bodies_of(message)
        unsubscribe_url = https_part[1:-1]
        assert unsubscribe_url in html and unsubscribe_url in text
        assert "Hallo Netzwerk!" in html and "Hallo Netzwerk!" in text

    links = {entry.rcpt_tos[0].lower(): entry.message["List-Unsubscribe"] for entry in smtp_sink.messages}
    assert len(set(links.values())) == 4  # personal links
    (guest,) = smtp_sink.to("gast@example.org")
    _text, html = bodies_of(guest)
    assert "Guten Tag Gast &lt;script&gt;," in html
    (mia,) = smtp_sink.to("mehrfach@example.org")
    assert "Guten Tag Mia Mehrfach," in bodies_of(mia)[0]


def test_smtp_messages_carry_what_the_email_package_would_write(
    smtp_sink, make_edition, subscribe, newsletter, links_made_in_one_second
):
    """Over SMTP the message comes from a template encoded once per send; per recipient it must still
    decode to exactly the personalised edition, umlauts, escaped names and long lines included."""
    newsletter.name = "Sozialraum für alle"
    newsletter.save()
    long_line = "Sprechstunde für Eltern = Beratung " * 40  # far beyond a line of 76 and of 998 characters
    subscribe("juergen@example.org", name="Jürgen Müller <b>")
    subscribe("ohne.name@example.org")
    edition = make_edition(body=[("paragraph", f"<p>Grüße {long_line}</p>")], subject="Sozialraum aktuell – März ✓")
    send, _started = lifecycle.start_send(create_send(edition), enqueue=False)
    worker.run_worker()

    assert len(smtp_sink.messages) == 2
    for entry in smtp_sink.messages:
        message = entry.message
        row = Delivery.objects.get(send=send, email=entry.rcpt_tos[0])
        expected_text, expected_html = expected_bodies(send, row)
        text, html = bodies_of(message)
        assert text.rstrip("\n") == expected_text.rstrip("\n")
        assert html.rstrip("\n") == expected_html.rstrip("\n")
        assert message["Subject"] == "Sozialraum aktuell – März ✓"
        assert message["To"] == row.email
        assert message["List-Id"] == "Sozialraum für alle <sozialraum-aktuell.sozialraum.example.org>"
        links = rendering.recipient_links(row.email, newsletter)
        assert message["List-Unsubscribe"] == (
            f"<{links['unsubscribe_url']}>, "
            f"<mailto:unsubscribe@sozialraum.example.org?subject=unsubscribe-{links['unsubscribe_token']}>"
        )
        assert message["Message-ID"] == options.message_id(send.pk, row.pk) == row.message_id
        assert message["Date"].datetime is not None
        for part in message.walk():
            if not part.is_multipart():
                assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert max(len(line) for line in message.as_bytes().split(b"\n")) <= 998
    juergen_text, juergen_html = bodies_of(smtp_sink.to("juergen@example.org")[0])
    assert "Guten Tag Jürgen Müller <b>," in juergen_text and "Guten Tag Jürgen Müller &lt;b&gt;," in juergen_html
    assert "Guten Tag," in bodies_of(smtp_sink.to("ohne.name@example.org")[0])[0]


def test_starting_twice_creates_one_set_of_deliveries(make_edition, subscribe):
    subscribe("a@example.org")
    subscribe("b@example.org")
    send = create_send(make_edition())
    _send, first = lifecycle.start_send(send, enqueue=False)
    _send, second = lifecycle.start_send(send, enqueue=False)
    assert (first, second) == (True, False)
    assert Delivery.objects.filter(send=send).count() == 2


def test_start_compiles_once_and_workers_use_the_stored_html(make_edition, subscribe, monkeypatch, mailoutbox):
    subscribe("a@example.org")
    subscribe("b@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    assert "<html" in send.compiled_html and "Hallo Netzwerk!" in send.compiled_text

    def no_compiling(*args, **kwargs):
        raise AssertionError("workers must not compile MJML")

    monkeypatch.setattr("newsletter.rendering.mjml.mjml2html", no_compiling)
    worker.run_worker()
    assert len(mailoutbox) == 2


def test_temporary_error_is_retried(smtp_sink, make_edition, subscribe):
    subscribe("grau@example.org")
    subscribe("ok@example.org")
    smtp_sink.rcpt_answers["grau@example.org"] = ["451 4.7.1 Greylisted, try again later"]
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)

    worker.run_worker(once=True)
    row = Delivery.objects.get(send=send, email="grau@example.org")
    assert row.status == Delivery.Status.QUEUED and row.attempts == 1
    assert "451 4.7.1 Greylisted" in row.last_error

    worker.run_worker()
    row.refresh_from_db()
    assert row.status == Delivery.Status.SENT and row.attempts == 2
    assert len(smtp_sink.to("grau@example.org")) == 1 and len(smtp_sink.to("ok@example.org")) == 1


def test_permanent_error_fails_with_the_servers_answer(smtp_sink, make_edition, subscribe):
    subscribe("weg@example.org")
    subscribe("abgelehnt@example.org")
    subscribe("ok@example.org")
    smtp_sink.rcpt_answers["weg@example.org"] = ["550 5.1.1 No such user here"]
    smtp_sink.rcpt_answers["abgelehnt@example.org"] = ["554 5.7.1 Rejected by policy"]
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    worker.run_worker()

    gone = Delivery.objects.get(send=send, email="weg@example.org")
    assert gone.status == Delivery.Status.FAILED and gone.last_error == "550 5.1.1 No such user here"
    # An unknown mailbox is a hard bounce: the address is suspended for every list.
    assert Subscriber.objects.get(email="weg@example.org").status == Subscriber.Status.BOUNCED
    refused = Delivery.objects.get(send=send, email="abgelehnt@example.org")
    assert refused.status == Delivery.Status.FAILED and "554 5.7.1" in refused.last_error
    assert Subscriber.objects.get(email="abgelehnt@example.org").status == Subscriber.Status.ACTIVE
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and (send.sent_count, send.failed_count) == (1, 2)


def test_retries_end_in_failure(smtp_sink, make_edition, subscribe):
    subscribe("voll@example.org")
    smtp_sink.rcpt_answers["voll@example.org"] = ["452 4.2.2 Mailbox full"] * 10
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    with pytest.MonkeyPatch.context() as patch:
        # One recipient failing repeatedly must not pause the whole send in this test.
        patch.setattr(worker, "_register_error", lambda send, error: 0)
        worker.run_worker()
    row = Delivery.objects.get(send=send)
    assert row.status == Delivery.Status.FAILED and row.attempts == 4 and "452 4.2.2" in row.last_error


def test_server_down_pauses_the_send_and_loses_nothing(settings, smtp_sink, make_edition, subscribe):
    for number in range(5):
        subscribe(f"person{number}@example.org")
    sink_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)

    worker.run_worker()
    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED
    assert "3 Fehlern in Folge" in send.status_reason and "Connection refused" in send.status_reason
    assert Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).count() == 5

    settings.EMAIL_PORT = sink_port
    assert lifecycle.resume(send, enqueue=False)
    worker.run_worker()
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and send.sent_count == 5
    assert len(smtp_sink.messages) == 5


def test_disconnect_mid_batch_requeues_the_rest(smtp_sink, make_edition, subscribe):
    for number in range(4):
        subscribe(f"person{number}@example.org")
    smtp_sink.data_answers = ["250 OK", "421 4.3.2 Service shutting down"]
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    worker.run_worker()
    send.refresh_from_db()
    assert send.status == Send.Status.DONE and send.sent_count == 4
    # The first message was answered 250 without being stored (data_answers), the rest arrived once each.
    assert sorted(entry.rcpt_tos[0] for entry in smtp_sink.messages) == [f"person{n}@example.org" for n in range(1, 4)]


def test_unsubscribing_after_the_start_skips_the_address(make_edition, subscribe, mailoutbox):
    subscribe("bleibt@example.org")
    subscribe("geht@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    from newsletter.services import unsubscribe

    unsubscribe("GEHT@example.org", send.edition.newsletter)
    worker.run_worker()
    assert [as_received(message)["To"] for message in mailoutbox] == ["bleibt@example.org"]
    assert Delivery.objects.get(send=send, email="geht@example.org").status == Delivery.Status.SKIPPED


def test_pause_and_cancel(make_edition, subscribe, mailoutbox):
    subscribe("a@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    assert ledger.pause(send, "Tippfehler im Betreff")
    worker.run_worker()
    assert mailoutbox == []
    assert lifecycle.cancel(send)
    send.refresh_from_db()
    assert send.status == Send.Status.CANCELLED
    assert Delivery.objects.get(send=send).status == Delivery.Status.SKIPPED
    assert not lifecycle.resume(send)


def test_abandoned_claims_are_requeued_and_keep_their_message_id(settings, make_edition, subscribe, mailoutbox):
    settings.NEWSLETTER_CLAIM_TIMEOUT = 60
    subscribe("a@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    _send, rows = ledger.claim_batch("dead-worker")
    Delivery.objects.filter(pk=rows[0].pk).update(claimed_at=timezone.now() - timedelta(seconds=30))
    assert worker.run_worker(wait=False) == 0  # still within the timeout: someone may be working on it

    Delivery.objects.filter(pk=rows[0].pk).update(claimed_at=timezone.now() - timedelta(seconds=61))
    worker.run_worker()
    (message,) = mailoutbox
    assert as_received(message)["Message-ID"] == options.message_id(send.pk, rows[0].pk)
    assert Delivery.objects.get(pk=rows[0].pk).status == Delivery.Status.SENT


def test_rate_limit_spaces_messages(settings, make_edition, subscribe, mailoutbox):
    import time

    for number in range(3):
        subscribe(f"person{number}@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition()), enqueue=False)
    Send.objects.filter(pk=send.pk).update(rate_limit=20)
    started = time.monotonic()
    worker.run_worker()
    assert time.monotonic() - started >= 0.1 - 0.01
    assert len(mailoutbox) == 3
