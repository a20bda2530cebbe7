"""The coordination administers the network in the same Wagtail admin the editors use."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.forms import DateTimeField

from .models import ApprovedDomain, Invitation, JoinRequest, Membership, NetworkBody, Organisation, Themenfeld


class StatusOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows that people create themselves, with what an admin form lacks (the person, the body, the
    consent): in the admin their status is changed, but nobody adds one there, whatever a group's
    permissions say. Wagtail then shows no add button and refuses the add view."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "add"])


def register_status_only(*models):
    """Before Wagtail looks the policy up, or it makes a plain one: at the top of wagtail_hooks."""
    for model in models:
        register_permission_policy(model, StatusOnlyPermissionPolicy(model))


register_status_only(JoinRequest, Invitation)


class StatusOnlyViewSet(ModelViewSet):
    # A copy is an add with the original's values.
    copy_view_enabled = False


class NetworkBodyViewSet(ModelViewSet):
    model = NetworkBody
    icon = "group"
    menu_label = _("Gremien")
    list_display = ["name", "kind", "themenfeld", "status", "visibility"]
    list_filter = ["kind", "status", "visibility"]
    search_fields = ["name", "purpose"]
    form_fields = ["name", "short_name", "slug", "kind", "themenfeld", "status", "visibility", "purpose", "contact"]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisationen")
    list_display = ["name", "kind", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    form_fields = [
        "name",
        "slug",
        "kind",
        "parent",
        "street",
        "postcode",
        "city",
        "website",
        "email",
        "description",
        "districts",
    ]


class ThemenfeldViewSet(ModelViewSet):
    model = Themenfeld
    icon = "tag"
    menu_label = _("Themenfelder")
    list_display = ["name", "sort_order"]
    form_fields = ["name", "slug", "description", "sort_order"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Mitgliedschaften")
    list_display = ["user", "body", "role", "since"]
    list_filter = ["body", "role"]
    form_fields = ["user", "body", "role", "since"]


class ApprovedDomainViewSet(ModelViewSet):
    model = ApprovedDomain
    icon = "mail"
    menu_label = _("Freigegebene Domains")
    list_display = ["domain", "organisation"]
    search_fields = ["domain"]
    form_fields = ["domain", "organisation"]


class JoinRequestViewSet(StatusOnlyViewSet):
    model = JoinRequest
    icon = "help"
    menu_label = _("Beitrittsanfragen")
    list_display = ["user", "body", "status", "created_at"]
    list_filter = ["status", "body"]
    form_fields = ["status"]


class InvitationViewSet(StatusOnlyViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Einladungen")
    list_display = ["email", "body", "status", "expires_at"]
    list_filter = ["status", "body"]
    form_fields = ["status", "expires_at"]

    # This viewset's plain model form misses the date check Wagtail's forms get in cms.wagtail_hooks.
    def formfield_for_dbfield(self, db_field, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["form_class"] = DateTimeField
        return super().formfield_for_dbfield(db_field, **kwargs)


class NetworkViewSetGroup(ModelViewSetGroup):
    menu_label = _("Netzwerk")
    menu_icon = "group"
    menu_order = 200
    items = (
        NetworkBodyViewSet,
        OrganisationViewSet,
        ThemenfeldViewSet,
        MembershipViewSet,
        ApprovedDomainViewSet,
        JoinRequestViewSet,
        InvitationViewSet,
    )


@hooks.register("register_admin_viewset")
def register_network_viewsets():
    return NetworkViewSetGroup()


@hooks.register("before_create_user")
@hooks.register("before_edit_user")
def only_administrators_make_or_change_administrators(request, user=None):
    """The coordination manages accounts, but Wagtail would let it tick "Administrator" or edit the
    administrator's account (password, e-mail) and so make itself superuser."""
    if request.user.is_superuser:
        return
    # Read the checkbox as the user form will, so that an unticked "false" still passes.
    grants_administrator = forms.BooleanField(required=False).clean(request.POST.get("is_superuser"))
    if grants_administrator or (user is not None and user.is_superuser):
        raise PermissionDenied


@hooks.register("before_bulk_action")
def only_administrators_act_on_administrators(request, action_type, objects, action_class_instance):
    """The user list's bulk actions to deactivate or assign a role check only the permission to
    change users, and would reach the administrator's account too (deleting it Wagtail refuses)."""
    if request.user.is_superuser:
        return
    if any(isinstance(obj, get_user_model()) and obj.is_superuser for obj in objects):
        raise PermissionDenied
