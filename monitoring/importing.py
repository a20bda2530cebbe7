"""Reading indicator values from a CSV or XLSX file, for the preview before anything is stored.

The file has a header row with the columns Indikator, Quartier, Jahr, Wert (any order, any case)
and one value per row. Indicators and districts are named by name or by their short name (slug).
Numbers may be written the German way ("1.234,5") or the English way ("1234.5"); spreadsheets'
float noise is rounded to the three decimals the table keeps.

Every problem becomes one German sentence with its line number, so that whoever exported the file
can fix it there; `services.import_values` stores the rows only when there is none.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from network.models import District

from .models import FIRST_YEAR, LAST_YEAR, MAX_VALUE, Indicator, IndicatorValue

COLUMNS = {"indikator": "indicator", "quartier": "district", "jahr": "year", "wert": "value"}
MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_SHOWN_ERRORS = 50
# More columns than this in a spreadsheet row are not read (a sheet may be 16384 columns wide).
MAX_COLUMNS = 12
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
PLAIN = re.compile(r"^-?\d+([.,]\d+)?$")
STEP = Decimal("0.001")


@dataclass
class ImportRow:
    line: int
    indicator: Indicator
    district: District
    year: int
    value: Decimal
    previous: Decimal | None = None

    @property
    def changes(self) -> bool:
        return self.previous is not None and self.previous != self.value


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_SHOWN_ERRORS:
            self.errors.append(message)

    @property
    def is_valid(self) -> bool:
        return not self.error_count and bool(self.rows)

    def as_data(self) -> list[list[Any]]:
        """What the confirmation step needs again: ids, year and the value as text (for the session)."""
        return [[row.indicator.pk, row.district.pk, row.year, str(row.value)] for row in self.rows]


def preview(name: str, content: bytes) -> ImportPreview:
    """The rows of the file with the values they would replace, and every problem found."""
    return check_rows(read_table(name, content))


def read_table(name: str, content: bytes) -> list[tuple[int, list[Any]]]:
    """(line number, cells) of a CSV or XLSX file; ValidationError when the file itself cannot be read."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("Die Datei ist zu groß (höchstens %(size)s MB).") % {"size": MAX_FILE_BYTES // 1_000_000}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("csv", "txt"):
        return _read_csv(content)
    if extension == "xlsx":
        return _read_xlsx(content)
    raise ValidationError(_("Bitte laden Sie eine CSV- oder XLSX-Datei hoch (Endung .csv oder .xlsx)."))


