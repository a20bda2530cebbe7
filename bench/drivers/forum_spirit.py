"""Forum protocol for Spirit; runs in bench/.peers/spirit/venv with the project peers.py writes."""

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
    from spirit.category.models import Category
    from spirit.topic.models import Topic

    category = Category.objects.create(title="Allgemeines", slug="allgemeines")

    response = client.post(
        reverse("spirit:topic:publish"), {"category": category.pk, "title": "Bench-Thema", "comment": post_text(1)}
    )
    check(response, (302,))
    topic = Topic.objects.get(title="Bench-Thema")
    reply_url = reverse("spirit:comment:publish", kwargs={"topic_id": topic.pk})
    for number in range(2, 101):
        check(client.post(reply_url, {"comment": post_text(number)}), (302,))
    check_first_page(client, topic.get_absolute_url())
    result = {"app": "spirit", "django": django.get_version()}
    result["topic_page"] = time_gets(client, topic.get_absolute_url(), queries, rounds)
    result["reply_post"] = time_posts(client, reply_url, lambda text: {"comment": text}, queries, rounds, 101)
    write(args.out, result)


if __name__ == "__main__":
    main()
