"""Thin views: the services check the permissions; a refusal becomes the 403 page or, for those who may read
the minutes anyway, a message on the minutes' page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import message_of
from meetings.models import Meeting
from network.models import NetworkBody, User

from . import permissions, selectors, services
from .forms import DecisionForm, MinutesForm, RemoveItemForm, TaskDoneForm, TaskForm, TransitionForm
from .models import Minutes, Task

Status = Minutes.Status

DONE_MESSAGES = {
    Status.DRAFT: gettext_lazy("Das Protokoll ist wieder ein Entwurf."),
    Status.VOTING: gettext_lazy(
        "Das Protokoll steht zur Abstimmung; die Mitglieder kommentieren im verlinkten Forumsthema."
    ),
    Status.APPROVED: gettext_lazy("Das Protokoll ist freigegeben; der Text ist jetzt unveränderlich."),
    Status.PUBLISHED: gettext_lazy("Das Protokoll ist veröffentlicht."),
}


def _minutes(pk):
    return get_object_or_404(Minutes.objects.select_related("meeting__body", "author", "discussion"), pk=pk)


def _require(request, check, *args):
    """Anonymous visitors are asked to log in; logged-in people get the 403 page with the reason."""
    try:
        check(request.user, *args)
    except PermissionDenied:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    return None


def _ask(request, check, minutes, *args):
    """The check before a form is read: the answer for refused people, or None."""
    try:
        check(request.user, minutes, *args)
    except PermissionDenied as error:
        return _refused(request, minutes, error)
    return None


def _refused(request, minutes, error):
    """Who may read the minutes reads why on their page; the others get the 403 page."""
    if not permissions.can_see(request.user, minutes):
        raise error
    messages.error(request, message_of(error))
    return redirect(minutes)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


def _members(minutes):
    return User.objects.filter(is_active=True, memberships__body=minutes.body).distinct().order_by("display_name")


def _minutes_form(minutes, data=None):
    return MinutesForm(
        data,
        people=services.attendance_candidates(minutes.meeting),
        body=minutes.meeting.body,
        initial={
            "text": minutes.text,
            "public_summary": minutes.public_summary,
            "present": list(minutes.present.values_list("pk", flat=True)),
            "documents": list(minutes.documents.values_list("pk", flat=True)),
        },
    )


def _edit_page(request, minutes, *, minutes_form=None, decision_form=None, task_form=None, status=200):
    return render(
        request,
        "minutes/minutes_edit.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "form": minutes_form or _minutes_form(minutes),
            "decision_form": decision_form or DecisionForm(),
            "task_form": task_form or TaskForm(members=_members(minutes)),
            "decisions": minutes.decisions.all(),
            "tasks": minutes.tasks.select_related("owner").order_by("position", "pk"),
        },
        status=status,
    )


def body_list(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    if denied := _require(request, permissions.check_see_body_minutes, body):
        return denied
    return render(
        request,
        "minutes/body_list.html",
        {
            "body": body,
            "minutes_list": selectors.minutes_of_body(body, request.user),
            "tasks": selectors.open_tasks_of_body(body),
        },
    )


def create(request, meeting_pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_pk)
    if denied := _require(request, permissions.check_write, meeting):
        return denied
    existing = selectors.minutes_of_meeting(meeting)
    if existing is not None:
        return redirect(existing)
    if request.method == "POST":
        try:
            minutes = services.start_minutes(request.user, meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting)
        messages.success(
            request, _("Das Protokoll ist angelegt. Die Anwesenheit ist aus den Rückmeldungen übernommen.")
        )
        return redirect("minutes:edit", minutes.pk)
    return render(request, "minutes/minutes_create.html", {"meeting": meeting})


def detail(request, pk):
    minutes = _minutes(pk)
    if denied := _require(request, permissions.check_see, minutes):
        return denied
    tasks = list(minutes.tasks.select_related("owner").order_by("position", "pk"))
    for task in tasks:
        task.may_mark = permissions.can_mark_task(request.user, task)
    steps = [
        (target, label) for target, label in Status.choices if permissions.can_transition(request.user, minutes, target)
    ]
    return render(
        request,
        "minutes/minutes_detail.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "present": minutes.present.order_by("display_name"),
            "decisions": minutes.decisions.all(),
            "tasks": tasks,
            "steps": steps,
            "can_edit": permissions.can_edit(request.user, minutes),
        },
    )


def edit(request, pk):
    minutes = _minutes(pk)
    if denied := _require(request, permissions.check_see, minutes):
        return denied
    if refused := _ask(request, permissions.check_edit, minutes):
        return refused
    form = _minutes_form(minutes, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_minutes(
                request.user,
                minutes,
                text=data["text"],
                public_summary=data["public_summary"],
                present_user_ids=data["present"],
                documents=data["documents"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, minutes, error)
        else:
            messages.success(request, _("Das Protokoll ist gespeichert."))
            return redirect("minutes:edit", minutes.pk)
    return _edit_page(request, minutes, minutes_form=form)


@login_required
@require_POST
def decision_add(request, pk):
    minutes = _minutes(pk)
    if refused := _ask(request, permissions.check_edit, minutes):
        return refused
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(request.user, minutes, form.cleaned_data["text"])
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, minutes, error)
        else:
            messages.success(request, _("Der Beschluss ist eingetragen."))
            return redirect("minutes:edit", minutes.pk)
    return _edit_page(request, minutes, decision_form=form, status=400)


@login_required
@require_POST
def task_add(request, pk):
    minutes = _minutes(pk)
    if refused := _ask(request, permissions.check_edit, minutes):
        return refused
    form = TaskForm(request.POST, members=_members(minutes))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_task(request.user, minutes, what=data["what"], owner=data["owner"], due_date=data["due_date"])
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, minutes, error)
        else:
            messages.success(request, _("Die Aufgabe ist eingetragen."))
            return redirect("minutes:edit", minutes.pk)
    return _edit_page(request, minutes, task_form=form, status=400)


@login_required
@require_POST
def item_remove(request, pk):
    minutes = _minutes(pk)
    if refused := _ask(request, permissions.check_edit, minutes):
        return refused
    form = RemoveItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte genau einen Beschluss oder eine Aufgabe zum Entfernen wählen."))
        return redirect("minutes:edit", minutes.pk)
    try:
        services.remove_item(
            request.user, minutes, decision_id=form.cleaned_data["decision"], task_id=form.cleaned_data["task"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        return _refused(request, minutes, error)
    else:
        messages.success(request, _("Der Eintrag ist entfernt."))
    return redirect("minutes:edit", minutes.pk)


@login_required
@require_POST
def transition(request, pk):
    minutes = _minutes(pk)
    if refused := _ask(request, permissions.check_see, minutes):
        return refused
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Diesen Stand gibt es nicht."))
        return redirect(minutes)
    try:
        minutes = services.change_status(request.user, minutes, form.cleaned_data["to"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(minutes)
    except PermissionDenied as error:
        return _refused(request, minutes, error)
    messages.success(request, DONE_MESSAGES[minutes.status])
    return redirect(minutes)


def revisions(request, pk):
    minutes = _minutes(pk)
    if denied := _require(request, permissions.check_see, minutes):
        return denied
    return render(
        request,
        "minutes/revisions.html",
        {"minutes": minutes, "meeting": minutes.meeting, "revisions": minutes.revisions.select_related("author")},
    )


@login_required
@require_POST
def task_done(request, pk):
    task = get_object_or_404(Task.objects.select_related("minutes__meeting__body"), pk=pk)
    form = TaskDoneForm(request.POST)
    form.is_valid()
    try:
        task = services.set_task_done(request.user, task, bool(form.cleaned_data.get("done")))
    except PermissionDenied as error:
        return _refused(request, task.minutes, error)
    messages.success(
        request, _("Die Aufgabe ist als erledigt markiert.") if task.done else _("Die Aufgabe ist wieder offen.")
    )
    return HttpResponseRedirect(_back_to(request) or task.minutes.get_absolute_url())


def _back_to(request):
    """The page the button was on (the body page or the list), if it is a path of this site."""
    target = request.POST.get("next", "")
    # redirect() would take a bare word for the name of a view; only paths of this site come back.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None
