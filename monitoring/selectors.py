"""Reads of the Sozialmonitoring for its pages and for the apps above (a proposal's cited indicators).

The year-on-year change compares a district's value with its value in the year before, where both
exist; as a percentage only where the earlier value is not zero.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from network.models import District

from .models import Indicator, IndicatorValue


@dataclass
class Cell:
    year: int
    value: Decimal | None
    change: Decimal | None = None


@dataclass
class TableRow:
    district: District
    cells: list[Cell] = field(default_factory=list)

    @property
    def latest(self) -> Cell | None:
        return self.cells[-1] if self.cells else None

    @property
    def change_percent(self) -> Decimal | None:
        if len(self.cells) < 2 or self.cells[-1].change is None or not self.cells[-2].value:
            return None
        return self.cells[-1].change / abs(self.cells[-2].value) * 100


@dataclass
class IndicatorTable:
    indicator: Indicator
    years: list[int]
    rows: list[TableRow]

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def previous_year(self) -> int | None:
        return self.years[-2] if len(self.years) > 1 else None

    @property
    def has_values(self) -> bool:
        return any(cell.value is not None for row in self.rows for cell in row.cells)

    def latest_items(self) -> list[tuple[str, float]]:
        """(district, value) of the latest year, for the bar chart."""
        return [
            (row.district.name, float(row.latest.value))
            for row in self.rows
            if row.latest is not None and row.latest.value is not None
        ]


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def indicator_for_page(slug: str) -> Indicator | None:
    return Indicator.objects.filter(slug=slug).first()


def any_example_values() -> bool:
    return Indicator.objects.filter(is_example=True, values__isnull=False).exists()


def tables(indicator_list: list[Indicator] | None = None, years: int | None = None) -> list[IndicatorTable]:
    """One table per indicator: a row per district, a column per year with values (the last `years`
    years that have any value), each with its change from the year before. Two queries."""
    indicator_list = list(Indicator.objects.all()) if indicator_list is None else indicator_list
    districts = list(District.objects.all())
    values: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for indicator_id, district_id, year, amount in IndicatorValue.objects.filter(
        indicator__in=[indicator.pk for indicator in indicator_list]
    ).values_list("indicator_id", "district_id", "year", "value"):
        values[indicator_id][(district_id, year)] = amount
    result = []
    for indicator in indicator_list:
        own = values[indicator.pk]
        shown_years = sorted({year for _district, year in own})
        if years is not None:
            shown_years = shown_years[-years:]
        rows = []
        for district in districts:
            if not any((district.pk, year) in own for year in shown_years):
                continue
            row = TableRow(district=district)
            for year in shown_years:
                value = own.get((district.pk, year))
                before = own.get((district.pk, year - 1))
                change = value - before if value is not None and before is not None else None
                row.cells.append(Cell(year=year, value=value, change=change))
            rows.append(row)
        result.append(IndicatorTable(indicator=indicator, years=shown_years, rows=rows))
    return result


def table_of(indicator: Indicator) -> IndicatorTable:
    return tables([indicator])[0]


def cited(indicator_list: list[Indicator]) -> list[IndicatorTable]:
    """The latest two years of the indicators a proposal cites."""
    return tables(indicator_list, years=2)


def district_profile(district: District) -> list[dict]:
    """Every indicator with a value for this district: its values over the years and the latest change."""
    profile = []
    for table in tables():
        row = next((row for row in table.rows if row.district.pk == district.pk), None)
        if row is not None:
            profile.append({"indicator": table.indicator, "row": row, "years": table.years})
    return profile
