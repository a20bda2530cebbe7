"""The coordination creates and orders the general boards in the Wagtail admin it already uses."""

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Board

# A body's board comes and goes with its body, and its kind and body are what the forum's rules
# rest on (who sees, who moderates, who may announce): no admin form offers either of them.
EDITABLE_FIELDS = ["name", "slug", "description", "is_public", "sort_order"]


class BoardViewSet(ModelViewSet):
    model = Board
    icon = "comment"
    menu_label = _("Forumsbereiche")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "body", "is_public", "sort_order"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "description"]
    form_fields = EDITABLE_FIELDS

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        # A new board is a general one: its kind is chosen once, and never that of a body's board.
        form_class = modelform_factory(
            Board,
            formfield_callback=self.formfield_for_dbfield,
            fields=["name", "slug", "description", "kind", "is_public", "sort_order"],
        )
        form_class.base_fields["kind"].choices = [
            (value, label) for value, label in Board.Kind.choices if value != Board.Kind.BODY
        ]
        return form_class


@hooks.register("register_admin_viewset")
def register_board_viewset():
    return BoardViewSet("forum_boards")
