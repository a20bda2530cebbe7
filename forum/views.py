from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.permissions import attempt, refusal_text

from . import markdown, notifications, permissions, rendering, search, selectors, services
from .feeds import feed_token
from .forms import (
    EditPostForm,
    MergeTopicForm,
    MoveTopicForm,
    PollForm,
    PostForm,
    ReactionForm,
    ReasonForm,
    ReportForm,
    ResolveReportForm,
    SearchForm,
    SplitTopicForm,
    SuspendForm,
    TopicFlagForm,
    TopicForm,
    VoteForm,
    WatchForm,
)
from .mentions import handle_for
from .models import Attachment, Board, Poll, Post, Report, Tag, Topic, WatchLevel

User = get_user_model()


def _page(request, template, context):
    if "forum_notification_count" not in context:
        context["forum_notification_count"] = selectors.unread_notification_count(request.user)
    context["forum_can_moderate"] = permissions.can_moderate_anything(request.user)
    return render(request, template, context)


def _get_board(slug):
    return get_object_or_404(Board.objects.select_related("body"), slug=slug)


def _get_topic(pk):
    return get_object_or_404(Topic.objects.select_related("board", "board__body", "author", "accepted_post"), pk=pk)


def _get_post(pk):
    return get_object_or_404(
        Post.objects.select_related("topic", "topic__board", "topic__board__body", "author"), pk=pk
    )


def board_list(request):
    boards = selectors.boards_for_index(request.user)
    general, body_boards = selectors.board_list_by_kind(boards)
    return _page(
        request,
        "forum/board_list.html",
        {"general_boards": general, "body_boards": body_boards, "public_feed": selectors.public_feed_has_posts()},
    )


def board_detail(request, slug):
    board = _get_board(slug)
    permissions.check_see_board(request.user, board)
    return _page(
        request,
        "forum/board_detail.html",
        {
            "board": board,
            "topics": selectors.topics_for_board(board, request.user, request.GET.get("seite")),
            "can_start_topic": permissions.can_start_topic(request.user, board),
            "can_moderate": permissions.can_moderate_board(request.user, board),
            "watch_form": WatchForm(initial={"level": selectors.board_watch_level(request.user, board)}),
        },
    )


@login_required
def topic_create(request, slug):
    board = _get_board(slug)
    permissions.check_start_topic(request.user, board)
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        topic, error = attempt(
            lambda: services.create_topic(
                request.user,
                board,
                data["title"],
                data["text"],
                tags=data["tags"],
                is_question=data["is_question"],
                files=data["files"],
            ),
        )
        if topic is not None:
            messages.success(request, _("Ihr Thema wurde eröffnet."))
            return redirect(topic)
        form.add_error(None, error)
    return _page(request, "forum/topic_form.html", {"board": board, "form": form})


def topic_detail(request, pk):
    user = request.user
    topic = selectors.topic_for_page(pk, user)
    if topic is None:
        raise Http404
    permissions.check_see_topic(user, topic)
    page = selectors.posts_page(topic, user, request.GET.get("seite"))
    last_read = getattr(topic, "last_read_number", 0)
    rendering.decorate_posts(user, topic, page.object_list, last_read)
    if page.object_list and page.object_list[-1].number > last_read:
        services.mark_read(user, topic, page.object_list[-1].number)
    can_reply = permissions.can_reply(user, topic)
    can_moderate = permissions.can_moderate_board(user, topic.board)
    posts = rendering.render_posts(
        topic,
        page.object_list,
        can_reply=can_reply,
        can_moderate=can_moderate,
        can_accept=permissions.can_accept_answer(user, topic),
        csrf_token=get_token(request),
        language=get_language(),
    )
    return _page(
        request,
        "forum/topic_detail.html",
        {
            "topic": topic,
            "board": topic.board,
            "page": page,
            "posts": posts,
            "tags": topic.tag_list,
            "can_reply": can_reply,
            "can_moderate": can_moderate,
            "reply_form": PostForm(),
            "poll": selectors.poll_view(user, topic.poll) if getattr(topic, "poll", None) else None,
            "can_add_poll": permissions.can_add_poll(user, topic),
            "watch_form": WatchForm(initial={"level": topic.watch_level or WatchLevel.NORMAL})
            if user.is_authenticated
            else None,
            "forum_notification_count": topic.unread_notification_count,
        },
    )


