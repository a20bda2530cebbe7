"""Forum protocol for Misago; runs in bench/.peers/misago/venv with the project peers.py writes.

Misago posts through the JSON API its React front end calls (`POST /api/threads/` opens a thread,
`POST /api/threads/<id>/posts/` replies; both answer 200 with the post as JSON, and the front end
inserts it without loading a page, so no GET follows a reply). The thread page
`/t/<slug>/<id>/` is server-rendered HTML with the page's posts. Django's test client skips the
CSRF check for every app alike (Misago's front end would send the `csrftoken` cookie back as
`X-CSRFToken`). PostgreSQL only: Misago runs on nothing else.
"""

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

# Rate limits are off for every forum measured (bench/README.md). Misago's are the minimum interval
# between two posts (a module constant) and the hourly and daily post limits (dynamic settings): the
# limits are set out of reach, so their checks still run, as ours do.
LIMITS_OUT_OF_REACH = {"hourly_post_limit": 1_000_000, "daily_post_limit": 1_000_000}
# 20 posts a page like the other apps (Misago's defaults: 18, plus up to 6 "orphans" on the last page).
PAGE_SETTINGS = {"posts_per_page": 20, "posts_per_page_orphans": 0}


def configure():
    from misago.conf.cache import clear_settings_cache
    from misago.conf.models import Setting
    from misago.threads.api.postingendpoint import floodprotection

    floodprotection.MIN_POSTING_INTERVAL = 0
    for name, value in {**LIMITS_OUT_OF_REACH, **PAGE_SETTINGS}.items():
        Setting.objects.change_setting(name, dry_value=value)
    clear_settings_cache()


def set_up_member():
    """What Misago's registration adds to the account common.peer_member_client created: default
    subscription and notification options and a generated avatar (the thread page shows it)."""
    from django.contrib.auth import get_user_model
    from misago.cache.versions import get_cache_versions
    from misago.conf.dynamicsettings import DynamicSettings
    from misago.users.setupnewuser import setup_new_user

    setup_new_user(DynamicSettings(get_cache_versions()), get_user_model().objects.get(username="mitglied"))


def create_category(name):
    """As Misago's admin creates one: a child of the forum's root, permissions copied from the
    category the installation starts with."""
    from misago.acl.cache import clear_acl_cache
    from misago.categories.models import Category, RoleCategoryACL

    template = Category.objects.get(slug="first-category")
    category = Category(name=name, slug="allgemeines")
    category.insert_at(Category.objects.root_category(), position="last-child", save=True)
    RoleCategoryACL.objects.bulk_create(
        RoleCategoryACL(role_id=acl.role_id, category=category, category_role_id=acl.category_role_id)
        for acl in template.category_role_set.all()
    )
    Category.objects.clear_cache()
    clear_acl_cache()
    return category


def main():
    args = arguments()
    client, rounds = peer_member_client(args)
    import django
    from django.urls import reverse
    from misago.threads.models import Thread

    configure()
    set_up_member()
    category = create_category("Allgemeines")
    as_json = {"content_type": "application/json"}
    response = client.post(
        reverse("misago:api:thread-list"),
        {"category": category.pk, "title": "Bench-Thema", "post": post_text(1)},
        **as_json,
    )
    check(response)
    thread = Thread.objects.get(pk=response.json()["id"])
    reply_url = reverse("misago:api:thread-post-list", kwargs={"thread_pk": thread.pk})
    for number in range(2, 101):
        check(client.post(reply_url, {"post": post_text(number)}, **as_json))
    check_first_page(client, thread.get_absolute_url())
    result = {"app": "misago", "django": django.get_version()}
    result["topic_page"] = time_gets(client, thread.get_absolute_url(), queries, rounds)
    result["reply_post"] = time_posts(
        client, reply_url, lambda text: {"post": text}, queries, rounds, 101, expected=(200,), **as_json
    )
    write(args.out, result)


if __name__ == "__main__":
    main()
