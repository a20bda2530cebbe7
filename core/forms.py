"""Form fields every app uses for input that would otherwise reach the database as a server error."""

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The largest id a BigAutoField holds on PostgreSQL and SQLite.
MAX_ID = 2**63 - 1


class _IdsInRange(forms.ModelChoiceField):
    """An id beyond the database's integer range (either sign) is an invalid choice, not a server
    error: Django's own fields hand it to the query (for `IN` lookups and page ids too), which overflows."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, (list, tuple)) else [value]:
            text = str(pk).strip().removeprefix("-")
            if text.isascii() and text.isdigit() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)


class IdChoiceField(_IdsInRange, forms.ModelChoiceField):
    pass


class IdsChoiceField(_IdsInRange, forms.ModelMultipleChoiceField):
    pass


class DateTimeField(forms.DateTimeField):
    """A moment the database can store: the first hour of year 1, entered in German time, lies before
    year 1 in UTC, where Django and Wagtail convert it on saving, which failed with a server error."""

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment.astimezone(UTC)
            except OverflowError:
                raise forms.ValidationError(
                    _("Bitte einen Zeitpunkt zwischen dem Jahr 1 und dem Jahr 9999 angeben."), code="invalid"
                ) from None
        return moment


LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; without it, the same text field takes 2027-03-09T16:00."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_DATETIME_FORMAT, **kwargs)


def local_datetime_field(label: str, *, required: bool = True, help_text: str = "") -> DateTimeField:
    return DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=help_text,
        error_messages={"invalid": _("Bitte Datum und Uhrzeit angeben, z. B. 2027-03-09 16:00.")},
    )
