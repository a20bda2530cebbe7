"""The coordination creates and orders the general boards in the Wagtail admin it already uses."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Board


class BoardViewSet(ModelViewSet):
    model = Board
    icon = "comment"
    menu_label = _("Forumsbereiche")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "body", "is_public", "sort_order"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "description"]
    # Body boards are created with their body; kind and body stay as the forum set them.
    form_fields = ["name", "slug", "description", "kind", "is_public", "sort_order"]


@hooks.register("register_admin_viewset")
def register_board_viewset():
    return BoardViewSet("forum_boards")
