"""The pipelined stream makes the next message while the server reads the current write. If making it fails,
the message whose end of data is already on its way must still be settled (recorded by the caller) before
the error comes through: otherwise it could arrive without anyone knowing."""

import smtplib

import pytest

from core.smtp_pipelining import Envelope, send_stream
from tests.smtp import SinkWithPipelining, start_sink


def message(number):
    return Envelope(
        sender="sozialraum@example.org",
        recipients=(f"leserin{number}@example.org",),
        data=f"From: sozialraum@example.org\r\nTo: leserin{number}@example.org\r\nSubject: Nr. {number}\r\n\r\nHallo\r\n".encode(),
        tag=number,
    )


def test_a_failure_while_making_the_next_message_comes_after_the_message_in_flight_is_settled():
    sink, controller = start_sink(handler_class=SinkWithPipelining)
    settled = []

    def messages():
        yield message(1)
        yield message(2)
        raise RuntimeError("Datenbank weg")

    connection = smtplib.SMTP("127.0.0.1", controller.port, timeout=5)
    try:
        with pytest.raises(RuntimeError, match="Datenbank weg"):
            send_stream(
                connection, messages(), lambda envelope, outcome: settled.append((envelope.tag, outcome.accepted))
            )
    finally:
        connection.close()
        controller.stop()
    # The first message's end of data went out with the second's envelope; the second never got its content.
    assert settled == [(1, True)]
    assert [entry.rcpt_tos for entry in sink.messages] == [["leserin1@example.org"]]
