from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.paths import is_site_path

from . import selectors, services
from .models import Notice

PER_PAGE = 20


@login_required
def notice_list(request):
    page = Paginator(selectors.notices_of(request.user), PER_PAGE).get_page(request.GET.get("seite"))
    return render(request, "notices/notice_list.html", {"page": page})


@login_required
def notice_open(request, pk):
    """Marks the notice read and goes to what it is about. Someone else's notice: the 403 page."""
    notice = services.mark_read(request.user, get_object_or_404(Notice, pk=pk))
    # Stored paths are checked when written; this second look keeps a row changed by hand from becoming
    # an open redirect.
    return HttpResponseRedirect(notice.url if is_site_path(notice.url) else "/")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("Alle Mitteilungen sind als gelesen markiert."))
    return redirect("notices:list")
