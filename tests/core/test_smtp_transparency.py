"""The pipelined stream dot-stuffs a message's content (RFC 5321 4.5.2) without smtplib's regular expression;
what goes over the wire must be what smtplib would have sent."""

import random
import smtplib

from core.smtp_pipelining import transparent_content


def test_the_content_is_dot_stuffed_exactly_as_smtplib_does_it():
    rng = random.Random(4552)
    samples = [b"", b".", b"..", b".\r\n", b"a\r\n.b", b"\r\n.\r\n.\r\n", b"x\n.y", b"Hallo\r\n"]
    samples += [bytes(rng.choice(b".\r\nab") for _ in range(rng.randrange(40))) for _ in range(5000)]
    for data in samples:
        expected = smtplib._quote_periods(data)
        expected = expected if expected.endswith(b"\r\n") else expected + b"\r\n"
        assert transparent_content(data) == expected, data