def topic_unread(request, pk):
    topic = _get_topic(pk)
    permissions.check_see_topic(request.user, topic)
    number = selectors.unread_posts_from(request.user, topic)
    url = reverse("forum:topic_detail", args=[topic.pk])
    return redirect(f"{url}?seite={selectors.page_of_post(number)}#beitrag-{number}")


def post_permalink(request, pk):
    post = _get_post(pk)
    permissions.check_see_topic(request.user, post.topic)
    url = reverse("forum:topic_detail", args=[post.topic_id])
    return redirect(f"{url}?seite={selectors.page_of_post(post.number)}#{post.anchor}")


@login_required
def topic_reply(request, pk):
    # Neither the author nor the accepted answer is shown or checked here.
    topic = selectors.topic_for_reply(pk, request.user)
    if topic is None:
        raise Http404
    permissions.check_reply(request.user, topic)
    initial = {}
    quoted_id = request.GET.get("zitat", "")
    if request.method == "GET" and quoted_id.isdigit():
        quoted = (
            Post.objects.filter(pk=quoted_id, topic=topic, deleted_at__isnull=True, is_hidden=False)
            .select_related("author")
            .first()
        )
        if quoted is not None:
            initial = {
                "text": markdown.quote(quoted.markdown, quoted.author or _("gelöschte Person")),
                "reply_to": quoted.pk,
            }
    form = PostForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        reply_to = (
            Post.objects.filter(pk=form.cleaned_data["reply_to"], topic=topic).first()
            if form.cleaned_data["reply_to"]
            else None
        )
        post, error = attempt(
            lambda: services.create_post(
                request.user, topic, form.cleaned_data["text"], reply_to=reply_to, files=form.cleaned_data["files"]
            ),
        )
        if post is not None:
            return redirect(post)
        form.add_error(None, error)
    return _page(request, "forum/reply_form.html", {"topic": topic, "board": topic.board, "form": form})


@login_required
def post_edit(request, pk):
    post = _get_post(pk)
    permissions.check_edit_post(request.user, post)
    form = EditPostForm(request.POST or None, initial={"text": post.markdown})
    if request.method == "POST" and form.is_valid():
        saved, error = attempt(lambda: services.edit_post(request.user, post, form.cleaned_data["text"]))
        if saved is not None:
            messages.success(request, _("Der Beitrag wurde gespeichert."))
            return redirect(saved)
        form.add_error(None, error)
    return _page(
        request, "forum/post_edit.html", {"post": post, "topic": post.topic, "board": post.topic.board, "form": form}
    )


@login_required
def post_revisions(request, pk):
    post = _get_post(pk)
    permissions.check_see_revisions(request.user, post)
    return _page(
        request,
        "forum/post_revisions.html",
        {
            "post": post,
            "topic": post.topic,
            "board": post.topic.board,
            "revisions": post.revisions.select_related("edited_by"),
        },
    )


@login_required
def post_delete(request, pk):
    post = _get_post(pk)
    permissions.check_delete_post(request.user, post)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_post(request.user, post, form.cleaned_data["reason"])
        messages.success(request, _("Der Beitrag wurde gelöscht."))
        return redirect(post)
    return _page(
        request, "forum/post_delete.html", {"post": post, "topic": post.topic, "board": post.topic.board, "form": form}
    )


@login_required
@require_POST
def post_react(request, pk):
    post = _get_post(pk)
    permissions.check_react(request.user, post)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Diese Reaktion gibt es nicht."))
        return redirect(post)
    _result, error = attempt(lambda: services.toggle_reaction(request.user, post, form.cleaned_data["kind"]))
    if error:
        messages.error(request, error)
    return redirect(post)


