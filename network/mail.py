"""Rendering e-mails from templates and handing them to the task worker."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def queue_message(message):
    """Queue an already built EmailMessage (allauth's) once the transaction commits."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    kwargs = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "html": html,
        "from_email": message.from_email,
        "headers": {k: str(v) for k, v in message.extra_headers.items()},
        "reply_to": list(message.reply_to) or None,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))


def render_templated_mail(template_prefix, context):
    """Subject and body from `<prefix>_subject.txt` and `<prefix>_message.txt`, in the site's language."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
    return subject, body


def queue_templated_mail(template_prefix, to, context):
    """Render the mail in German and queue it for the worker."""
    subject, body = render_templated_mail(template_prefix, context)
    kwargs = {"subject": subject, "body": body, "to": list(to)}
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
