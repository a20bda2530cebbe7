from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from network.freshness import body_sections_show
from network.membership_events import member_joined, member_left
from network.models import Membership, NetworkBody

from . import live
from .models import Board, Post, Suspension, Topic
from .services import ensure_body_board, forget_board_of_former_member, watch_board_of_new_member


@receiver(post_save, sender=NetworkBody)
def create_board_for_body(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_body_board(instance)


@receiver(member_joined)
def follow_the_board_of_a_joined_body(sender, user, body, **kwargs):
    watch_board_of_new_member(user, body)


@receiver(member_left)
def stop_following_the_board_of_a_left_body(sender, user, body, **kwargs):
    forget_board_of_former_member(user, body)


# Live connections ask again whether their person may still see what they show. Memberships
# change in network.services, which must not know the forum, so the forum listens here.


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
@receiver(post_save, sender=Suspension)
def recheck_live_access_of_person(sender, instance, raw=False, **kwargs):
    if not raw:
        user_id = instance.user_id
        transaction.on_commit(lambda: live.broadcast_access_changed_for_user(user_id))


@receiver(post_save, sender=get_user_model())
def recheck_live_access_of_account(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # Deactivation or a revoked approval ends access; a login only stamps last_login and changes nothing.
    if created or raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    user_id = instance.pk
    transaction.on_commit(lambda: live.broadcast_access_changed_for_user(user_id))


@receiver(post_save, sender=Board)
@receiver(post_save, sender=NetworkBody)
def recheck_live_access_after_visibility_change(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        transaction.on_commit(live.broadcast_access_changed_for_everyone)


# A body's page lists its board's latest topics (cms.models.NetworkBodyPage); a reply moves a topic's date.
body_sections_show(Board, Topic, Post)
