"""The forum's rule for attached files: the shared content checks of `core.uploads` with the forum's size limit."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core import uploads


def max_bytes() -> int:
    return getattr(settings, "FORUM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def detect_type(upload: UploadedFile) -> tuple[str, str]:
    """Return (content type, extension) of an allowed file, or raise ValidationError."""
    return uploads.detect_type(upload, max_bytes=max_bytes())
