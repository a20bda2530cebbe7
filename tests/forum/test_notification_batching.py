"""Mention and reply mails from one topic wait a short window and arrive as one mail; the in-app notification does not wait."""

import random
import smtplib
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends

from forum import search, services
from forum.models import Notification, Post
from forum.notifications import send_digests
from forum.tasks import send_topic_mail
from network.models import User
from tests.smtp import start_sink

# The claim of a notification is an UPDATE whose effect each database decides on its own: test it on both.
pytestmark = pytest.mark.both_databases

WINDOW = 120


@pytest.fixture
def smtp(settings):
    handler, controller = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://sozialraum.example.org"
    yield handler
    controller.stop()


class Worker:
    """The task worker with a clock: runs what is due at a given time, as django-tasks-db's worker would."""

    def __init__(self):
        self.backend = task_backends["default"]

    def waiting(self, task, person):
        return [r for r in self.backend.results if r.task.name == task.name and r.args[0] == person.pk]

    def run_due(self, at):
        ran = 0
        while due := [r for r in self.backend.results if r.task.run_after is None or r.task.run_after <= at]:
            for result in due:
                self.backend.results.remove(result)
                result.task.call(*result.args, **result.kwargs)
                ran += 1
        return ran


@pytest.fixture
def worker(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.FORUM_MAIL_BATCH_SECONDS = WINDOW
    return Worker()


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def write(author, topic, text):
        with django_capture_on_commit_callbacks(execute=True):
            return services.create_post(author, topic, text)

    return write


@pytest.fixture
def topic(professional, open_board):
    return services.create_topic(professional, open_board, "Ferien & Freizeit", "Wer plant was?")


def after_window():
    return timezone.now() + timedelta(seconds=WINDOW + 1)


def test_nine_mentions_from_one_topic_arrive_as_one_mail_after_the_window(smtp, worker, post, topic, make_user):
    rng = random.Random(12)
    named = make_user(display_name="Anna Beispiel")
    writers = [make_user() for _ in range(9)]
    for number in range(9):
        post(rng.choice(writers), topic, f"Frage {number} an @Anna_Beispiel")
    worker.run_due(timezone.now())
    # The in-app notifications are there at once; the mail waits for the window.
    assert Notification.objects.filter(recipient=named, kind=Notification.Kind.MENTION).count() == 9
    assert smtp.to(named.email) == []
    [scheduled] = worker.waiting(send_topic_mail, named)
    assert scheduled.task.run_after > timezone.now() + timedelta(seconds=WINDOW - 10)

    worker.run_due(after_window())
    [message] = smtp.to(named.email)
    assert message["Subject"] == "[Sozialraumnetzwerk Teltow] 9 Benachrichtigungen: Ferien & Freizeit"
    body = message.get_content()
    assert all(f"Frage {number} an @Anna_Beispiel" in body for number in range(9))
    assert body.count("Zum Beitrag: https://sozialraum.example.org/forum/") == 9
    assert "/forum/abbestellen/" in message["List-Unsubscribe"]
    assert not Notification.objects.filter(recipient=named, emailed_at__isnull=True).exists()


def test_a_mail_task_that_runs_twice_sends_once(smtp, worker, post, topic, make_user):
    named = make_user(display_name="Anna Beispiel")
    post(make_user(), topic, "Hallo @Anna_Beispiel")
    worker.run_due(after_window())
    assert send_topic_mail.call(named.pk, topic.pk) == 0
    assert len(smtp.to(named.email)) == 1


def test_replies_in_two_topics_come_as_two_mails_and_a_later_reply_as_a_new_one(
    smtp, worker, post, topic, professional, open_board, make_user
):
    other = services.create_topic(professional, open_board, "Sommerfest", "Wer hilft?")
    helper = make_user()
    for number, target in enumerate((topic, other, topic)):
        post(helper, target, f"Ich helfe mit, Nummer {number}.")
    worker.run_due(after_window())
    subjects = sorted(message["Subject"] for message in smtp.to(professional.email))
    assert subjects == [
        "[Sozialraumnetzwerk Teltow] 2 Benachrichtigungen: Ferien & Freizeit",
        "[Sozialraumnetzwerk Teltow] Antwort auf Ihren Beitrag: Sommerfest",
    ]
    post(helper, topic, "Noch eine Idee.")
    worker.run_due(after_window())
    assert len(smtp.to(professional.email)) == 3


def test_mails_someone_switched_off_during_the_window_are_not_sent(smtp, worker, post, topic, make_user):
    named = make_user(display_name="Anna Beispiel")
    post(make_user(), topic, "Hallo @Anna_Beispiel")
    worker.run_due(timezone.now())
    named.notify_on_mention = False
    named.save()
    worker.run_due(after_window())
    assert smtp.to(named.email) == []
    assert Notification.objects.filter(recipient=named).count() == 1


def test_a_post_deleted_during_the_window_is_left_out_of_the_mail(smtp, worker, post, topic, professional, make_user):
    helper = make_user()
    post(helper, topic, "Erste Antwort")
    second = post(helper, topic, "Zweite Antwort, gleich wieder gelöscht")
    services.delete_post(helper, second)
    worker.run_due(after_window())
    [message] = smtp.to(professional.email)
    assert "Erste Antwort" in message.get_content() and "gelöscht" not in message.get_content()
    assert message["Subject"] == "[Sozialraumnetzwerk Teltow] Antwort auf Ihren Beitrag: Ferien & Freizeit"


def test_digest_readers_get_nothing_from_the_window_and_everything_in_the_digest(smtp, worker, post, topic, make_user):
    reader = make_user(display_name="Dora Digest", notify_by_email=User.Delivery.DAILY)
    post(make_user(), topic, "Hallo @Dora_Digest")
    worker.run_due(after_window())
    assert worker.waiting(send_topic_mail, reader) == [] and smtp.to(reader.email) == []
    assert send_digests("daily") == 1
    [message] = smtp.to(reader.email)
    assert "Ferien & Freizeit" in message.get_content()


def test_without_a_window_each_mail_goes_at_once(smtp, worker, settings, post, topic, make_user):
    settings.FORUM_MAIL_BATCH_SECONDS = 0
    named = make_user(display_name="Anna Beispiel")
    post(make_user(), topic, "Hallo @Anna_Beispiel")
    post(make_user(), topic, "Nochmal @Anna_Beispiel")
    worker.run_due(timezone.now())
    assert len(smtp.to(named.email)) == 1


def test_a_mention_just_before_the_mail_goes_out_gets_a_mail_of_its_own(smtp, worker, post, topic, make_user):
    named = make_user(display_name="Anna Beispiel")
    post(make_user(), topic, "Hallo @Anna_Beispiel")
    worker.run_due(timezone.now())
    # The first mail is due in a moment: the next mention must not count on riding along with it.
    Notification.objects.filter(recipient=named).update(created_at=timezone.now() - timedelta(seconds=WINDOW - 5))
    post(make_user(), topic, "Noch einmal @Anna_Beispiel")
    worker.run_due(timezone.now())
    assert len(worker.waiting(send_topic_mail, named)) == 2
    worker.run_due(after_window())
    [message] = smtp.to(named.email)
    assert message["Subject"] == "[Sozialraumnetzwerk Teltow] 2 Benachrichtigungen: Ferien & Freizeit"


def test_a_mail_the_server_refused_is_sent_with_the_next_one(smtp, worker, post, topic, make_user):
    named = make_user(display_name="Anna Beispiel")
    smtp.rcpt_answers[named.email.lower()] = ["550 Postfach voll"]
    post(make_user(), topic, "Hallo @Anna_Beispiel")
    worker.run_due(timezone.now())
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        worker.run_due(after_window())
    assert Notification.objects.filter(recipient=named, emailed_at__isnull=True).count() == 1
    Notification.objects.filter(recipient=named).update(created_at=timezone.now() - timedelta(seconds=WINDOW + 5))
    post(make_user(), topic, "Noch einmal @Anna_Beispiel")
    worker.run_due(after_window())
    [message] = smtp.to(named.email)
    assert "Hallo @Anna_Beispiel" in message.get_content() and "Noch einmal @Anna_Beispiel" in message.get_content()


@pytest.fixture
def forget_indexed_posts():
    """The search index is no model: a flush after a transactional test leaves its rows for ids used again."""
    yield
    search.forget_posts(list(Post.objects.values_list("pk", flat=True)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("forget_indexed_posts")
def test_the_database_task_worker_sends_the_topic_mail_when_the_window_has_passed(
    settings, smtp, professional, open_board, make_user
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FORUM_MAIL_BATCH_SECONDS = 2
    named = make_user(display_name="Anna Beispiel")
    topic = services.create_topic(professional, open_board, "Ferien & Freizeit", "Wer plant was?")
    for number in range(3):
        services.create_post(make_user(), topic, f"Frage {number} an @Anna_Beispiel")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Notification.objects.filter(recipient=named).count() == 3 and smtp.to(named.email) == []
    time.sleep(2.5)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [message] = smtp.to(named.email)
    assert message["Subject"] == "[Sozialraumnetzwerk Teltow] 3 Benachrichtigungen: Ferien & Freizeit"
