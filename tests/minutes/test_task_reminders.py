"""The owner of an open task hears about it before it falls due: once, by mail, if they want mails."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from minutes import services
from minutes.models import Task
from network.models import User


def reminders(sink, person):
    return [mail for mail in sink.to(person.email) if "Erinnerung an Ihre Aufgabe" in str(mail["Subject"])]


def test_the_owner_is_reminded_once_before_the_due_date(published, member, smtp_sink):
    call_command("enqueue_task_reminders")
    call_command("enqueue_task_reminders")
    (mail,) = reminders(smtp_sink, member)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Stellungnahme an das Jugendamt schicken" in text and "Stellungnahme an das Jugendamt schicken" in html
    assert "https://sozialraum.example.org" + published.get_absolute_url() in text
    assert Task.objects.get().reminder_sent_at is not None


def test_no_reminder_for_done_tasks_far_away_tasks_or_people_without_mails(published, member, smtp_sink):
    task = published.tasks.get()
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() + timedelta(days=30))
    call_command("enqueue_task_reminders")
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() + timedelta(days=1), done=True)
    call_command("enqueue_task_reminders")
    assert reminders(smtp_sink, member) == []
    Task.objects.filter(pk=task.pk).update(done=False)
    User.objects.filter(pk=member.pk).update(notify_by_email=User.Delivery.NEVER)
    call_command("enqueue_task_reminders")
    assert reminders(smtp_sink, member) == []


def test_tasks_of_unapproved_minutes_are_not_reminded(minutes, moderator, member, smtp_sink):
    services.add_task(
        moderator, minutes, what="Entwurfsaufgabe", owner=member, due_date=timezone.localdate() + timedelta(days=1)
    )
    call_command("enqueue_task_reminders")
    assert reminders(smtp_sink, member) == []
