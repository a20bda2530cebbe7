from django.db.models.signals import post_save
from django.dispatch import receiver

from network.models import NetworkBody

from .services import ensure_body_page


@receiver(post_save, sender=NetworkBody)
def create_page_for_new_body(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_body_page(instance)
