"""The footer's "Feedback zur Plattform": a form for everybody, an inbox for the coordination."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import MAX_ID

from . import permissions, services, spam
from .forms import HONEYPOT, STARTED, PlatformFeedbackForm
from .models import PlatformFeedback


def feedback(request):
    form = PlatformFeedbackForm(
        request.POST or None, initial={"page": request.GET.get("seite", ""), STARTED: spam.started_token()}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            spam.check_human(form.cleaned_data[HONEYPOT], form.cleaned_data[STARTED])
            if not spam.consume_rate(request):
                status = 429
                raise ValidationError(
                    _("Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Nachrichten. Bitte später.")
                )
            sent = services.send_platform_feedback(
                request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                page=form.cleaned_data["page"],
                contact_email=form.cleaned_data["contact_email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = status if status != 200 else 400
            # A fresh start time for the next try; everything typed stays in the form.
            form.data = form.data.copy()
            form.data[STARTED] = spam.started_token()
        else:
            messages.success(request, _("Danke für Ihre Rückmeldung! Die Sozialraumkoordination liest sie."))
            # The service keeps only a path of this site, so going back there stays on the site.
            return redirect(sent.page or "/")
    elif request.method == "POST":
        status = 400
    return render(request, "surveys/feedback_form.html", {"form": form}, status=status)


@login_required
def feedback_inbox(request):
    permissions.check_read_feedback(request.user)
    if request.method == "POST":
        pk = request.POST.get("feedback", "")
        item = get_object_or_404(PlatformFeedback, pk=int(pk) if pk.isdigit() and int(pk) <= MAX_ID else 0)
        services.mark_feedback_handled(request.user, item, handled=request.POST.get("handled") == "on")
        return redirect(request.get_full_path())
    show_handled = request.GET.get("erledigt") == "1"
    items = PlatformFeedback.objects.select_related("user").filter(handled_at__isnull=not show_handled)
    page = Paginator(items, 25).get_page(request.GET.get("seite"))
    return render(
        request,
        "surveys/feedback_inbox.html",
        {
            "page": page,
            "show_handled": show_handled,
            "open_count": PlatformFeedback.objects.filter(handled_at=None).count(),
        },
    )