def _read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # What Excel writes on German Windows when asked for "CSV (Trennzeichen-getrennt)".
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(_("Die Datei ist keine Textdatei in UTF-8 oder Windows-1252.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count) if any(c in first_line for c in ";,\t") else ";"
    rows: list[tuple[int, list[Any]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cells in reader:
            if len(rows) > MAX_ROWS:
                break
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ValidationError(_("Die CSV-Datei ist nicht lesbar: %(error)s.") % {"error": str(error)[:120]}) from None
    return rows


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                if len(rows) > MAX_ROWS:
                    break
                rows.append((number, list(cells)))
        finally:
            workbook.close()
    # A damaged or foreign file fails inside openpyxl, zipfile or the XML parser in many ways;
    # for the person uploading it they all mean the same.
    except Exception:
        raise ValidationError(_("Die Datei ist keine lesbare XLSX-Datei (Excel-Arbeitsmappe).")) from None
    return rows


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def check_rows(table: list[tuple[int, list[Any]]]) -> ImportPreview:
    result = ImportPreview()
    table = [(line, cells) for line, cells in table if any(_text(cell) for cell in cells)]
    if not table:
        result.error(_("Die Datei enthält keine Zeilen."))
        return result
    header_line, header = table[0]
    positions = _columns(header_line, header, result)
    if positions is None:
        return result
    if len(table) - 1 > MAX_ROWS:
        result.error(_("Die Datei hat mehr als %(max)s Zeilen; bitte teilen Sie sie auf.") % {"max": MAX_ROWS})
        return result

    indicators: dict[str, Indicator] = {}
    for known_indicator in Indicator.objects.all():
        for name in (known_indicator.name, known_indicator.slug):
            indicators[name.casefold()] = known_indicator
    districts: dict[str, District] = {}
    for known_district in District.objects.all():
        for name in (known_district.name, known_district.slug):
            districts[name.casefold()] = known_district
    seen: dict[tuple[int, int, int], int] = {}
    width = len(header)
    for line, cells in table[1:]:
        if sum(1 for cell in cells[width:] if _text(cell)):
            result.error(_("Zeile %(line)s: mehr Spalten als in der Kopfzeile.") % {"line": line})
            continue
        cell = {key: _text(cells[index]) if index < len(cells) else "" for key, index in positions.items()}
        errors_before = result.error_count
        indicator = indicators.get(cell["indicator"].casefold())
        if not cell["indicator"]:
            result.error(_("Zeile %(line)s: der Indikator fehlt.") % {"line": line})
        elif indicator is None:
            result.error(
                _("Zeile %(line)s: unbekannter Indikator „%(name)s“.") % {"line": line, "name": cell["indicator"][:80]}
            )
        district = districts.get(cell["district"].casefold())
        if not cell["district"]:
            result.error(_("Zeile %(line)s: das Quartier fehlt.") % {"line": line})
        elif district is None:
            result.error(
                _("Zeile %(line)s: unbekanntes Quartier „%(name)s“.") % {"line": line, "name": cell["district"][:80]}
            )
        year = _year(cell["year"])
        if year is None:
            result.error(
                _("Zeile %(line)s: „%(year)s“ ist kein Jahr zwischen %(first)s und %(last)s.")
                % {"line": line, "year": cell["year"][:20], "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        value = number(cells[positions["value"]] if positions["value"] < len(cells) else None)
        if value is None:
            result.error(
                _("Zeile %(line)s: „%(value)s“ ist keine Zahl.") % {"line": line, "value": cell["value"][:40]}
                if cell["value"]
                else _("Zeile %(line)s: der Wert fehlt.") % {"line": line}
            )
        if result.error_count > errors_before or indicator is None or district is None or year is None or value is None:
            continue
        key = (indicator.pk, district.pk, year)
        if key in seen:
            result.error(
                _("Zeile %(line)s: %(indicator)s, %(district)s, %(year)s steht schon in Zeile %(first)s.")
                % {
                    "line": line,
                    "indicator": indicator.name,
                    "district": district.name,
                    "year": year,
                    "first": seen[key],
                }
            )
            continue
        seen[key] = line
        result.rows.append(ImportRow(line=line, indicator=indicator, district=district, year=year, value=value))
    if not result.rows and not result.error_count:
        result.error(_("Die Datei enthält nur die Kopfzeile, aber keine Werte."))
    _add_previous_values(result.rows)
    return result


def _columns(line: int, header: list[Any], result: ImportPreview) -> dict[str, int] | None:
    names = [_text(cell).casefold() for cell in header]
    unknown = [_text(cell) for cell in header if _text(cell) and _text(cell).casefold() not in COLUMNS]
    missing = [name.capitalize() for name in COLUMNS if name not in names]
    doubled = sorted({name.capitalize() for name in names if name in COLUMNS and names.count(name) > 1})
    if unknown:
        result.error(
            _("Zeile %(line)s: unbekannte Spalte „%(names)s“; erwartet werden Indikator, Quartier, Jahr, Wert.")
            % {"line": line, "names": "“, „".join(name[:40] for name in unknown[:5])}
        )
    if missing:
        result.error(
            _("Zeile %(line)s: es fehlt die Spalte „%(names)s“; erwartet werden Indikator, Quartier, Jahr, Wert.")
            % {"line": line, "names": "“, „".join(missing)}
        )
    if doubled:
        result.error(
            _("Zeile %(line)s: die Spalte „%(names)s“ steht doppelt da.")
            % {"line": line, "names": "“, „".join(doubled)}
        )
    if unknown or missing or doubled:
        return None
    return {COLUMNS[name]: index for index, name in enumerate(names) if name in COLUMNS}


def _year(text: str) -> int | None:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def number(cell: Any) -> Decimal | None:
    """A cell's number, rounded to three decimals; None for anything else (text, NaN, too large, a date)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        text = repr(cell)
    else:
        text = _text(cell).replace("\u00a0", "").replace(" ", "")
        if THOUSANDS.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif PLAIN.match(text):
            text = text.replace(",", ".")
        else:
            return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > MAX_VALUE:
        return None
    return value.quantize(STEP, rounding=ROUND_HALF_UP).normalize() + 0


def _add_previous_values(rows: list[ImportRow]) -> None:
    if not rows:
        return
    stored = IndicatorValue.objects.filter(
        indicator__in={row.indicator.pk for row in rows}, year__in={row.year for row in rows}
    ).values_list("indicator_id", "district_id", "year", "value")
    previous = {(indicator, district, year): value for indicator, district, year, value in stored}
    for row in rows:
        row.previous = previous.get((row.indicator.pk, row.district.pk, row.year))
