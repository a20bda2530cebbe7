from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import message_of
from notices import selectors as notice_selectors
from notices import services as notice_services

from . import access, panels, permissions, selectors, services
from .forms import (
    BodyFilterForm,
    DistrictFilterForm,
    DistrictForm,
    InvitationForm,
    JoinRequestForm,
    MemberRoleForm,
    ProfileForm,
)
from .models import AVATAR_TYPES, Invitation, JoinRequest, Membership, NetworkBody, Organisation, User, avatar_extension


def body_list(request):
    form = BodyFilterForm(request.GET or None)
    kind = query = ""
    if form.is_valid():
        kind, query = form.cleaned_data["kind"], form.cleaned_data["q"]
    return render(
        request,
        "network/body_list.html",
        {
            "form": form,
            "bodies": selectors.bodies_for_directory(kind, query),
            "my_body_ids": access.member_body_ids(request.user),
        },
    )


def body_detail(request, slug):
    body = get_object_or_404(NetworkBody.objects.select_related("themenfeld"), slug=slug)
    canonical_url = body.get_absolute_url()
    if canonical_url != request.path:
        # The body's page in the CMS shows all of this page too: one address per body for links and search engines.
        return redirect(canonical_url, permanent=True)
    may_see_members = access.can_see_body_internals(request.user, body)
    return render(
        request,
        "network/body_detail.html",
        {
            "body": body,
            "memberships": selectors.members_of(body) if may_see_members else None,
            "is_member": access.is_member(request.user, body),
            "can_join": permissions.can_join_body(request.user, body),
            "can_moderate": permissions.can_manage_body(request.user, body),
            "pending_request": selectors.pending_join_request(request.user, body),
            "join_form": JoinRequestForm(),
            "body_panels": panels.body_panels(body, request.user),
        },
    )


