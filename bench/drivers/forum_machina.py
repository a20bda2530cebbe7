"""Forum protocol for django-machina; runs in bench/.peers/machina/venv with the project peers.py writes."""

import os
import sys

from common import arguments, check, check_first_page, post_text, time_gets, time_posts, write


def main():
    args = arguments()
    sys.path.insert(0, args.project)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    os.environ["BENCH_DB"] = args.db
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Topic

    call_command("migrate", verbosity=0)
    rounds = 10 if args.quick else 50
    user = get_user_model().objects.create_user(username="mitglied", email="mitglied@example.org", password="x")
    forum = Forum.objects.create(name="Allgemeines", type=Forum.FORUM_POST)
    client = Client()
    client.force_login(user)

    response = client.post(
        reverse("forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}),
        {"subject": "Bench-Thema", "content": post_text(1), "topic_type": Topic.TOPIC_POST},
    )
    check(response, (302,))
    topic = Topic.objects.get(subject="Bench-Thema")
    place = {"forum_slug": forum.slug, "forum_pk": forum.pk}
    reply_url = reverse("forum_conversation:post_create", kwargs={**place, "topic_slug": topic.slug, "topic_pk": topic.pk})
    topic_url = reverse("forum_conversation:topic", kwargs={**place, "slug": topic.slug, "pk": topic.pk})

    def reply(text):
        return {"subject": "Re: Bench-Thema", "content": text}

    for number in range(2, 101):
        check(client.post(reply_url, reply(post_text(number))), (302,))

    def queries():
        return CaptureQueriesContext(connection)

    check_first_page(client, topic_url)
    result = {"app": "machina", "django": django.get_version()}
    result["topic_page"] = time_gets(client, topic_url, queries, rounds)
    result["reply_post"] = time_posts(client, reply_url, reply, queries, rounds, 101)
    write(args.out, result)


if __name__ == "__main__":
    main()