@login_required
def post_report(request, pk):
    post = _get_post(pk)
    permissions.check_report(request.user, post)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report, error = attempt(lambda: services.report_post(request.user, post, form.cleaned_data["reason"]))
        if report is not None:
            messages.success(request, _("Danke. Die Moderation sieht sich den Beitrag an."))
            return redirect(post)
        form.add_error(None, error)
    return _page(
        request, "forum/post_report.html", {"post": post, "topic": post.topic, "board": post.topic.board, "form": form}
    )


@login_required
@require_POST
def post_hide(request, pk):
    post = _get_post(pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    services.set_post_hidden(request.user, post, not post.is_hidden, form.cleaned_data.get("reason", ""))
    messages.success(
        request, _("Der Beitrag ist jetzt ausgeblendet.") if post.is_hidden else _("Der Beitrag ist wieder sichtbar.")
    )
    return redirect(post)


@login_required
@require_POST
def topic_accept(request, pk, post_pk):
    topic = _get_topic(pk)
    post = get_object_or_404(Post, pk=post_pk, topic=topic)
    try:
        services.accept_answer(request.user, topic, post)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    return redirect(post)


@login_required
@require_POST
def topic_watch(request, pk):
    topic = _get_topic(pk)
    form = WatchForm(request.POST)
    if form.is_valid():
        services.set_topic_watch(request.user, topic, form.cleaned_data["level"])
        messages.success(request, _("Ihre Einstellung für dieses Thema wurde gespeichert."))
    return redirect(topic)


@login_required
@require_POST
def board_watch(request, slug):
    board = _get_board(slug)
    form = WatchForm(request.POST)
    if form.is_valid():
        services.set_board_watch(request.user, board, form.cleaned_data["level"])
        messages.success(request, _("Ihre Einstellung für diesen Bereich wurde gespeichert."))
    return redirect(board)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _page(
        request,
        "forum/tag_detail.html",
        {
            "tag": tag,
            "topics": selectors.topics_for_tag(tag, request.user, request.GET.get("seite")),
            "can_follow": permissions.can_follow_tag(request.user),
            "follows": request.user.is_authenticated and tag.followers.filter(user=request.user).exists(),
        },
    )


@login_required
@require_POST
def tag_follow(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    following = services.toggle_tag_follow(request.user, tag)
    messages.success(
        request,
        _("Sie folgen jetzt dem Schlagwort „%(tag)s“.") % {"tag": tag}
        if following
        else _("Sie folgen dem Schlagwort nicht mehr."),
    )
    return redirect(tag)


SEARCH_RESULTS_PER_PAGE = 20
# Stands for a post's id while the link of a hit is reversed once for the page.
_ID_SLOT = 987654321


def search_view(request):
    boards = permissions.visible_boards(request.user)
    form = SearchForm(request.GET or None, boards=boards)
    results = None
    other_results = []
    pages = {}
    # A page number that is no number or out of range shows the first page: nothing a person typed fails.
    page = int(request.GET["seite"]) if request.GET.get("seite", "").isdigit() else 1
    page = max(1, min(page, -(-search.MAX_CANDIDATES // SEARCH_RESULTS_PER_PAGE)))
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        # Author, tag and area are properties of posts: with one of them set, only posts can match.
        if not (data["board"] or data["author"].strip() or data["tag"].strip()):
            other_results = search.search_other_sources(
                request.user, data["q"], date_from=data["date_from"], date_to=data["date_to"]
            )
        author = (
            User.objects.filter(display_name__iexact=data["author"].strip()).first() if data["author"].strip() else None
        )
        tag = Tag.objects.filter(slug=data["tag"].strip()).first() if data["tag"].strip() else None
        if (data["author"].strip() and author is None) or (data["tag"].strip() and tag is None):
            results = search.SearchResults()
        else:
            results = search.search_posts(
                request.user,
                data["q"],
                limit=SEARCH_RESULTS_PER_PAGE,
                page=page,
                visible_board_ids=form.board_ids,
                board=data["board"],
                author=author,
                tag=tag,
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        pages = _search_pages(request, page, results)
        _add_hit_display(results)
    return _page(
        request,
        "forum/search.html",
        {"form": form, "results": results, "other_results": other_results, "page": page, **pages},
    )


def _add_hit_display(posts):
    """The link and the dates of each hit as the template's url and date filters would write them, at a fraction
    of their cost (twenty hits a page)."""
    before, _slot, after = reverse("forum:post_permalink", args=[_ID_SLOT]).rpartition(str(_ID_SLOT))
    short_datetime = formats.get_format("SHORT_DATETIME_FORMAT")
    for post in posts:
        created = timezone.localtime(post.created_at)
        post.url = f"{before}{post.pk}{after}"
        post.created_iso, post.created_display = created.isoformat(), dateformat.format(created, short_datetime)


def _search_pages(request, page, results):
    """Links to the previous and next page of hits, the search's other parameters kept."""
    links = {}
    for name, number in (("previous_page", page - 1), ("next_page", page + 1)):
        if number < 1 or (number - 1) * SEARCH_RESULTS_PER_PAGE >= results.total:
            continue
        query = request.GET.copy()
        query["seite"] = number
        links[name] = f"?{query.urlencode()}"
    return links


@login_required
def notification_list(request):
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
        return redirect("forum:notifications")
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("seite"))
    return _page(request, "forum/notifications.html", {"page": page, "feed_token": feed_token(request.user)})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(request.user.forum_notifications.select_related("post"), pk=pk)
    services.mark_notifications_read(request.user, [notification.pk])
    return redirect(notification.post)


@login_required
def mention_candidates(request):
    board = _get_board(request.GET.get("bereich", "")) if request.GET.get("bereich") else None
    permissions.check_mention_in(request.user, board)
    people = selectors.people_to_mention(board, request.GET.get("q", "")[:80])
    return JsonResponse({"results": [{"name": person.public_name, "handle": handle_for(person)} for person in people]})


def attachment_download(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("post", "post__topic", "post__topic__board"), pk=pk
    )
    permissions.check_see_post(request.user, attachment.post)
    if attachment.post.is_deleted:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Mail clients send the one-click POST of RFC 8058 without a CSRF token; the signed token is the proof.
@csrf_exempt
def unsubscribe(request, token):
    """Reached from a mail without login; a GET only asks, so that link scanners change nothing."""
    person, what = notifications.read_unsubscribe_token(token)
    if person is None:
        raise Http404
    done = False
    if request.method == "POST":
        notifications.unsubscribe(person, what)
        done = True
    return render(request, "forum/unsubscribe.html", {"what": what, "done": done})


# Moderation ------------------------------------------------------------------


@login_required
def moderation_queue(request):
    permissions.check_moderate_anything(request.user)
    return _page(
        request,
        "forum/moderation_queue.html",
        {"reports": selectors.open_reports(request.user), "form": ResolveReportForm()},
    )


@login_required
@require_POST
def report_resolve(request, pk):
    report = get_object_or_404(
        Report.objects.select_related("post", "post__topic", "post__topic__board", "post__topic__board__body"), pk=pk
    )
    form = ResolveReportForm(request.POST)
    if form.is_valid():
        services.resolve_report(request.user, report, form.cleaned_data["status"], form.cleaned_data["reason"])
        messages.success(request, _("Die Meldung wurde bearbeitet."))
    return redirect("forum:moderation_queue")


@login_required
def audit_log(request):
    permissions.check_moderate_anything(request.user)
    page = Paginator(selectors.audit_log(request.user), 50).get_page(request.GET.get("seite"))
    return _page(request, "forum/audit_log.html", {"page": page})


@login_required
def topic_moderate(request, pk):
    topic = _get_topic(pk)
    user = request.user
    permissions.check_moderate_board(user, topic.board)
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action")
    forms = {
        "flag": TopicFlagForm(data if action == "flag" else None),
        "move": MoveTopicForm(data if action == "move" else None, boards=selectors.boards_for_move(user, topic.board)),
        "merge": MergeTopicForm(data if action == "merge" else None),
        "split": SplitTopicForm(
            data if action == "split" else None, posts=topic.posts.exclude(number=1).select_related("author")
        ),
    }
    if action in forms and forms[action].is_valid():
        cleaned = forms[action].cleaned_data
        operations = {
            "flag": lambda: services.set_topic_flag(user, topic, cleaned["flag"], cleaned["value"], cleaned["reason"]),
            "move": lambda: services.move_topic(user, topic, cleaned["board"], cleaned["reason"]),
            "merge": lambda: services.merge_topics(user, topic, _get_topic(cleaned["target"]), cleaned["reason"]),
            "split": lambda: services.split_topic(
                user, topic, [p.pk for p in cleaned["posts"]], cleaned["title"], cleaned["reason"]
            ),
        }
        result, error = attempt(operations[action])
        if result is not None or not error:
            messages.success(request, _("Die Moderationsaktion wurde ausgeführt."))
            return redirect(result if isinstance(result, Topic) else topic)
        forms[action].add_error(None, error)
    return _page(request, "forum/topic_moderate.html", {"topic": topic, "board": topic.board, "forms": forms})


@login_required
def user_suspend(request, pk):
    person = get_object_or_404(User, pk=pk)
    permissions.check_suspend_person(request.user, person)
    form = SuspendForm(
        request.POST or None,
        boards=permissions.suspension_boards(request.user),
        forum_wide=permissions.can_suspend_forum_wide(request.user, person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suspend_user(request.user, person, data["days"], data["reason"], board=data["board"])
        except ValidationError as error:
            form.add_error(None, refusal_text(error))
        else:
            if data["board"] is None:
                messages.success(request, _("%(person)s ist im Forum gesperrt.") % {"person": person})
            else:
                messages.success(
                    request,
                    _("%(person)s ist im Bereich „%(board)s“ gesperrt.") % {"person": person, "board": data["board"]},
                )
            return redirect("forum:moderation_queue")
    return _page(request, "forum/user_suspend.html", {"person": person, "form": form})


# Polls ------------------------------------------------------------------------------------


def _get_poll(pk):
    return get_object_or_404(Poll.objects.select_related("topic", "topic__board", "topic__board__body"), pk=pk)


def _poll_anchor(poll):
    return f"{poll.topic.get_absolute_url()}#abstimmung"


@login_required
def poll_create(request, pk):
    topic = _get_topic(pk)
    permissions.check_add_poll(request.user, topic)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        poll, error = attempt(
            lambda: services.create_poll(
                request.user,
                topic,
                data["question"],
                data["options"],
                allows_multiple=data["allows_multiple"],
                closes_at=data["closes_at"],
                is_secret=data["is_secret"],
                results=data["results"],
            ),
        )
        if poll is not None:
            messages.success(request, _("Die Abstimmung ist angelegt."))
            return redirect(_poll_anchor(poll))
        form.add_error(None, error)
    return _page(request, "forum/poll_form.html", {"topic": topic, "board": topic.board, "form": form})


@login_required
@require_POST
def poll_vote(request, pk):
    poll = _get_poll(pk)
    permissions.check_see_topic(request.user, poll.topic)
    form = VoteForm(poll, request.POST)
    if form.is_valid():
        _result, error = attempt(lambda: services.cast_vote(request.user, poll, form.cleaned_data["options"]))
    else:
        error = " ".join(form.errors["options"])
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Ihre Stimme ist gezählt."))
    return redirect(_poll_anchor(poll))


@login_required
@require_POST
def poll_withdraw(request, pk):
    poll = _get_poll(pk)
    permissions.check_see_topic(request.user, poll.topic)
    _result, error = attempt(lambda: services.withdraw_vote(request.user, poll))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Ihre Stimme ist zurückgezogen."))
    return redirect(_poll_anchor(poll))


@login_required
@require_POST
def poll_close(request, pk):
    poll = _get_poll(pk)
    permissions.check_see_topic(request.user, poll.topic)
    _result, error = attempt(lambda: services.close_poll(request.user, poll))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Die Abstimmung ist beendet."))
    return redirect(_poll_anchor(poll))
