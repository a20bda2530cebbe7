"""Operations of the Sozialmonitoring. Each checks the permission once and changes the data in one transaction."""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import Viewer
from network.models import District

from . import permissions
from .models import FIRST_YEAR, LAST_YEAR, MAX_VALUE, Indicator, IndicatorValue

INDICATOR_FIELDS = ("name", "slug", "unit", "description", "source", "decimals", "is_example", "sort_order")


@transaction.atomic
def save_indicator(actor: Viewer, indicator: Indicator | None, **fields: Any) -> Indicator:
    """Create (indicator None) or change an indicator of the list."""
    permissions.check_manage_monitoring(actor)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    indicator = indicator or Indicator()
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    return indicator


def _check_value(year: int, value: Decimal) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Das Jahr muss zwischen %(first)s und %(last)s liegen.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise ValidationError(_("Der Wert %(value)s ist zu groß.") % {"value": value})


@transaction.atomic
def set_values(
    actor: Viewer, indicator: Indicator, year: int, values: Mapping[District, Decimal | None]
) -> dict[str, int]:
    """One indicator's values of one year, per district; None removes a district's value."""
    permissions.check_manage_monitoring(actor)
    counted = {"saved": 0, "removed": 0}
    for district, value in values.items():
        if value is None:
            counted["removed"] += IndicatorValue.objects.filter(
                indicator=indicator, district=district, year=year
            ).delete()[0]
            continue
        _check_value(year, value)
        IndicatorValue.objects.update_or_create(
            indicator=indicator, district=district, year=year, defaults={"value": value}
        )
        counted["saved"] += 1
    return counted


@transaction.atomic
def import_values(actor: Viewer, rows: Iterable[tuple[int, int, int, str]]) -> int:
    """The confirmed rows of an import preview: (indicator id, district id, year, value).

    All or nothing: a row that is wrong by now (its indicator or district was deleted since the
    preview, a value tampered with) raises, and the transaction takes back the rows stored before it.
    """
    permissions.check_manage_monitoring(actor)
    indicators = Indicator.objects.in_bulk()
    districts = District.objects.in_bulk()
    stored = 0
    for number, (indicator_id, district_id, year, text) in enumerate(rows, start=1):
        indicator, district = indicators.get(indicator_id), districts.get(district_id)
        if indicator is None or district is None:
            raise ValidationError(
                _("Zeile %(row)s der Vorschau: Indikator oder Quartier gibt es inzwischen nicht mehr.")
                % {"row": number}
            )
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Zeile %(row)s der Vorschau: der Wert ist keine Zahl.") % {"row": number}) from None
        _check_value(year, value)
        IndicatorValue.objects.update_or_create(
            indicator=indicator, district=district, year=year, defaults={"value": value}
        )
        stored += 1
    return stored
