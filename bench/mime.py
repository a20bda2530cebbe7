"""Per-message cost of turning a newsletter edition into SMTP bytes (bench/README.md, "MIME").

Compares the send's pre-encoded template (newsletter.rendering.MessageTemplate.fill) with building
each message with the standard library (email.message.EmailMessage, email.policy.SMTP) and with
Django's EmailMultiAlternatives, for an edition of the size MJML produces (about 40 KB of HTML).

    .venv/bin/python bench/mime.py [--messages 2000]
"""

import argparse
import os
import sys
import time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Links in mails are made from SITE_URL; without it they would be looked up in a database this bench has not got.
os.environ.setdefault("SITE_URL", "https://sozialraum.example.org")

import django  # noqa: E402

django.setup()

from django.core.mail import EmailMultiAlternatives  # noqa: E402
from django.urls import reverse  # noqa: E402

reverse("newsletter:manage", args=["x"])  # importing the URL configuration is start-up, not sending

from newsletter.delivery.messages import message_maker  # noqa: E402
from newsletter.models import Newsletter  # noqa: E402
from newsletter.rendering import GREETING, HEADER_FIELDS, MANAGE_URL, UNSUBSCRIBE_URL, message_template  # noqa: E402

BLOCK = (
    '<tr><td style="padding:0 24px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">'
    "<h2>Neues aus dem Sozialraum Teltow</h2><p>Die Fachgruppe Kinder und Jugend lädt zur nächsten Sitzung ein. "
    "Themen: Übergänge Kita–Schule, Ferienangebote, Öffnungszeiten der Jugendclubs. Anmeldung über die Website.</p>"
    '<a href="https://sozialraum.example.org/veranstaltungen/sitzung-fg-kinder/" style="color:#0b5394">Mehr lesen</a></td></tr>\n'
)
HTML = f"<html><body><p>{GREETING}</p><table>{BLOCK * 70}</table><p><a href='{MANAGE_URL}'>Einstellungen</a> · <a href='{UNSUBSCRIBE_URL}'>Abmelden</a></p></body></html>"  # noqa: E501
TEXT = (
    f"{GREETING}\n\n"
    + "Die Fachgruppe Kinder und Jugend lädt zur nächsten Sitzung ein. Themen: Übergänge.\n" * 60
    + f"\n{MANAGE_URL}\n{UNSUBSCRIBE_URL}\n"
)  # noqa: E501
SENDER = "Sozialraum Teltow <newsletter@sozialraum.example.org>"
SUBJECT = "Newsletter März: Fachgruppen, Termine, Übergänge"


def values(n):
    return {
        "greeting": f"Guten Tag Person {n},",
        "manage_url": f"https://sozialraum.example.org/newsletter/verwalten/tok{n:08d}abcdefghijklmnop/",
        "unsubscribe_url": f"https://sozialraum.example.org/newsletter/abmelden/tok{n:08d}qrstuvwxyz/",
    }


def personal(text, html, v):
    for mark, value in (
        (GREETING, v["greeting"]),
        (MANAGE_URL, v["manage_url"]),
        (UNSUBSCRIBE_URL, v["unsubscribe_url"]),
    ):
        text, html = text.replace(mark, value), html.replace(mark, value)
    return text, html


def template_fill(count):
    headers = (("Subject", "=?utf-8?q?Newsletter_M=C3=A4rz?="), ("From", SENDER), *HEADER_FIELDS.items())
    template = message_template(headers, TEXT, HTML, False)
    for n in range(count):
        v = values(n)
        fields = {
            "To": f"p{n}@example.org",
            "Date": formatdate(),
            "Message-ID": f"<n-1-{n}@x>",
            "List-Unsubscribe": "<u>",
        }
        template.fill(fields, **v)


def send_path(count):
    """What the worker does per recipient: the PreEncodedEmail with its signed links, as a backend takes its bytes."""
    newsletter = Newsletter(pk=1, name="Sozialraum aktuell", slug="sozialraum-aktuell", sender_name="Sozialraum Teltow",
                            sender_email="newsletter@sozialraum.example.org")  # fmt: skip
    make = message_maker(newsletter, subject=SUBJECT, text=TEXT, html=HTML)
    for n in range(count):
        make(f"p{n}@example.org", f"Person {n}", f"<n-1-{n}@x>").message().as_bytes(linesep="\r\n")


def stdlib(count):
    for n in range(count):
        text, html = personal(TEXT, HTML, values(n))
        message = EmailMessage(policy=SMTP)
        message["Subject"], message["From"], message["To"] = SUBJECT, SENDER, f"p{n}@example.org"
        message["Date"], message["Message-ID"], message["List-Unsubscribe"] = formatdate(), f"<n-1-{n}@x>", "<u>"
        message.set_content(text, cte="quoted-printable")
        message.add_alternative(html, subtype="html", cte="quoted-printable")
        message.as_bytes()


def django_message(count):
    for n in range(count):
        text, html = personal(TEXT, HTML, values(n))
        message = EmailMultiAlternatives(
            SUBJECT, text, SENDER, [f"p{n}@example.org"], headers={"Message-ID": f"<n-1-{n}@x>"}
        )
        message.attach_alternative(html, "text/html")
        message.message().as_bytes(linesep="\r\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    count = parser.parse_args().messages
    print(f"{count} messages, HTML {len(HTML.encode()) // 1024} KB, text {len(TEXT.encode()) // 1024} KB")
    for name, run in (
        ("template (ours)", template_fill),
        ("send path (template + links)", send_path),
        ("stdlib EmailMessage", stdlib),
        ("Django EmailMultiAlternatives", django_message),
    ):  # noqa: E501
        start = time.perf_counter()
        run(count)
        per = (time.perf_counter() - start) / count
        print(f"{name:32} {per * 1e3:7.3f} ms per message   {1 / per:9.0f} messages/s")


if __name__ == "__main__":
    main()
