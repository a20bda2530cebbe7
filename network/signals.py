from allauth.account.signals import email_confirmed
from django.apps import apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .roles import ensure_role_groups
from .services import approve_by_domain


@receiver(email_confirmed)
def approve_verified_signup(sender, request, email_address, **kwargs):
    approve_by_domain(email_address.user)


@receiver(post_migrate)
def create_role_groups(sender, **kwargs):
    # Permissions are created app by app during post_migrate, which skips apps without models:
    # only after the last app that gets the signal do all permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        ensure_role_groups()
