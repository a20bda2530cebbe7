"""The NEWSLETTER_* settings of the delivery, with their defaults."""

from django.conf import settings


def setting(name, default):
    return getattr(settings, f"NEWSLETTER_{name}", default)


def list_domain():
    return setting("LIST_ID_DOMAIN", "sozialraum.example.org")


def message_id(send_id, delivery_id):
    return message_ids(send_id)(delivery_id)


def message_ids(send_id):
    """message_id for one send's rows, with the settings read once (a batch's messages)."""
    domain = list_domain()
    return lambda delivery_id: f"<newsletter-{send_id}-{delivery_id}@{domain}>"


def claim_timeout():
    return setting("CLAIM_TIMEOUT", 600)


def retry_delay(attempt):
    delays = setting("RETRY_DELAYS", (60, 300, 900, 3600, 14400))
    return delays[min(attempt, len(delays)) - 1] if delays else 0


def max_attempts():
    return len(setting("RETRY_DELAYS", (60, 300, 900, 3600, 14400))) + 1
