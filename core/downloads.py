"""Handing out a file of the private storage after a view has checked who asks.

By default Django streams the file (FileResponse). Behind nginx or Apache the web server can send it
instead, which frees the worker at once: `PRIVATE_FILES_SERVE_METHOD = "x-accel-redirect"` (nginx: an
`internal` location at `PRIVATE_FILES_ACCEL_PREFIX` that aliases PRIVATE_MEDIA_ROOT) or `"x-sendfile"`
(Apache mod_xsendfile, Lighttpd: the absolute path). The permission check stays in the view either way:
the internal location cannot be reached from outside.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

SERVE_METHODS = ("django", "x-accel-redirect", "x-sendfile")


def serve_method() -> str:
    method = getattr(settings, "PRIVATE_FILES_SERVE_METHOD", "django")
    if method not in SERVE_METHODS:
        raise ImproperlyConfigured(f"PRIVATE_FILES_SERVE_METHOD must be one of {SERVE_METHODS}, not {method!r}")
    return method


def private_file_response(file: FieldFile, *, filename: str, content_type: str, inline: bool) -> HttpResponseBase:
    """The answer carrying `file`: shown in the browser (`inline`) or saved under `filename`.

    The disposition header follows RFC 6266 (`filename*=utf-8''…` for umlauts); `nosniff` stops a browser
    from guessing another type than the one the content check found.
    """
    method = serve_method()
    if method == "django":
        response: HttpResponseBase = FileResponse(file.open("rb"), content_type=content_type)
    else:
        # An empty answer: the web server replaces the body with the file and sets its length.
        response = HttpResponse(content_type=content_type)
        if method == "x-accel-redirect":
            prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "/_privat/")
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name or "")
        else:
            response["X-Sendfile"] = str(file.path)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    # Shared caches must not keep a file that only some may see.
    response["Cache-Control"] = "private, no-cache"
    return response
