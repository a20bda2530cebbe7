"""Feedback templates and automatic feedback in the Wagtail admin (Snippets): the Redaktion and the
coordination maintain them, without a Django group permission to hand out. And who may open a meeting's
feedback page."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from meetings import permissions as meeting_permissions
from network import access
from network.models import User

from .models import AutomaticFeedback, FeedbackRequest, FeedbackTemplate, SurveyPage


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


@hooks.register("before_serve_page")
def feedback_page_only_for_who_sees_the_meeting(page, request, serve_args, serve_kwargs):
    """A meeting's feedback page names the meeting: whoever may not see the meeting finds no such page (the
    attendees answer through their links, which are other views)."""
    if not isinstance(page, SurveyPage):  # Wagtail hands over the specific page
        return None
    feedback = FeedbackRequest.objects.select_related("meeting__body").filter(survey_id=page.pk).first()
    if feedback is not None and feedback.meeting is not None:
        if not meeting_permissions.can_see(request.user, feedback.meeting):
            raise Http404
    return None
