"""Page editor data that Wagtail's widgets cannot read.

Wagtail's widgets read their POST data unchecked: a StreamField's count goes through int(), its
block keys are looked up directly, rich text goes through json.loads and the Draft.js exporter.
Saving is guarded by hooks (cms.wagtail_hooks); the live preview, which posts the same form and
runs no page hooks, by the middleware below.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from wagtail.models import Page

# What those widgets raise on data they cannot read.
UNREADABLE = (KeyError, ValueError, TypeError, AttributeError)
PREVIEW_VIEWS = {"wagtailadmin_pages:preview_on_edit", "wagtailadmin_pages:preview_on_add"}


def unreadable_fields(request, page_class):
    """The labels of the page form's fields whose data in `request` its widgets cannot read."""
    form_class = page_class.get_edit_handler().get_form_class()
    unreadable = []
    for name, field in form_class.base_fields.items():
        try:
            field.widget.value_from_datadict(request.POST, request.FILES, name)
        except UNREADABLE:
            unreadable.append(str(field.label or name))
    return unreadable


def _previewed_page_class(kwargs):
    if "page_id" in kwargs:
        page = Page.objects.filter(pk=kwargs["page_id"]).first()
        return page.specific_class if page else None
    try:
        content_type = ContentType.objects.get_by_natural_key(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"]
        )
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    return model if model and issubclass(model, Page) else None


class RefuseUnreadablePreviewsMiddleware:
    """A preview of unreadable data gets the answer of an invalid form ("preview not available")
    instead of a server error. Only for people in the admin; Wagtail's own checks follow as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match.view_name not in PREVIEW_VIEWS:
            return None
        if not request.user.has_perm("wagtailadmin.access_admin"):
            return None
        page_class = _previewed_page_class(view_kwargs)
        if page_class is None or not unreadable_fields(request, page_class):
            return None
        return JsonResponse({"is_valid": False, "is_available": False})
