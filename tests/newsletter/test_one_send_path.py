"""One send path: every mail backend gets the same pre-encoded message, and each recipient reads the same mail."""

import email
import email.policy

import pytest

from newsletter.delivery import lifecycle, worker
from newsletter.models import Delivery
from newsletter.services import create_send

from .conftest import bodies_of, expected_bodies

SEPARATOR = "\n" + "-" * 79 + "\n"


@pytest.fixture
def started_send(make_edition, subscribe, links_made_in_one_second):
    subscribe("juergen@example.org", name="Jürgen Müller <b>")
    subscribe("lea@example.org", name="Lea Leser")
    edition = make_edition(body=[("paragraph", "<p>Grüße aus dem Netzwerk!</p>")], subject="Sozialraum – März")
    send, _started = lifecycle.start_send(create_send(edition), enqueue=False)
    return send


def parsed(text):
    return email.message_from_bytes(text.encode("utf-8"), policy=email.policy.default)


def assert_reads_as_its_recipient_should(send, message):
    row = Delivery.objects.get(send=send, email=message["To"])
    assert row.status == Delivery.Status.SENT and message["Message-ID"] == row.message_id
    assert message["Subject"] == "Sozialraum – März"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://sozialraum.example.org/newsletter/abmelden/")
    expected_text, expected_html = expected_bodies(send, row)
    text, html = bodies_of(message)
    assert text.rstrip("\n") == expected_text.rstrip("\n") and html.rstrip("\n") == expected_html.rstrip("\n")


def test_the_file_backend_writes_the_messages_a_recipient_reads(settings, tmp_path, started_send):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    worker.run_worker()
    written = "".join(path.read_text("utf-8") for path in tmp_path.iterdir())
    received = [parsed(chunk) for chunk in written.split(SEPARATOR) if chunk.strip()]
    assert sorted(message["To"] for message in received) == ["juergen@example.org", "lea@example.org"]
    for message in received:
        assert_reads_as_its_recipient_should(started_send, message)
    by_address = {message["To"]: message for message in received}
    assert "Guten Tag Jürgen Müller &lt;b&gt;," in bodies_of(by_address["juergen@example.org"])[1]


def test_the_console_backend_prints_the_messages_a_recipient_reads(settings, capsys, started_send):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    worker.run_worker()
    received = [parsed(chunk) for chunk in capsys.readouterr().out.split(SEPARATOR) if chunk.strip()]
    assert sorted(message["To"] for message in received) == ["juergen@example.org", "lea@example.org"]
    for message in received:
        assert_reads_as_its_recipient_should(started_send, message)


def test_djangos_own_smtp_backend_gets_the_seven_bit_form(settings, smtp_sink, started_send):
    """Django's backend cannot ask for BODY=8BITMIME, so it must never get the 8bit form, even where the
    server announces 8BITMIME; the project's backend (core.smtp) sends the 8bit form there."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    worker.run_worker()
    assert len(smtp_sink.messages) == 2
    for entry in smtp_sink.messages:
        assert "BODY=8BITMIME" not in entry.mail_options
        assert {part["Content-Transfer-Encoding"] for part in entry.message.walk() if not part.is_multipart()} == {
            "quoted-printable"
        }
        assert_reads_as_its_recipient_should(started_send, entry.message)
