"""Rendering e-mails from templates and handing them to the task worker (`core.tasks.send_email`)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from wagtail.models import Site

from .tasks import send_email


def site_url() -> str:
    """The site's base URL for links in mails: SITE_URL where it is set (development sets it from the
    server's address), otherwise the default Wagtail Site that the administration configured."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def absolute_url(path: str) -> str:
    return site_url() + path


LegalLinkSource = Callable[[], Iterable[tuple[str, str]]]

_legal_link_sources: list[LegalLinkSource] = []


def add_legal_link_source(source: LegalLinkSource) -> None:
    """Let the CMS, which owns the legal pages, name them for every mail: `source()` returns
    (label, absolute URL) pairs. The kernel cannot import the CMS, so it asks this way."""
    _legal_link_sources.append(source)


def legal_links() -> list[tuple[str, str]]:
    return [link for source in _legal_link_sources for link in source()]


def legal_footer() -> str:
    """Links to Impressum and Datenschutzerklärung, which every mail we send carries at its end."""
    links = legal_links()
    if not links:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return render_plain_text("core/email/legal_footer.txt", {"links": links})


def queue_message(message: EmailMessage) -> None:
    """Queue an already built EmailMessage (allauth's) once the transaction commits."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    kwargs: dict[str, Any] = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "html": html,
        "from_email": message.from_email,
        "headers": {k: str(v) for k, v in message.extra_headers.items()},
        "reply_to": list(message.reply_to) or None,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))


def render_plain_text(template_name: str, context: dict[str, Any]) -> str:
    """A mail's subject and text part are no HTML: a title like `Eltern & "Kita" <Teltow>` must arrive as
    typed, not as `&amp;` and `&quot;`. Autoescaping is switched off here, for every template, instead of
    relying on each template to wrap itself in `{% autoescape off %}`."""
    # The Django backend's wrapper holds the engine's Template; django-stubs types only the wrapper's protocol.
    return get_template(template_name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def render_templated_mail(template_prefix: str, context: dict[str, Any]) -> tuple[str, str]:
    """Subject and body from `<prefix>_subject.txt` and `<prefix>_message.txt`, in the site's language."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "site_url": site_url(), **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_plain_text(f"{template_prefix}_subject.txt", context).split())
        body = render_plain_text(f"{template_prefix}_message.txt", context)
    return subject, with_legal_footer(body)


def with_legal_footer(body: str) -> str:
    footer = legal_footer()
    return f"{body.rstrip()}\n\n{footer}" if footer else body


def queue_templated_mail(template_prefix: str, to: Iterable[str], context: dict[str, Any]) -> None:
    """Render the mail in German and queue it for the worker."""
    subject, body = render_templated_mail(template_prefix, context)
    kwargs: dict[str, Any] = {"subject": subject, "body": body, "to": list(to)}
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
