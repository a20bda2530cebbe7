"""The `mailto:` of List-Unsubscribe works: a mail to that address ends the subscription its token names.

The edition and the unsubscribe mail both travel over SMTP to the real (aiosmtpd) server; the mailbox
reader then gets what that server accepted for the unsubscribe address.
"""

import random
import smtplib
from email.message import EmailMessage
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

from django.core import signing
from django.core.management import call_command

from newsletter import bounces, services, tokens
from newsletter.delivery import lifecycle, worker
from newsletter.models import Subscription

from .imap import FakeIMAP

MAILBOX = "unsubscribe@sozialraum.example.org"


def mailto_of(message):
    """(address, subject) of the List-Unsubscribe mailto, as a mail client reads it."""
    mailto = next(part.strip()[1:-1] for part in message["List-Unsubscribe"].split(",") if "mailto:" in part)
    url = urlsplit(mailto)
    return unquote(url.path), parse_qs(url.query)["subject"][0]


def send_mail(server_port, sender, to, subject):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("Bitte abmelden.")
    with smtplib.SMTP("127.0.0.1", server_port) as connection:
        connection.send_message(message)


def test_a_mail_to_the_unsubscribe_address_unsubscribes_and_a_forged_token_changes_nothing(
    smtp_sink, settings, make_edition, subscribe, newsletter, monkeypatch
):
    random.seed(4)
    reader, other = f"leserin{random.randint(1, 999)}@example.org", "andere@example.org"
    subscribe(reader)
    subscribe(other)
    lifecycle.start_send(services.create_send(make_edition()), enqueue=False)
    worker.run_worker()
    [edition_mail] = smtp_sink.to(reader)
    address, subject = mailto_of(edition_mail)
    assert address == MAILBOX and subject.startswith("unsubscribe-")

    forged_token = signing.dumps([other, newsletter.pk], key="nicht-unser-schluessel", salt=tokens.UNSUBSCRIBE_SALT)
    send_mail(settings.EMAIL_PORT, reader, address, subject)
    send_mail(settings.EMAIL_PORT, "spam@example.net", address, f"unsubscribe-{forged_token}")
    arrived = [entry.content for entry in smtp_sink.messages if MAILBOX in entry.rcpt_tos]
    assert len(arrived) == 2
    mailbox = FakeIMAP(arrived)
    monkeypatch.setattr(bounces, "connect_imap", lambda: mailbox)

    output = []
    call_command("fetch_bounces", stdout=SimpleNamespace(write=output.append))

    assert Subscription.objects.get(subscriber__email=reader).status == Subscription.Status.UNSUBSCRIBED
    assert Subscription.objects.get(subscriber__email=other).status == Subscription.Status.CONFIRMED
    assert "1 unsubscribe mails" in output[0]
    # The forged request stays in the mailbox for a person to look at.
    assert list(mailbox.messages.values()) == [arrived[1]]

    # The next edition goes to the other subscriber only.
    smtp_sink.messages.clear()
    lifecycle.start_send(services.create_send(make_edition()), enqueue=False)
    worker.run_worker()
    assert [entry.rcpt_tos for entry in smtp_sink.messages] == [[other]]
