from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.pdf import pdf_response, render_pdf
from forum import markdown

from . import permissions, selectors, services
from .forms import ReportTextsForm, StartReportForm
from .models import AnnualReport
from .presentation import report_context


def _report(request, year):
    report = get_object_or_404(AnnualReport, year=year)
    permissions.check_see_report(request.user, report)
    return report


def _rendered(text):
    # The forum's renderer sanitises with nh3: its HTML is safe to show.
    return mark_safe(markdown.render(text)) if text else ""  # noqa: S308


def _context(report):
    return {
        "report": report,
        "introduction": _rendered(report.introduction),
        "outlook": _rendered(report.outlook),
        **report_context(selectors.report_figures(report)),
    }


@login_required
def report_list(request):
    permissions.check_see_reports(request.user)
    if request.method == "POST":
        permissions.check_edit_reports(request.user)
    may_edit = permissions.can_edit_reports(request.user)
    form = StartReportForm(request.POST or None) if may_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            report = services.start_report(request.user, form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            return redirect("reports:edit", year=report.year)
    return render(
        request,
        "reports/report_list.html",
        {"reports": selectors.years_with_reports(may_edit), "form": form, "may_edit": may_edit},
    )


@login_required
def report_detail(request, year):
    report = _report(request, year)
    return render(
        request,
        "reports/report_detail.html",
        {**_context(report), "may_edit": permissions.can_edit_reports(request.user)},
    )


@login_required
def report_pdf(request, year):
    report = _report(request, year)
    pdf = render_pdf("reports/report_pdf.html", _context(report), request=request)
    return pdf_response(pdf, _("Jahresbericht %(year)d.pdf") % {"year": report.year})


@login_required
def report_edit(request, year):
    permissions.check_edit_reports(request.user)
    report = get_object_or_404(AnnualReport, year=year)
    form = ReportTextsForm(request.POST or None, instance=report)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "publish":
            return _change_state(request, report, services.publish_report, _("Der Jahresbericht ist veröffentlicht."))
        if action == "withdraw":
            return _change_state(
                request, report, services.withdraw_report, _("Der Jahresbericht ist wieder ein Entwurf.")
            )
        if form.is_valid():
            services.save_report_texts(
                request.user,
                report,
                introduction=form.cleaned_data["introduction"],
                outlook=form.cleaned_data["outlook"],
            )
            messages.success(request, _("Die Texte sind gespeichert."))
            return redirect(report)
    return render(request, "reports/report_edit.html", {"report": report, "form": form})


def _change_state(request, report, operation, success):
    try:
        operation(request.user, report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(report)
