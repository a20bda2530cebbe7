from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        # Connects the receiver of django-anymail's tracking signal (provider bounce webhooks).
        # Registers the newsletter's part of a person's data download and account deletion.
        # Keeps the archive's cached list fresh when a newsletter changes.
        from . import (
            bounces,  # noqa: F401
            privacy,  # noqa: F401
            signals,  # noqa: F401
        )
