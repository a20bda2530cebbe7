"""Checks of uploaded files, shared by the forum's attachments and the bodies' document libraries.

The real type comes from the content: neither the file name nor the browser's claim is trusted. The
uploader's file name is only ever shown and offered as the download name; stored files get random names.
"""

import re
import unicodedata
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import File
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
# What a reader sees in lists ("PDF, 120 KB").
TYPE_LABELS = {
    "pdf": "PDF",
    "png": "PNG-Bild",
    "jpg": "JPEG-Bild",
    "gif": "GIF-Bild",
    "webp": "WebP-Bild",
    "docx": "Word",
    "xlsx": "Excel",
    "pptx": "PowerPoint",
    "odt": "OpenDocument-Text",
    "ods": "OpenDocument-Tabelle",
}
# Browsers show these themselves without running anything (PDF viewer, image); office files are downloaded.
INLINE_TYPES = frozenset(SIMPLE_TYPES)
MAX_NAME_LENGTH = 200


def _office_type(upload: File) -> tuple[str, str] | None:
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


def detect_type(upload: File, *, max_bytes: int) -> tuple[str, str]:
    """Return (content type, extension) of an allowed file, or raise ValidationError in German."""
    size = upload.size or 0
    if size > max_bytes:
        raise ValidationError(
            _("Die Datei „%(name)s“ ist zu groß (höchstens %(limit)s).")
            % {"name": upload.name, "limit": filesizeformat(max_bytes)}
        )
    if size == 0:
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


def check_filename(name: str) -> None:
    """Refuse a name that carries a folder (../, /, \\): browsers never send one, so it was made up."""
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise ValidationError(
            _("Der Dateiname „%(name)s“ enthält Ordnerangaben (/ oder \\). Bitte wählen Sie die Datei direkt aus.")
            % {"name": name[:100]}
        )


def clean_filename(name: str, extension: str = "") -> str:
    """The name to show and to offer for download: the last part of any path, without control and
    direction characters (which can disguise "exe.pdf" as "fdp.exe"), at most 200 characters, and
    ending in the extension the content was recognised as."""
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split()).lstrip(".")
    stem, dot, current = name.rpartition(".")
    if not dot:
        stem, current = name, ""
    if extension and current.lower() not in {extension, "jpeg" if extension == "jpg" else extension}:
        stem = name
        current = extension
    stem = stem.strip() or _("Datei")
    suffix = f".{current}" if current else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)] + suffix
