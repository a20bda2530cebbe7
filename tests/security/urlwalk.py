"""Every HTTP URL pattern of the project, straight from the resolver, with the areas left to others.

The authorization matrix keys its table by the names this module produces, so a view that
someone adds tomorrow shows up here and fails the matrix until it has an entry.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model
from django.urls import URLResolver, get_resolver

PROJECT_APPS = {"network", "cms", "forum", "newsletter"}


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or "<route>" for an unnamed pattern
    route: str
    module: str
    namespace: str
    model_label: str  # the admin viewset's model, "" elsewhere


def _model_label(callback):
    model = getattr(callback, "view_initkwargs", {}).get("model") or getattr(
        getattr(callback, "view_class", None), "model", None
    )
    if isinstance(model, str):
        model = apps.get_model(model)
    if not (isinstance(model, type) and issubclass(model, Model)):
        return ""
    return model._meta.label


def _module(callback):
    view_class = getattr(callback, "view_class", None)
    return (view_class or callback).__module__


def walk(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from walk(pattern.url_patterns, route, inner)
            continue
        if pattern.name:
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            key = f"<{route}>"
        yield Pattern(key, route, _module(pattern.callback), namespace, _model_label(pattern.callback))


def is_project_admin_area(pattern):
    """A Wagtail admin viewset of one of our own models: its permissions are ours to get right."""
    return pattern.route.startswith("admin/") and pattern.model_label.split(".")[0] in PROJECT_APPS


# Areas whose every pattern is not listed one by one, and why. Each is checked through the
# representative URLs in the matrix (see ADMIN_REPRESENTATIVES there).
SKIPPED_AREAS = [
    (
        lambda p: (
            p.route.startswith("admin/") and p.module.split(".")[0] not in PROJECT_APPS and not is_project_admin_area(p)
        ),
        "Wagtails eigene Admin-Views (Seitenbaum, Bilder, Dokumente, Workflows, …): Wagtail prüft selbst "
        "access_admin und die Objektrechte; je Bereich eine repräsentative URL in ADMIN_REPRESENTATIVES.",
    ),
    (
        lambda p: p.key.startswith("newsletter:anymail:") and p.key != "newsletter:anymail:postmark_tracking_webhook",
        "Webhooks der Mail-Anbieter von django-anymail, alle mit derselben Basic-Auth (ANYMAIL WEBHOOK_SECRET); "
        "repräsentativ newsletter:anymail:postmark_tracking_webhook.",
    ),
    (
        lambda p: p.key == "wagtail_serve",
        "Wagtails Seitenauslieferung (Catch-all): geprüft über konkrete Seiten in PAGES.",
    ),
]


def skip_reason(pattern):
    for predicate, reason in SKIPPED_AREAS:
        if predicate(pattern):
            return reason
    return None
