from django.db.models.signals import post_save
from django.dispatch import receiver

from network.models import NetworkBody

from .services import ensure_body_board


@receiver(post_save, sender=NetworkBody)
def create_board_for_body(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_body_board(instance)
