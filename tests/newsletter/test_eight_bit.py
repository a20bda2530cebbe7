"""Parts sent unencoded (8bit) to a server that announces 8BITMIME, quoted-printable otherwise."""

import re

from newsletter import rendering
from newsletter.delivery import lifecycle, worker
from newsletter.models import Delivery
from newsletter.services import create_send

from .conftest import bodies_of, expected_bodies


def encodings_of(message):
    return [part["Content-Transfer-Encoding"] for part in message.walk() if not part.is_multipart()]


def without_added_breaks(received, expected):
    """`received` less the line breaks that `expected` lacks; each must sit between two tags."""
    kept, position = [], 0
    for index, char in enumerate(received):
        if char == "\n" and expected[position : position + 1] != "\n":
            assert received[index - 1] == ">" and received[index + 1] == "<", received[index - 40 : index + 40]
            continue
        kept.append(char)
        position += 1
    return "".join(kept)


def assert_wire_lines_fit(content):
    assert b"\n" not in content.replace(b"\r\n", b"") and b"\r" not in content.replace(b"\r\n", b"")
    assert max(len(line) for line in content.split(b"\r\n")) <= rendering.LINE_OCTETS


def edition_body():
    paragraph = "<p>Grüße aus dem Netzwerk: <strong>Sprechstunde</strong> für Eltern, <em>jeden</em> Dienstag.</p>"
    return [
        ("heading", {"text": "Aus den Fokusgruppen", "level": "h2"}),
        *[("paragraph", paragraph)] * 8,
        ("button", {"text": "Zur Anmeldung", "page": None, "url": "https://example.org/anmeldung/"}),
        ("divider", None),
    ]


def test_parts_go_8bit_in_long_lines_when_the_server_announces_8bitmime(
    smtp_sink, make_edition, subscribe, newsletter, links_made_in_one_second
):
    subscribe("juergen@example.org", name="Jürgen Müller <b>")
    subscribe("ohne.name@example.org")
    send, _started = lifecycle.start_send(create_send(make_edition(body=edition_body())), enqueue=False)
    worker.run_worker()

    assert len(smtp_sink.messages) == 2
    for entry in smtp_sink.messages:
        assert "BODY=8BITMIME" in entry.mail_options
        assert encodings_of(entry.message) == ["8bit", "8bit"]
        assert_wire_lines_fit(entry.content)
        row = Delivery.objects.get(send=send, email=entry.rcpt_tos[0])
        expected_text, expected_html = expected_bodies(send, row)
        text, html = bodies_of(entry.message)
        assert text.rstrip("\n") == expected_text.rstrip("\n")
        assert without_added_breaks(html, expected_html).rstrip("\n") == expected_html.rstrip("\n")
        # Far fewer lines than quoted-printable's 76 octets would take: that is the point.
        assert html.count("\n") < rendering.quoted_printable(expected_html).count(b"\r\n") / 3
    juergen_text, juergen_html = bodies_of(smtp_sink.to("juergen@example.org")[0])
    assert "Guten Tag Jürgen Müller <b>," in juergen_text and "Guten Tag Jürgen Müller &lt;b&gt;," in juergen_html


def test_quoted_printable_when_the_server_does_not_announce_8bitmime(
    smtp_sink_without_8bitmime, make_edition, subscribe, newsletter, links_made_in_one_second
):
    subscribe("leser@example.org", name="Lea Leser")
    send, _started = lifecycle.start_send(create_send(make_edition(body=edition_body())), enqueue=False)
    worker.run_worker()

    (entry,) = smtp_sink_without_8bitmime.messages
    assert not any(option.startswith("BODY=") for option in entry.mail_options)
    assert encodings_of(entry.message) == ["quoted-printable", "quoted-printable"]
    assert max(len(line) for line in entry.content.split(b"\r\n")) <= 998
    expected_text, expected_html = expected_bodies(send, Delivery.objects.get(send=send))
    text, html = bodies_of(entry.message)
    assert (text.rstrip("\n"), html.rstrip("\n")) == (expected_text.rstrip("\n"), expected_html.rstrip("\n"))


def test_a_value_too_long_for_an_8bit_line_gets_the_quoted_printable_message(
    smtp_sink, make_edition, subscribe, newsletter
):
    # Escaped for HTML each quote takes six octets: far more than an 8bit line has room for.
    subscribe("lang@example.org", name='"' * 60)
    subscribe("kurz@example.org", name="Kai Kurz")
    send, _started = lifecycle.start_send(create_send(make_edition(body=edition_body())), enqueue=False)
    worker.run_worker()

    (long_name,) = [entry for entry in smtp_sink.messages if entry.rcpt_tos == ["lang@example.org"]]
    (short_name,) = [entry for entry in smtp_sink.messages if entry.rcpt_tos == ["kurz@example.org"]]
    assert encodings_of(long_name.message) == ["quoted-printable", "quoted-printable"]
    assert encodings_of(short_name.message) == ["8bit", "8bit"]
    _text, html = bodies_of(long_name.message)
    assert "Guten Tag " + "&quot;" * 60 + "," in html


def test_parts_whose_lines_cannot_be_wrapped_stay_quoted_printable(smtp_sink, make_edition, subscribe):
    """Text has no break that changes nothing, so a long paragraph keeps both parts quoted-printable."""
    subscribe("leser@example.org")
    long_paragraph = "Sprechstunde für Eltern = Beratung " * 40
    edition = make_edition(body=[("paragraph", f"<p>{long_paragraph}</p>")])
    lifecycle.start_send(create_send(edition), enqueue=False)
    worker.run_worker()

    (entry,) = smtp_sink.messages
    assert encodings_of(entry.message) == ["quoted-printable", "quoted-printable"]
    assert long_paragraph.strip() in bodies_of(entry.message)[1]


def test_html_is_broken_only_between_tags_where_whitespace_is_dropped():
    cell = '<td style="padding:0"><div style="display:inline-block">Text <b>fett</b><i>kursiv</i></div></td>'
    html = (
        '<html><head><style>td > p { margin: 0 }</style></head><body><table title="a><b"><tbody>'
        + f"<tr>{cell}</tr>" * 60
        + "</tbody></table><pre><b>a</b><i>b</i></pre><p>Eins</p><p>Zwei</p></body></html>"
    )
    wrapped = rendering.wrap_html(html)

    assert wrapped.replace("\n", "") == html
    lines = wrapped.split("\n")
    assert len(lines) > len(html) // rendering.LINE_OCTETS
    assert all(len(line.encode()) <= rendering.LINE_OCTETS for line in lines)
    for left, right in zip(lines, lines[1:]):
        before, after = re.search(r"</?(\w+)[^<]*>$", left).group(1), re.match(r"</?(\w+)", right).group(1)
        assert {before, after} <= {"html", "head", "style", "table", "tbody", "tr", "td", "p", "body"}
