from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from network.models import NetworkBody

from .models import NetworkBodyPage
from .services import ensure_body_page


@receiver(post_save, sender=NetworkBody)
def create_page_for_new_body(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_body_page(instance)


@receiver(pre_delete, sender=NetworkBody)
def delete_page_of_deleted_body(sender, instance, **kwargs):
    # Through Wagtail's tree API: a plain cascade would leave the page tree inconsistent.
    for page in NetworkBodyPage.objects.filter(body=instance):
        page.delete()
