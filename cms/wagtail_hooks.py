"""Page forms refuse data that Wagtail or the database cannot take with a message, not a server error.

Data Wagtail's widgets cannot read (cms.pageforms) is refused before Wagtail builds its form. After
saving, Wagtail redirects to `next` through Django's redirect(), which takes a word without "/" for
the name of a view: such a request is refused before saving too. The page stays as it was.
"""

from django.contrib import messages
from django.db import models
from django.shortcuts import redirect, resolve_url
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import AdminDateTimeInput

from core.forms import DateTimeField

from .pageforms import unreadable_fields

# Every date and time in Wagtail's forms (go_live_at and expire_at of every page, an event's start)
# refuses a moment before year 1 in UTC. This replaces Wagtail's own override, which sets the widget.
register_form_field_override(models.DateTimeField, override={"form_class": DateTimeField, "widget": AdminDateTimeInput})


def _has_unusable_next(request):
    next_url = get_valid_next_url_from_request(request)
    if not next_url:
        return False
    try:
        resolve_url(next_url)
    except NoReverseMatch:
        return True
    return False


def _refusal(request, page_class):
    if unreadable := unreadable_fields(request, page_class):
        return _(
            "Die Seite wurde nicht gespeichert: Die Daten im Feld „%(fields)s“ sind unvollständig oder beschädigt. "
            "Bitte laden Sie die Seite neu und geben Sie Ihre Änderungen erneut ein."
        ) % {"fields": "“, „".join(unreadable)}
    if _has_unusable_next(request):
        return _("Die Seite wurde nicht gespeichert: Die Adresse, zu der es danach weitergehen sollte, gibt es nicht.")
    return None


def _refuse_unusable(request, page_class):
    if request.method != "POST":
        return None
    if (refusal := _refusal(request, page_class)) is None:
        return None
    messages.error(request, refusal)
    # Without the query string: it may hold the unusable `next`.
    return redirect(request.path)


@hooks.register("before_create_page")
def refuse_unusable_new_page(request, parent_page, page_class):
    return _refuse_unusable(request, page_class)


@hooks.register("before_edit_page")
def refuse_unusable_page_changes(request, page):
    return _refuse_unusable(request, page.specific_class)
