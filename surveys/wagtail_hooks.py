"""Feedback templates and automatic feedback in the Wagtail admin (Snippets): the Redaktion and the
coordination maintain them, without a Django group permission to hand out."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from network import access
from network.models import User

from .models import AutomaticFeedback, FeedbackTemplate


class EditorsPolicy(BasePermissionPolicy):
    """Every action for the Redaktion and the coordination (`network.access.is_editor`), nothing for others."""

    def user_has_permission(self, user, action):
        return access.is_editor(user)

    def users_with_any_permission(self, actions):
        return (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name__in=[access.COORDINATION_GROUP, access.EDITORS_GROUP]))
            .distinct()
        )


register_permission_policy(FeedbackTemplate, EditorsPolicy(FeedbackTemplate))
register_permission_policy(AutomaticFeedback, EditorsPolicy(AutomaticFeedback))


class FeedbackTemplateViewSet(SnippetViewSet):
    model = FeedbackTemplate
    icon = "form"
    menu_label = _("Feedback-Vorlagen")
    list_display = ["name", "kind", "is_default"]


class AutomaticFeedbackViewSet(SnippetViewSet):
    model = AutomaticFeedback
    icon = "time"
    menu_label = _("Automatisches Feedback")
    list_display = ["__str__", "active", "template", "enabled_since"]


register_snippet(FeedbackTemplateViewSet)
register_snippet(AutomaticFeedbackViewSet)
