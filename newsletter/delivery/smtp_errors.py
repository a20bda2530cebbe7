"""What an SMTP server's refusal means for one message: try again later, or give up on this address."""

import smtplib

from django.utils.translation import gettext as _


class Temporary(Exception):
    """Try this message again later; `connection_lost` means the rest of the batch must wait too."""

    def __init__(self, text, *, connection_lost=False):
        super().__init__(text)
        self.connection_lost = connection_lost


class Permanent(Exception):
    def __init__(self, text, *, hard_bounce=False):
        super().__init__(text)
        self.hard_bounce = hard_bounce


def _answer(code, text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def classify(error):
    """Turn what smtplib raised into a retry or a final failure, keeping the server's answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        answer = _answer(code, text)
        if 400 <= code < 500:
            return Temporary(answer)
        # 5.1.x: the mailbox does not exist; other 5xx (policy, spam) say nothing about the address.
        return Permanent(answer, hard_bounce=code in (550, 551, 553) and "5.1." in answer)
    if isinstance(error, smtplib.SMTPSenderRefused):
        # Affects every message of the send: retry and let the error counter pause the send.
        return Temporary(_answer(error.smtp_code, error.smtp_error))
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Temporary(str(error) or _("Verbindung zum Mailserver unterbrochen."), connection_lost=True)
    if isinstance(error, smtplib.SMTPResponseException):
        answer = _answer(error.smtp_code, error.smtp_error)
        if 400 <= error.smtp_code < 500:
            return Temporary(answer)
        return Permanent(answer)
    if isinstance(error, (OSError, smtplib.SMTPException)):
        return Temporary(str(error) or error.__class__.__name__, connection_lost=True)
    raise error
