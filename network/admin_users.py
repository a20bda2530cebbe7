"""Wagtail's user admin, where only an administrator is offered the „Administrator“ checkbox.

The coordination manages accounts; that it may not make anyone administrator is enforced by a
hook (network.wagtail_hooks). Without the checkbox it is not offered a choice it cannot make.
"""

from wagtail.users.views import users


class _AdministratorChoiceForAdministratorsOnly:
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
        return form


class CreateView(_AdministratorChoiceForAdministratorsOnly, users.CreateView):
    pass


class EditView(_AdministratorChoiceForAdministratorsOnly, users.EditView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
