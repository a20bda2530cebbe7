from allauth.account.signals import email_confirmed
from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .models import Membership, MembershipChange, NetworkBody
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


# Signals rather than the services: the Wagtail admin, invitations and account deletion change
# memberships too, and each must count.
@receiver(post_save, sender=Membership)
def count_joining(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        MembershipChange.objects.create(body_id=instance.body_id, kind=MembershipChange.Kind.JOINED, on=instance.since)


@receiver(post_delete, sender=Membership)
def count_leaving(sender, instance, **kwargs):
    # A body deleted with its memberships has nobody left to count for.
    if NetworkBody.objects.filter(pk=instance.body_id).exists():
        MembershipChange.objects.create(body_id=instance.body_id, kind=MembershipChange.Kind.LEFT)
