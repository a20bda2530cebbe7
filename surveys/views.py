"""Answering a survey (page by page, without JavaScript), and the owners' results, moderation and exports.

The flow keeps what was answered on earlier pages in the session until the last page is sent; a
personal survey can also be saved in the database and continued later from the same link or account.
Whatever is refused re-renders the form with everything typed still in it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import PermissionDenied, allowed, message_of

from . import exports, permissions, selectors, services, spam, tokens
from .forms import HONEYPOT, STARTED, ConsentForm, InviteForm, SurveyPageForm
from .models import Answer, Participant, SurveyPage
from .questions import all_questions, condition_source

ACTIONS = ("back", "next", "save", "submit")
TEXTS_PER_PAGE = 100


def _survey_or_404(pk) -> SurveyPage:
    return get_object_or_404(SurveyPage.objects.live(), pk=pk)


def answer(request, pk):
    return _answer(request, _survey_or_404(pk), participant=None)


def invitation(request, token):
    try:
        participant = services.participant_from_token(token)
    except tokens.BadLink:
        return render(
            request,
            "surveys/message.html",
            {
                "title": _("Dieser Link ist ungültig"),
                "message": _(
                    "Der Link ist unvollständig oder nicht mehr gültig. Bitte nutzen Sie den Link aus der neuesten "
                    "Einladung oder Erinnerung, oder wenden Sie sich an die Sozialraumkoordination."
                ),
            },
            status=404,
        )
    survey = SurveyPage.objects.live().filter(pk=participant.survey_id).first()
    if survey is None:
        raise Http404(_("Diese Umfrage gibt es nicht."))
    return _answer(request, survey, participant=participant)


def _state_key(survey, participant):
    return f"surveys:{survey.pk}:{participant.pk if participant else 'ohne'}"


def _page_number(value, last):
    try:
        return min(max(int(str(value)), 0), last)
    except (TypeError, ValueError):
        return 0


def _answer(request, survey: SurveyPage, participant: Participant | None):
    try:
        permissions.check_survey_open(survey)
    except PermissionDenied as error:
        # The title may name a meeting (feedback) or a body: only the people the survey asks learn it,
        # unless its results are public anyway.
        asked = survey.results_published or allowed(permissions.check_in_audience, request.user, survey, participant)
        return render(
            request,
            "surveys/message.html",
            {
                "survey": survey,
                "title": survey.title if asked else _("Umfrage nicht geöffnet"),
                "message": message_of(error),
                "closed": True,
            },
            status=403,
        )
    permissions.check_answer(request.user, survey, participant)
    if participant is None:
        participant = services.participant_for_user(request.user, survey)
    if services.has_answered(survey, participant):
        return render(
            request,
            "surveys/message.html",
            {
                "survey": survey,
                "title": _("Sie haben bereits teilgenommen"),
                "message": _(
                    "Über diese Einladung wurde bereits geantwortet. Eine anonyme Umfrage nimmt je Person nur eine "
                    "Antwort an; sie lässt sich nicht ändern, weil sie niemandem zugeordnet ist. Vielen Dank!"
                ),
            },
            status=409,
        )
    sections = survey.sections()
    questions = all_questions(sections)
    last = len(sections) - 1
    key = _state_key(survey, participant)
    state = request.session.get(key)
    stored = services.stored_response(survey, request.user, participant)
    if state is None:
        state = {"answers": services.stored_answers(survey, stored)}
    answers = state["answers"]
    is_public = survey.audience == SurveyPage.Audience.PUBLIC
    consent_form = ConsentForm(
        request.POST or None,
        consent_text=survey.effective_consent_text,
        initial={"consent": bool(stored and stored.consent_version == survey.consent_version)},
    )
    status = 200
    error_message = ""

    if request.method == "POST":
        page = _page_number(request.POST.get("page"), last)
        action = request.POST.get("action")
        action = action if action in ACTIONS else "next"
        form = SurveyPageForm(
            request.POST, questions=questions, section_questions=sections[page].questions, answers=answers
        )
        if form.is_valid():
            merged = {k: v for k, v in {**answers, **form.answers}.items() if v is not None}
            if action in ("next", "submit"):
                form.required_errors(merged)
        if form.is_valid():
            request.session[key] = {"answers": merged}
            consent = consent_form.is_valid() and consent_form.cleaned_data["consent"]
            if action == "back":
                return _render_form(
                    request,
                    survey,
                    participant,
                    max(page - 1, 0),
                    merged,
                    consent_form,
                    started=form.cleaned_data[STARTED],
                )
            if action == "next" and page < last:
                return _render_form(
                    request, survey, participant, page + 1, merged, consent_form, started=form.cleaned_data[STARTED]
                )
            try:
                if action == "save":
                    services.save_draft(request.user, survey, merged, participant=participant, consent=consent)
                    messages.success(
                        request,
                        _("Ihre Antworten sind gespeichert. Sie können später über denselben Link weitermachen."),
                    )
                    return redirect(request.path + f"?seite={page + 1}")
                if is_public:
                    spam.check_human(form.cleaned_data[HONEYPOT], form.cleaned_data[STARTED])
                    if not spam.consume_rate(request):
                        status = 429
                        raise ValidationError(
                            _(
                                "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Antworten. Bitte versuchen Sie es "
                                "später noch einmal; Ihre Antworten bleiben in diesem Formular stehen."
                            )
                        )
                services.submit(request.user, survey, merged, participant=participant, consent=consent)
            except services.AlreadyAnswered as error:
                request.session.pop(key, None)
                return render(
                    request,
                    "surveys/message.html",
                    {
                        "survey": survey,
                        "title": _("Sie haben bereits teilgenommen"),
                        "message": " ".join(error.messages),
                    },
                    status=409,
                )
            except spam.LooksLikeABot as error:
                error_message, status = " ".join(error.messages), 400
            except ValidationError as error:
                error_message, status = " ".join(error.messages), status if status != 200 else 400
            except PermissionDenied as error:
                error_message, status = message_of(error), 403
            else:
                request.session.pop(key, None)
                return redirect("surveys:thanks", pk=survey.pk)
            # Refused: the same page, everything typed kept, a fresh start time for the next try.
            return _render_form(
                request, survey, participant, page, merged, consent_form, error_message=error_message, status=status
            )
        status = 400
        return _render_form(
            request,
            survey,
            participant,
            page,
            answers,
            consent_form,
            form=form,
            status=status,
            started=request.POST.get(STARTED, ""),
        )
    page = _page_number(request.GET.get("seite", 1), last + 1) - 1
    return _render_form(request, survey, participant, max(page, 0), answers, consent_form, stored=stored)


def _render_form(
    request,
    survey,
    participant,
    page,
    answers,
    consent_form,
    *,
    form=None,
    error_message="",
    status=200,
    started="",
    stored=None,
):
    sections = survey.sections()
    questions = all_questions(sections)
    if form is None:
        form = SurveyPageForm(
            questions=questions,
            section_questions=sections[page].questions,
            answers=answers,
            initial={STARTED: started or spam.started_token()},
        )
    if stored is None:
        stored = services.stored_response(survey, request.user, participant)
    groups = []
    for question, fields in form.bound_groups():
        source = condition_source(question, questions)
        groups.append(
            {
                "question": question,
                "fields": fields,
                "source": source,
                "source_field": f"q-{source.id}" if source and source.page == page else "",
            }
        )
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "groups": groups,
            "section": sections[page],
            "page": page,
            "page_count": len(sections),
            "is_last": page == len(sections) - 1,
            "consent_form": consent_form,
            "can_save": not survey.is_anonymous and (participant is not None or request.user.is_authenticated),
            "stored": stored,
            "error_message": error_message,
            "participant": participant,
        },
        status=status,
    )


def thanks(request, pk):
    survey = _survey_or_404(pk)
    return render(request, "surveys/thanks.html", {"survey": survey})


# --- owners: results, moderation, exports, invitations ----------------------------------------------


def _filters(request, survey):
    """?gremium=<id>&frage=<question id>&antwort=<value> from the filter form; unknown values are ignored."""
    filters = {}
    body = request.GET.get("gremium", "")
    if body.isdigit() and len(body) < 19:
        filters["body_id"] = int(body)
    question, value = request.GET.get("frage", ""), request.GET.get("antwort", "")[:200]
    if question in {q.id for q in all_questions(survey.sections())} and value:
        filters["condition"] = (question, value)
    return filters


@login_required
def results(request, pk):
    survey = _survey_or_404(pk)
    permissions.check_manage_survey(request.user, survey)
    filters = _filters(request, survey)
    questions = all_questions(survey.sections())
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": selectors.results(survey, **filters),
            "bodies": selectors.bodies_of_responses(survey),
            "filter_questions": [q for q in questions if q.kind in ("single_choice", "multiple_choice", "scale")],
            "filters": filters,
            "query": request.GET.urlencode(),
            "invitations": selectors.invitation_counts(survey),
            "pending_texts": selectors.pending_texts(survey).filter(text_status=Answer.TextStatus.PENDING).count(),
            "questions": questions,
        },
    )


@login_required
def export_csv(request, pk):
    survey = _survey_or_404(pk)
    permissions.check_manage_survey(request.user, survey)
    response = HttpResponse(
        exports.csv_bytes(survey, **_filters(request, survey)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="umfrage-{survey.pk}.csv"'
    return response


@login_required
def export_xlsx(request, pk):
    survey = _survey_or_404(pk)
    permissions.check_manage_survey(request.user, survey)
    response = HttpResponse(
        exports.xlsx_bytes(survey, **_filters(request, survey)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="umfrage-{survey.pk}.xlsx"'
    return response


@login_required
def moderate(request, pk):
    survey = _survey_or_404(pk)
    permissions.check_manage_survey(request.user, survey)
    by_id = {q.id: q for q in all_questions(survey.sections())}
    question = by_id.get(request.GET.get("frage", ""))
    texts = selectors.pending_texts(survey)
    if question is not None:
        texts = texts.filter(question=question.id)
    # By pages: a survey of thousands of answers has thousands of free texts, and each must be reachable.
    page = Paginator(texts, TEXTS_PER_PAGE).get_page(request.GET.get("seite"))
    if request.method == "POST":
        decisions = {}
        for answer in page.object_list:
            status = request.POST.get(f"text-{answer.pk}")
            if status in Answer.TextStatus.values and status != answer.text_status:
                decisions[answer.pk] = status
        changed = services.moderate_texts(request.user, survey, decisions)
        messages.success(request, _("%(count)d Freitexte sind neu eingestuft.") % {"count": changed})
        query = request.GET.urlencode()
        return redirect(reverse("surveys:moderate", args=[survey.pk]) + (f"?{query}" if query else ""))
    return render(
        request,
        "surveys/moderate.html",
        {
            "survey": survey,
            "page_obj": page,
            "texts": [(answer, by_id.get(answer.question)) for answer in page.object_list],
            "statuses": Answer.TextStatus.choices,
            "question": question,
        },
    )


@login_required
@require_POST
def publish(request, pk):
    survey = _survey_or_404(pk)
    permissions.check_manage_survey(request.user, survey)
    chosen = [value for value in request.POST.getlist("questions") if isinstance(value, str)]
    published = request.POST.get("published") == "on"
    try:
        services.publish_results(request.user, survey, chosen, published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Die gewählten Ergebnisse sind öffentlich.") if published else _("Die Ergebnisse sind nicht öffentlich."),
        )
    return redirect("surveys:results", pk=survey.pk)


@login_required
def invitations(request, pk):
    survey = _survey_or_404(pk)
    permissions.check_invite(request.user, survey)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "remind":
            count = services.remind(request.user, survey)
            messages.success(request, _("%(count)d Erinnerungen sind unterwegs.") % {"count": count})
            return redirect("surveys:invitations", pk=survey.pk)
        if form.is_valid():
            count = services.invite(request.user, survey, form.cleaned_data["emails"])
            messages.success(request, _("%(count)d Einladungen sind unterwegs.") % {"count": count})
            return redirect("surveys:invitations", pk=survey.pk)
    return render(
        request,
        "surveys/invitations.html",
        {
            "survey": survey,
            "form": form,
            "counts": selectors.invitation_counts(survey),
            "participants": survey.participants.filter(invited_at__isnull=False)
            .select_related("body")
            .order_by("email"),
        },
    )


def public_results(request, pk):
    survey = _survey_or_404(pk)
    try:
        permissions.check_see_public_results(request.user, survey)
    except PermissionDenied as error:
        # Not published yet looks to the public like no page at all.
        raise Http404(message_of(error)) from None
    return render(
        request,
        "surveys/public_results.html",
        {
            "survey": survey,
            "results": selectors.results(survey, question_ids=survey.published_questions, public=True),
            "small_group": selectors.SMALL_GROUP,
        },
    )
