from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from network.models import NetworkBody

from .models import EventPage, NetworkBodyPage
from .services import ensure_body_page, fill_free_seats


@receiver(post_save, sender=NetworkBody)
def create_page_for_new_body(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_body_page(instance)


@receiver(pre_delete, sender=NetworkBody)
def delete_page_of_deleted_body(sender, instance, **kwargs):
    # Through Wagtail's tree API: a plain cascade would leave the page tree inconsistent.
    for page in NetworkBodyPage.objects.filter(body=instance):
        page.delete()


@receiver(page_published, sender=EventPage)
def move_up_after_more_seats(sender, instance, **kwargs):
    # An editor raised the capacity in the admin: whoever waits gets the new seats.
    fill_free_seats(instance)
