"""Checks on what people type that Django's fields do not make."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Bidi overrides and isolates can make a title read differently from what it contains ("Trojan Source").
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
LINE_BREAKS_AND_TABS = set("\n\r\t")


def reject_control_characters(value, *, allow_line_breaks=False):
    allowed = LINE_BREAKS_AND_TABS if allow_line_breaks else set()
    for char in value:
        if char in allowed:
            continue
        if char in BIDI_CONTROLS:
            raise ValidationError(
                _("Der Text enthält unsichtbare Steuerzeichen für die Schreibrichtung. Bitte entfernen Sie sie."),
                code="bidi",
            )
        if unicodedata.category(char) == "Cc":
            raise ValidationError(
                _("Der Text enthält unsichtbare Steuerzeichen. Bitte geben Sie ihn ohne diese Zeichen ein."),
                code="control",
            )


def validate_title(value):
    reject_control_characters(value)


def validate_post_text(value):
    reject_control_characters(value, allow_line_breaks=True)
