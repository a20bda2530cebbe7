import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum import permissions, search, services
from forum.models import AuditLog, Report, Topic

# The topic page and the posting services have database-specific queries (JSON aggregates, locks).
pytestmark = pytest.mark.both_databases


def test_a_report_appears_in_the_queue_of_the_boards_moderators_only(
    client, member, moderator, other_moderator, closed_board, make_user, add_member
):
    author = make_user()
    add_member(author, closed_board.body)
    topic = services.create_topic(author, closed_board, "Streit", "Unfreundlich")
    services.report_post(member, topic.posts.get(), "Beleidigend")
    client.force_login(moderator)
    assert len(client.get(reverse("forum:moderation_queue")).context["reports"]) == 1
    client.force_login(other_moderator)
    assert len(client.get(reverse("forum:moderation_queue")).context["reports"]) == 0


def test_hiding_the_first_post_hides_the_topic_and_restoring_brings_it_back(moderator, member, closed_board):
    topic = services.create_topic(member, closed_board, "Werbung", "Kauft Sachen")
    post = topic.posts.get()
    services.set_post_hidden(moderator, post, True, "Werbung")
    assert not permissions.visible_topics(member).filter(pk=topic.pk).exists()
    assert permissions.visible_topics(moderator).filter(pk=topic.pk).exists()
    assert search.search_posts(moderator, "Sachen") == []
    services.set_post_hidden(moderator, post, False)
    assert permissions.visible_topics(member).filter(pk=topic.pk).exists()
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["restore_post", "hide_post"]


def test_a_moderator_of_another_body_cannot_moderate_here(other_moderator, member, closed_board):
    topic = services.create_topic(member, closed_board, "Intern", "Text")
    with pytest.raises(PermissionDenied):
        services.set_topic_flag(other_moderator, topic, "is_locked", True)


def test_lock_and_pin_are_logged_with_reason(moderator, member, closed_board):
    topic = services.create_topic(member, closed_board, "Thema", "Text")
    services.set_topic_flag(moderator, topic, "is_locked", True, "erledigt")
    services.set_topic_flag(moderator, topic, "is_pinned", True)
    entry = AuditLog.objects.get(action=AuditLog.Action.LOCK_TOPIC)
    assert (entry.actor, entry.target_id, entry.reason, entry.board) == (moderator, topic.pk, "erledigt", closed_board)


def test_the_coordination_moves_a_topic_and_both_boards_are_recounted(
    coordination, professional, open_board, closed_board
):
    topic = services.create_topic(professional, open_board, "Falsch hier", "Text")
    services.move_topic(coordination, topic, closed_board, "passt besser")
    open_board.refresh_from_db()
    closed_board.refresh_from_db()
    assert (open_board.topic_count, closed_board.topic_count, closed_board.post_count) == (0, 1, 1)


def test_merging_moves_all_posts_in_order_and_removes_the_source(coordination, professional, open_board, make_user):
    target = services.create_topic(professional, open_board, "Ziel", "eins")
    source = services.create_topic(make_user(), open_board, "Doppelt", "zwei")
    services.create_post(professional, source, "drei")
    services.merge_topics(coordination, source, target)
    assert not Topic.objects.filter(pk=source.pk).exists()
    assert list(target.posts.order_by("number").values_list("markdown", flat=True)) == ["eins", "zwei", "drei"]
    target.refresh_from_db()
    assert target.post_count == 3


def test_splitting_moves_chosen_replies_into_a_new_topic(coordination, professional, open_board, make_user):
    topic = services.create_topic(professional, open_board, "Sammelthema", "Start")
    off_topic = services.create_post(make_user(), topic, "Anderes Thema")
    services.create_post(professional, topic, "Zurück zum Thema")
    new_topic = services.split_topic(coordination, topic, [off_topic.pk], "Abgespalten")
    assert list(new_topic.posts.values_list("markdown", "number")) == [("Anderes Thema", 1)]
    assert list(topic.posts.values_list("number", flat=True)) == [1, 2]
    assert AuditLog.objects.filter(action=AuditLog.Action.SPLIT_TOPIC).exists()


def test_the_moderation_page_locks_a_topic_without_javascript(client, moderator, member, closed_board):
    topic = services.create_topic(member, closed_board, "Sperren", "Text")
    client.force_login(moderator)
    client.post(
        reverse("forum:topic_moderate", args=[topic.pk]), {"action": "flag", "flag": "is_locked", "value": "on"}
    )
    topic.refresh_from_db()
    assert topic.is_locked


def test_a_suspension_is_logged_and_ends_posting_until_it_expires(client, coordination, professional, open_board):
    client.force_login(coordination)
    client.post(reverse("forum:user_suspend", args=[professional.pk]), {"days": 2, "reason": "Spam"})
    assert permissions.is_suspended(professional)
    assert AuditLog.objects.get(action=AuditLog.Action.SUSPEND_USER).reason == "Spam"
    assert not permissions.can_start_topic(professional, open_board)


def test_resolving_a_report_records_who_decided(moderator, member, closed_board, make_user, add_member):
    author = make_user()
    add_member(author, closed_board.body)
    topic = services.create_topic(author, closed_board, "X", "Y")
    report = services.report_post(member, topic.posts.get(), "Falsch")
    services.resolve_report(moderator, report, Report.Status.DISMISSED)
    report.refresh_from_db()
    assert report.decided_by == moderator and report.status == Report.Status.DISMISSED