@login_required
@require_POST
def body_join(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Die Nachricht ist zu lang (höchstens 1000 Zeichen)."))
        return redirect(body)
    try:
        result = services.request_to_join(request.user, body, form.cleaned_data["message"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect(body)
    if isinstance(result, Membership):
        messages.success(request, _("Sie sind jetzt Mitglied in „%(body)s“.") % {"body": body.name})
    else:
        messages.success(
            request, _("Ihre Anfrage wurde an die Moderation von „%(body)s“ geschickt.") % {"body": body.name}
        )
    return redirect(body)


@login_required
@require_POST
def body_leave(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    try:
        services.leave_body(request.user, body)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Sie sind aus „%(body)s“ ausgetreten.") % {"body": body.name})
    return redirect(body)


@login_required
def body_manage(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    permissions.check_manage_body(request.user, body)
    invitation_form = InvitationForm(request.POST or None)
    if request.method == "POST" and invitation_form.is_valid():
        try:
            services.invite(request.user, body, invitation_form.cleaned_data["email"])
        except ValidationError as error:
            invitation_form.add_error("email", error)
        else:
            messages.success(request, _("Die Einladung wurde verschickt."))
            return redirect("network:body_manage", slug=body.slug)
    return render(
        request,
        "network/body_manage.html",
        {
            "body": body,
            "memberships": selectors.members_of(body),
            "join_requests": body.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
                "user", "user__organisation"
            ),
            "invitations": body.invitations.filter(status=Invitation.Status.PENDING),
            "invitation_form": invitation_form,
            "role_choices": Membership.Role.choices,
        },
    )


@login_required
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("body", "user"), pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_join_request(request.user, join_request, accept)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Die Anfrage wurde angenommen.") if accept else _("Die Anfrage wurde abgelehnt."))
    return redirect("network:body_manage", slug=join_request.body.slug)


@login_required
@require_POST
def membership_update(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("body", "user"), pk=pk)
    form = MemberRoleForm(request.POST)
    try:
        if request.POST.get("action") == "remove":
            services.remove_member(request.user, membership)
            messages.success(request, _("%(person)s wurde entfernt.") % {"person": membership.user.public_name})
        elif form.is_valid():
            services.set_member_role(request.user, membership, form.cleaned_data["role"])
            messages.success(request, _("Die Rolle wurde geändert."))
        else:
            messages.error(request, _("Bitte wählen Sie eine gültige Rolle."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("network:body_manage", slug=membership.body.slug)


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.select_related("body"), pk=pk)
    services.revoke_invitation(request.user, invitation)
    messages.success(request, _("Die Einladung wurde zurückgenommen."))
    return redirect("network:body_manage", slug=invitation.body.slug)


@login_required
def invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("body"), token=token)
    if request.method == "POST":
        try:
            services.answer_invitation(request.user, invitation, request.POST.get("decision") == "accept")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            invitation.refresh_from_db()
            if invitation.status == Invitation.Status.ACCEPTED:
                messages.success(request, _("Willkommen in „%(body)s“!") % {"body": invitation.body.name})
                return redirect(invitation.body)
            messages.info(request, _("Sie haben die Einladung abgelehnt."))
            return redirect("network:my_bodies")
    return render(request, "network/invitation.html", {"invitation": invitation})


# The dashboard shows the newest unread notices; the notices page has them all.
DASHBOARD_NOTICES = 5


@login_required
def my_bodies(request):
    return render(
        request,
        "network/my_bodies.html",
        {
            "memberships": selectors.bodies_of(request.user),
            "unread": notice_selectors.latest_unread(request.user, DASHBOARD_NOTICES),
            "join_requests": request.user.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
                "body"
            ),
            "invitations": Invitation.objects.filter(
                email__iexact=request.user.email, status=Invitation.Status.PENDING
            ).select_related("body"),
        },
    )


def _district_filter(request):
    """The ?quartier= filter of the directory and the map (and its ?q= search); an unknown Quartier shows
    everything, with a message."""
    form = DistrictFilterForm(request.GET or None)
    query = request.GET.get("q", "").strip()[:100]
    if not form.is_bound:
        return form, None, query
    if not form.is_valid():
        messages.warning(request, _("Dieses Quartier gibt es nicht; gezeigt wird alles."))
        return form, None, query
    return form, form.cleaned_data["quartier"], query


def organisation_list(request):
    form, district, query = _district_filter(request)
    return render(
        request,
        "network/organisation_list.html",
        {
            "organisations": selectors.organisations_for_directory(query, district),
            "q": query,
            "district": district,
            "filter_form": form,
            "has_districts": selectors.districts().exists(),
        },
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    people = None
    if permissions.can_see_people(request.user):
        people = organisation.people.filter(is_active=True, approval=User.Approval.APPROVED).order_by("display_name")
    return render(
        request,
        "network/organisation_detail.html",
        {"organisation": organisation, "people": people, "facilities": organisation.facilities.all()},
    )


def network_map(request):
    form, district, _query = _district_filter(request)
    # Lazy: the drawing and the list are cached fragments under the map's stamp (network.freshness); the
    # map is worked out only when one of them is stale.
    full_map = SimpleLazyObject(lambda: selectors.network_map(request.user, district))
    return render(
        request,
        "network/network_map.html",
        {
            "map": full_map,
            "people": SimpleLazyObject(lambda: selectors.map_connectors(request.user, district, full_map)),
            "people_key": selectors.map_viewer_key(request.user, district),
            "fragment_key": (selectors.network_stamp(), district.pk if district else 0),
            "district": district,
            "district_map": SimpleLazyObject(lambda: selectors.district_map(highlight=district)),
            "filter_form": form,
            "has_districts": selectors.has_districts(),
        },
    )


def district_list(request):
    return render(
        request,
        "network/district_list.html",
        {
            "districts": selectors.districts().annotate(organisation_count=Count("organisations")),
            "district_map": selectors.district_map(),
            "can_manage": permissions.can_manage_districts(request.user),
        },
    )


def district_detail(request, slug):
    district = selectors.district_for_page(slug)
    if district is None:
        raise Http404(_("Dieses Quartier gibt es nicht."))
    return render(
        request,
        "network/district_detail.html",
        {
            "district": district,
            "district_map": selectors.district_map(highlight=district),
            "organisations": district.organisations.all(),
            "district_panels": panels.district_panels(district, request.user),
            "can_manage": permissions.can_manage_districts(request.user),
        },
    )


@login_required
def district_create(request):
    return _district_form(request, None)


@login_required
def district_edit(request, slug):
    district = selectors.district_for_page(slug)
    if district is None:
        raise Http404(_("Dieses Quartier gibt es nicht."))
    return _district_form(request, district)


def _district_form(request, district):
    permissions.check_manage_districts(request.user)
    initial = DistrictForm.initial_from(district) if district else None
    form = DistrictForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            district = services.save_district(request.user, district, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Das Quartier „%(name)s“ ist gespeichert.") % {"name": district.name})
            return redirect(district)
    return render(request, "network/district_form.html", {"form": form, "district": district})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            notice_services.set_wanted_kinds(request.user, form.cleaned_data.get("notice_kinds", ()))
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return redirect("network:profile")
    return render(request, "network/profile.html", {"form": form})


def person_detail(request, pk):
    permissions.check_see_people(request.user)
    person = get_object_or_404(User.objects.select_related("organisation"), pk=pk, is_active=True)
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "memberships": selectors.bodies_of(person).filter(body__in=access.visible_internal_bodies(request.user)),
        },
    )


def person_avatar(request, pk):
    """Profile pictures are personal data: only whoever may open the person's page sees them."""
    permissions.check_see_people(request.user)
    person = get_object_or_404(User, pk=pk, is_active=True)
    if not person.avatar:
        raise Http404
    content_type = AVATAR_TYPES.get(avatar_extension(person.avatar.name))
    if content_type is None:
        # Uploaded before the form checked the format: nothing a browser should display.
        return FileResponse(person.avatar.open("rb"), as_attachment=True, content_type="application/octet-stream")
    response = FileResponse(person.avatar.open("rb"), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def approvals(request):
    permissions.check_approve_signups(request.user)
    if request.method == "POST":
        person = get_object_or_404(User, pk=request.POST.get("user"))
        approve = request.POST.get("decision") == "approve"
        try:
            services.decide_signup(request.user, person, approve)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                (
                    _("%(person)s wurde freigegeben.")
                    if approve
                    else _("Die Registrierung von %(person)s wurde abgelehnt.")
                )
                % {"person": person.public_name},
            )
        return redirect("network:approvals")
    return render(request, "network/approvals.html", {"pending": services.pending_signups()})


def _error_text(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return message_of(error)
