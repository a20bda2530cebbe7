"""The reminder to the person a task of the minutes belongs to: MJML HTML and a text part, like the meeting mails."""

import mjml
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import absolute_url, legal_links, render_plain_text, with_legal_footer
from network.models import User

from .models import Task


def wants_mail(person: User | None) -> bool:
    return person is not None and person.is_active and person.notify_by_email != User.Delivery.NEVER


def build_task_reminder(task: Task) -> EmailMultiAlternatives:
    person = task.owner
    meeting = task.minutes.meeting
    context = {
        "task": task,
        "meeting": meeting,
        "person": person,
        "minutes_url": absolute_url(task.minutes.get_absolute_url()),
        "settings_url": absolute_url(reverse("network:profile")),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "legal_links": legal_links(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Erinnerung an Ihre Aufgabe bis %(date)s: %(what)s") % {
            "date": task.due_date.strftime("%d.%m.%Y"),
            "what": task.what[:80],
        }
        text = with_legal_footer(render_plain_text("minutes/email/task_reminder.txt", context))
        html = mjml.mjml2html(render_to_string("minutes/email/task_reminder.mjml", context), disable_comments=True)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    return message
