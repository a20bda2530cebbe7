"""Numbers of the Sozialmonitoring as German readers write them: grouped, with the indicator's decimals,
changes with their sign (a real minus sign, which screen readers read as "minus")."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from core import charts

register = template.Library()


@register.simple_tag
def number(value: Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    # number_format cuts a Decimal's further digits off instead of rounding them.
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.simple_tag
def change(value: Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    value = round(value, decimals)
    shown = number_format(abs(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if value > 0:
        return f"+{shown}"
    return f"\u2212{shown}" if value < 0 else "±0"


@register.simple_tag
def percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"({change(value, 1)} %)"


@register.simple_tag
def latest_values_chart(table, title: str):
    """A bar per district for the table's latest year (core.charts)."""
    items = table.latest_items()
    if not items:
        return ""
    # The unit goes into the title, not after each bar: core.charts leaves about 80 px right of the
    # longest bar, where "4.812 Personen" would be cut off.
    if table.indicator.unit:
        title = f"{title} ({table.indicator.unit})"
    return charts.bar_chart(items, title=title, decimals=table.indicator.decimals)


@register.simple_tag
def years_chart(table, title: str):
    """A line per district over the table's years (core.charts); nothing for a single year."""
    if len(table.years) < 2:
        return ""
    series = [
        charts.Series(row.district.name, [float(cell.value) if cell.value is not None else None for cell in row.cells])
        for row in table.rows
    ]
    return charts.line_chart(
        [str(year) for year in table.years],
        series,
        title=title,
        unit=table.indicator.unit,
        decimals=table.indicator.decimals,
    )
