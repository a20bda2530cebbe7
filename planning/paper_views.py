"""Views of the Planungspapier outside Wagtail's page serving: the one-click draft and the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import pdf
from core.permissions import PermissionDenied, refusal_text

from . import paper
from .pages import PlanningPaperPage
from .views import MAX_ID, _year_or_404


@login_required
@require_POST
def paper_create(request, year):
    planning_year = _year_or_404(year)
    try:
        page = paper.create_draft(request.user, planning_year)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(planning_year)
    messages.success(
        request,
        _("Der Entwurf des Planungspapiers ist angelegt. Ergänzen Sie die Textabschnitte und veröffentlichen Sie ihn."),
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def paper_pdf(request, page_id):
    page = PlanningPaperPage.objects.filter(pk=page_id).first() if page_id <= MAX_ID else None
    if page is None:
        raise Http404(_("Dieses Planungspapier gibt es nicht."))
    try:
        shown = paper.page_for_pdf(request, page)
    except PermissionDenied:
        # An unpublished paper is not revealed to those who may not see it.
        raise Http404(_("Dieses Planungspapier gibt es nicht.")) from None
    return pdf.pdf_response(paper.paper_pdf(shown), paper.pdf_filename(shown))
