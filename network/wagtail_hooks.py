"""The coordination administers the network in the same Wagtail admin the editors use."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import ApprovedDomain, Invitation, JoinRequest, Membership, NetworkBody, Organisation, Themenfeld


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
    form_fields = ["name", "slug", "kind", "parent", "street", "postcode", "city", "website", "email", "description"]


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


class JoinRequestViewSet(ModelViewSet):
    model = JoinRequest
    icon = "help"
    menu_label = _("Beitrittsanfragen")
    list_display = ["user", "body", "status", "created_at"]
    list_filter = ["status", "body"]
    form_fields = ["status"]


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Einladungen")
    list_display = ["email", "body", "status", "expires_at"]
    list_filter = ["status", "body"]
    form_fields = ["status", "expires_at"]


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
