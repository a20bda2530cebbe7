"""Forum protocol for django-machina; runs in bench/.peers/machina/venv with the project peers.py writes."""

from common import (
    arguments,
    check,
    check_first_page,
    peer_member_client,
    post_text,
    queries,
    time_gets,
    time_posts,
    write,
)


def main():
    args = arguments()
    client, rounds = peer_member_client(args)
    import django
    from django.urls import reverse
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Topic

    forum = Forum.objects.create(name="Allgemeines", type=Forum.FORUM_POST)

    response = client.post(
        reverse("forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}),
        {"subject": "Bench-Thema", "content": post_text(1), "topic_type": Topic.TOPIC_POST},
    )
    check(response, (302,))
    topic = Topic.objects.get(subject="Bench-Thema")
    place = {"forum_slug": forum.slug, "forum_pk": forum.pk}
    reply_url = reverse(
        "forum_conversation:post_create", kwargs={**place, "topic_slug": topic.slug, "topic_pk": topic.pk}
    )
    topic_url = reverse("forum_conversation:topic", kwargs={**place, "slug": topic.slug, "pk": topic.pk})

    def reply(text):
        return {"subject": "Re: Bench-Thema", "content": text}

    for number in range(2, 101):
        check(client.post(reply_url, reply(post_text(number))), (302,))
    check_first_page(client, topic_url)
    result = {"app": "machina", "django": django.get_version()}
    result["topic_page"] = time_gets(client, topic_url, queries, rounds)
    result["reply_post"] = time_posts(client, reply_url, reply, queries, rounds, 101)
    write(args.out, result)


if __name__ == "__main__":
    main()
