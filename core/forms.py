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
