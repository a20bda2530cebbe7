"""Forum protocol for Spirit; runs in bench/.peers/spirit/venv with the project peers.py writes."""

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
    from spirit.category.models import Category
    from spirit.topic.models import Topic

    call_command("migrate", verbosity=0)
    rounds = 10 if args.quick else 50
    user = get_user_model().objects.create_user(username="mitglied", email="mitglied@example.org", password="x")
    category = Category.objects.create(title="Allgemeines", slug="allgemeines")
    client = Client()
    client.force_login(user)

    response = client.post(
        reverse("spirit:topic:publish"), {"category": category.pk, "title": "Bench-Thema", "comment": post_text(1)}
    )
    check(response, (302,))
    topic = Topic.objects.get(title="Bench-Thema")
    reply_url = reverse("spirit:comment:publish", kwargs={"topic_id": topic.pk})
    for number in range(2, 101):
        check(client.post(reply_url, {"comment": post_text(number)}), (302,))

    def queries():
        return CaptureQueriesContext(connection)

    check_first_page(client, topic.get_absolute_url())
    result = {"app": "spirit", "django": django.get_version()}
    result["topic_page"] = time_gets(client, topic.get_absolute_url(), queries, rounds)
    result["reply_post"] = time_posts(client, reply_url, lambda text: {"comment": text}, queries, rounds, 101)
    write(args.out, result)


if __name__ == "__main__":
    main()
