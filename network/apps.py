from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class NetworkConfig(AppConfig):
    # This module holds a second app config (Wagtail's users, below): "network" must still get this one.
    default = True
    name = "network"
    verbose_name = _("Netzwerk")

    def ready(self):
        from . import freshness, privacy, signals  # noqa: F401


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with our viewset (network.admin_users); listed in INSTALLED_APPS
    instead of "wagtail.users"."""

    user_viewset = "network.admin_users.UserViewSet"
