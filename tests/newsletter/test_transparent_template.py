"""A send's template makes its fixed parts transparent for SMTP's DATA once (RFC 5321 4.5.2: a line that starts
with a dot gets a second one); what it fills in for a recipient must be exactly what dot-stuffing the whole
message would give, wherever a value begins or ends a line, in the 8bit and the quoted-printable form."""

import random

from core.smtp_pipelining import transparent_content
from newsletter.rendering import GREETING, HEADER_FIELDS, MANAGE_URL, UNSUBSCRIBE_URL, MessageTemplate

TEXT = f".Erste Zeile mit Punkt\n{GREETING}\n.\n..zwei\nLink: {MANAGE_URL}\n{UNSUBSCRIBE_URL}\n.Ende"
HTML = (
    "<html><head><style>\n.klasse { color: #123456; }\n</style></head><body>"
    f'<p>{GREETING}</p>\n.<p><a href="{MANAGE_URL}">Verwalten</a></p>\n<p>{UNSUBSCRIBE_URL}</p></body></html>'
)
HEADERS = (("Subject", "Punkt. Und Zeile"), ("From", "sozialraum@example.org"), *HEADER_FIELDS.items())


def values(rng):
    pieces = [".", "..", "a", "ä", " ", "\n", "\n.", "https://sozialraum.example.org/", "x" * 70]
    made = {
        name: "".join(rng.choices(pieces, k=rng.randrange(0, 6)))
        for name in ("greeting", "manage_url", "unsubscribe_url")
    }
    # Long values: quoted-printable breaks their lines, and a continued line may start with a dot.
    made["manage_url"] += "." * rng.randrange(0, 90)
    return made


def headers(rng):
    address = rng.choice(["leserin@example.org", ".punkt@example.org"])
    return {
        "To": address,
        "Date": "Sat, 05 Dec 2026 03:00:00 -0000",
        "Message-ID": f"<newsletter-1-{rng.randrange(1000)}@sozialraum.example.org>",
        "List-Unsubscribe": "<https://sozialraum.example.org/u/tok.en/>,\r\n <mailto:unsubscribe@example.org>",
    }


def test_the_filled_transparent_message_is_the_whole_message_dot_stuffed():
    rng = random.Random(5321)
    for eight_bit in (False, True):
        template = MessageTemplate(HEADERS, TEXT, HTML, eight_bit)
        filled = 0
        for _round in range(400):
            fields, personal = headers(rng), values(rng)
            plain = template.fill(fields, **personal)
            transparent = template.fill(fields, transparent=True, **personal)
            if plain is None:
                assert transparent is None
                continue
            filled += 1
            assert transparent == transparent_content(plain), personal
        # The 8bit form refuses values with line breaks; enough of the others must have been compared.
        assert filled > 50


def test_usual_values_take_the_prepared_parts_and_still_double_every_leading_dot():
    template = MessageTemplate(HEADERS, TEXT, HTML, True)
    personal = {
        "greeting": "Guten Tag,",
        "manage_url": "https://x.example.org/m/a.b/",
        "unsubscribe_url": "https://x.example.org/u/",
    }
    transparent = template.fill(headers(random.Random(1)), transparent=True, **personal)
    assert b"\r\n..Erste Zeile mit Punkt\r\n" in transparent
    assert b"\r\n..klasse { color" in transparent
    assert b"\r\n...zwei\r\n" in transparent
    # A line of a lone dot would end the message early.
    assert b"\r\n.\r\n" not in transparent
    assert b"https://x.example.org/m/a.b/" in transparent
