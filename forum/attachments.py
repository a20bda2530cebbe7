"""Checks an upload's real type from its content: the file name and the browser's claim are not trusted."""

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIMPLE_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def max_bytes():
    return getattr(settings, "FORUM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def _office_type(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return declared, ODF_TYPES[declared]
            if "[Content_Types].xml" in names:
                manifest = archive.read("[Content_Types].xml").decode("utf-8", "replace")
                for marker, result in OOXML_TYPES.items():
                    if marker in manifest:
                        return result
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    return None


def detect_type(upload):
    """Return (content type, extension) of an allowed file, or raise ValidationError."""
    if upload.size > max_bytes():
        raise ValidationError(
            _("Die Datei „%(name)s“ ist zu groß (höchstens %(limit)s).")
            % {"name": upload.name, "limit": filesizeformat(max_bytes())}
        )
    if upload.size == 0:
        raise ValidationError(_("Die Datei „%(name)s“ ist leer.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    result = None
    if guess is not None and guess.mime in SIMPLE_TYPES:
        result = guess.mime, SIMPLE_TYPES[guess.mime]
    elif head.startswith(b"PK\x03\x04"):
        result = _office_type(upload)
        upload.seek(0)
    if result is None:
        raise ValidationError(
            _(
                "Die Datei „%(name)s“ hat kein erlaubtes Format. Erlaubt sind PDF, Word, Excel, PowerPoint, "
                "OpenDocument-Text und -Tabellen sowie Bilder (PNG, JPEG, GIF, WebP)."
            )
            % {"name": upload.name}
        )
    return result
