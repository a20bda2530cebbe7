import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from forum import notifications, services
from forum.models import BoardSubscription, Notification, WatchLevel
from network.models import User


@pytest.fixture
def post_with_callbacks(django_capture_on_commit_callbacks):
    """Run a posting service and what it registered for after the commit (tasks run at once in tests)."""

    def run(operation):
        with django_capture_on_commit_callbacks(execute=True):
            return operation()

    return run


def test_a_reply_notifies_the_topic_author_by_mail_with_an_unsubscribe_link(
    post_with_callbacks, professional, open_board, make_user
):
    topic = services.create_topic(professional, open_board, "Ferienangebote", "Wer hat Plätze?")
    mail.outbox.clear()
    replier = make_user(display_name="Rita Antwort")
    post = post_with_callbacks(lambda: services.create_post(replier, topic, "Wir!"))
    notification = Notification.objects.get(recipient=professional)
    assert notification.kind == Notification.Kind.REPLY and notification.post == post
    [message] = mail.outbox
    assert message.to == [professional.email]
    assert "Ferienangebote" in message.subject
    assert "/forum/abbestellen/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mention_notifies_the_person_named(post_with_callbacks, professional, open_board, make_user):
    named = make_user(display_name="Anna Beispiel")
    post_with_callbacks(lambda: services.create_topic(professional, open_board, "Hallo", "Frage an @Anna_Beispiel"))
    assert Notification.objects.get(recipient=named).kind == Notification.Kind.MENTION


def test_a_mention_of_someone_who_cannot_read_the_board_notifies_no_one(
    post_with_callbacks, member, closed_board, make_user
):
    outsider = make_user(display_name="Otto Aussen")
    post_with_callbacks(lambda: services.create_topic(member, closed_board, "Intern", "Hallo @Otto_Aussen"))
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_watchers_of_a_board_hear_about_new_topics_and_muted_topics_stay_quiet(
    post_with_callbacks, professional, open_board, make_user
):
    watcher = make_user()
    services.set_board_watch(watcher, open_board, WatchLevel.WATCHING)
    topic = post_with_callbacks(lambda: services.create_topic(professional, open_board, "Neu", "Text"))
    assert Notification.objects.get(recipient=watcher).kind == Notification.Kind.NEW_TOPIC
    services.set_topic_watch(professional, topic, WatchLevel.MUTED)
    post_with_callbacks(lambda: services.create_post(watcher, topic, "Antwort"))
    assert not Notification.objects.filter(recipient=professional).exists()


def test_followers_of_a_tag_hear_about_new_topics_with_it(post_with_callbacks, professional, open_board, make_user):
    follower = make_user()
    post_with_callbacks(lambda: services.create_topic(professional, open_board, "Eins", "Text", tags=["Kita"]))
    from forum.models import Tag

    services.toggle_tag_follow(follower, Tag.objects.get(slug="kita"))
    post_with_callbacks(lambda: services.create_topic(professional, open_board, "Zwei", "Anderer Text", tags=["Kita"]))
    assert Notification.objects.get(recipient=follower).post.topic.title == "Zwei"


def test_an_accepted_answer_notifies_its_author(post_with_callbacks, professional, open_board, make_user):
    topic = services.create_topic(professional, open_board, "Frage", "?", is_question=True)
    helper = make_user()
    answer = services.create_post(helper, topic, "Antwort")
    post_with_callbacks(lambda: services.accept_answer(professional, topic, answer))
    assert Notification.objects.get(recipient=helper, kind=Notification.Kind.ACCEPTED)


def test_digest_readers_get_one_mail_from_the_command_instead_of_single_ones(
    post_with_callbacks, professional, open_board, make_user
):
    reader = make_user(notify_by_email=User.Delivery.DAILY)
    topic = services.create_topic(reader, open_board, "Digest", "Text")
    mail.outbox.clear()
    post_with_callbacks(lambda: services.create_post(professional, topic, "Eins"))
    post_with_callbacks(lambda: services.create_post(make_user(), topic, "Zwei"))
    assert [message for message in mail.outbox if reader.email in message.to] == []
    call_command("send_forum_digests", "--period", "daily")
    [digest] = [message for message in mail.outbox if reader.email in message.to]
    assert digest.body.count("/forum/beitrag/") == 2
    assert "abbestellen" in digest.body
    sent = len(mail.outbox)
    call_command("send_forum_digests", "--period", "daily")
    assert len(mail.outbox) == sent


def test_the_unsubscribe_link_asks_first_and_switches_off_only_that_kind_of_mail(client, professional):
    url = reverse("forum:unsubscribe", args=[notifications.unsubscribe_token(professional, "reply")])
    assert client.get(url).status_code == 200
    professional.refresh_from_db()
    assert professional.notify_on_reply
    client.post(url)
    professional.refresh_from_db()
    assert not professional.notify_on_reply and professional.notify_on_mention


def test_a_forged_unsubscribe_token_is_refused(client, db):
    assert client.get(reverse("forum:unsubscribe", args=["forged"])).status_code == 404


def test_the_notification_list_shows_and_clears_the_unread_badge(
    client, professional, open_board, make_topic, make_user
):
    topic = make_topic(open_board, make_user(), posts=1)
    Notification.objects.create(recipient=professional, kind=Notification.Kind.MENTION, post=topic.posts.get())
    client.force_login(professional)
    assert client.get(reverse("forum:notifications")).context["forum_notification_count"] == 1
    client.post(reverse("forum:notifications"))
    assert client.get(reverse("forum:board_list")).context["forum_notification_count"] == 0


def test_mention_autocomplete_offers_only_people_who_may_read_the_board(client, member, closed_board, make_user):
    make_user(display_name="Mika Draussen")
    client.force_login(member)
    response = client.get(reverse("forum:mention_candidates"), {"bereich": closed_board.slug, "q": "Mi"})
    assert response.json()["results"] == [{"name": "Mia Mitglied", "handle": "Mia_Mitglied"}]


def test_no_board_watchers_means_no_new_topic_notifications(post_with_callbacks, professional, open_board):
    BoardSubscription.objects.all().delete()
    post_with_callbacks(lambda: services.create_topic(professional, open_board, "Still", "Text"))
    assert not Notification.objects.exists()
