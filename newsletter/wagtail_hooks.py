"""The newsletter in the Wagtail admin: lists and addresses, and a "Versenden" button on every edition."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button

from network.wagtail_hooks import StatusOnlyViewSet, register_status_only

from . import admin_views, permissions
from .models import Newsletter, NewsletterEdition, Subscriber, Subscription

# Addresses come with a sign-up or the import, subscriptions only with a consent.
register_status_only(Subscriber, Subscription)


class NewsletterViewSet(ModelViewSet):
    model = Newsletter
    # The public app already owns the "newsletter" namespace.
    url_namespace = "newsletter_lists"
    url_prefix = "newsletter/listen"
    icon = "mail"
    menu_label = _("Listen")
    list_display = ["name", "slug", "public_subscribe", "sender_email"]
    form_fields = [
        "name",
        "slug",
        "description",
        "sender_name",
        "sender_email",
        "reply_to",
        "public_subscribe",
        "consent_text",
    ]


class SubscriberViewSet(StatusOnlyViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Empfängeradressen")
    list_display = ["email", "status", "bounced_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    form_fields = ["status"]


class SubscriptionViewSet(StatusOnlyViewSet):
    model = Subscription
    icon = "list-ul"
    menu_label = _("Abonnements")
    list_display = ["subscriber", "newsletter", "status", "confirmed_at", "unsubscribed_at"]
    list_filter = ["newsletter", "status"]
    form_fields = ["status"]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_send_newsletters(request.user)


class ConsentViewSet(ViewSet):
    name = "newsletter_consents"
    url_prefix = "newsletter/einwilligungen"
    icon = "doc-full"
    menu_label = _("Einwilligungen")
    menu_item_class = CoordinatorMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.consent_list, name="index"),
            path("export.csv", admin_views.consent_export, name="export"),
        ]


class ImportViewSet(ViewSet):
    name = "newsletter_import"
    url_prefix = "newsletter/import"
    icon = "upload"
    menu_label = _("Adressen importieren")
    menu_item_class = CoordinatorMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.import_subscribers, name="index")]


class NewsletterViewSetGroup(ModelViewSetGroup):
    menu_label = _("Newsletter")
    menu_icon = "mail"
    menu_order = 210
    items = (NewsletterViewSet, SubscriberViewSet, SubscriptionViewSet, ConsentViewSet, ImportViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterViewSetGroup()


admin_urls = (
    [
        path("ausgabe/<id:page_id>/vorschau/", admin_views.edition_preview, name="preview"),
        path("ausgabe/<id:page_id>/versenden/", admin_views.prepare_send, name="prepare"),
        path("versand/<id:send_id>/", admin_views.send_detail, name="send"),
        path("versand/<id:send_id>/aktion/", admin_views.send_action, name="action"),
        path("versand/<id:send_id>/fortschritt.json", admin_views.send_progress, name="progress"),
    ],
    "newsletter_admin",
)


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [path("newsletter-versand/", include(admin_urls))]


@hooks.register("register_page_header_buttons")
def send_button(page, user, view_name, next_url=None):
    if not isinstance(page.specific_deferred, NewsletterEdition):
        return
    if permissions.can_preview_edition(user):
        yield Button(
            _("E-Mail-Vorschau"), reverse("newsletter_admin:preview", args=[page.pk]), icon_name="view", priority=4
        )
    if permissions.can_send_newsletters(user):
        yield Button(_("Versenden"), reverse("newsletter_admin:prepare", args=[page.pk]), icon_name="mail", priority=5)
