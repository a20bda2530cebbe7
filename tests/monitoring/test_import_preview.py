"""The import preview reads CSV and XLSX files and names every bad row in German, with its line."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from monitoring.importing import preview

pytestmark = pytest.mark.django_db


def csv_file(*lines, encoding="utf-8"):
    return "\n".join(lines).encode(encoding)


def test_a_german_csv_is_read_with_its_numbers_and_the_values_it_would_replace(quarters, indicators, stored_values):
    result = preview(
        "werte.csv",
        csv_file(
            "Indikator;Quartier;Jahr;Wert",
            "Einwohnerinnen und Einwohner;Seehof;2024;4.850",
            "einwohner;RUHLSDORF;2025;3.001,5",
            "SGB-II-Quote;Mühlendorf;2025;7,25",
            "",
        ),
    )
    assert result.errors == [] and result.is_valid
    assert [(row.line, row.district.name, row.year, row.value, row.previous) for row in result.rows] == [
        (2, "Seehof", 2024, Decimal("4850"), Decimal("4812")),
        (3, "Ruhlsdorf", 2025, Decimal("3001.5"), None),
        (4, "Mühlendorf", 2025, Decimal("7.25"), None),
    ]


def test_commas_columns_in_another_order_and_excel_s_windows_encoding_are_read(quarters, indicators):
    result = preview(
        "werte.csv",
        csv_file("Wert,Jahr,quartier,INDIKATOR", "12.5,2024,Mühlendorf,SGB-II-Quote", encoding="cp1252"),
    )
    assert result.errors == []
    assert result.rows[0].district.name == "Mühlendorf" and result.rows[0].value == Decimal("12.5")


def test_every_bad_row_gets_its_own_sentence(quarters, indicators):
    result = preview(
        "werte.csv",
        csv_file(
            "Indikator;Quartier;Jahr;Wert",
            "Einwohnerinnen und Einwohner;Seehof;2024;viele",
            "Einwohnerinnen und Einwohner;Atlantis;2024;12",
            "Glückskinder;Seehof;2024;12",
            "Einwohnerinnen und Einwohner;Seehof;2024;4812",
            "Einwohnerinnen und Einwohner;seehof;2024;4813",
            "Einwohnerinnen und Einwohner;Seehof;24;1",
            "Einwohnerinnen und Einwohner;Seehof;2023;",
            "Einwohnerinnen und Einwohner;Seehof;2022;1;zu viel",
        ),
    )
    assert result.errors == [
        "Zeile 2: „viele“ ist keine Zahl.",
        "Zeile 3: unbekanntes Quartier „Atlantis“.",
        "Zeile 4: unbekannter Indikator „Glückskinder“.",
        "Zeile 6: Einwohnerinnen und Einwohner, Seehof, 2024 steht schon in Zeile 5.",
        "Zeile 7: „24“ ist kein Jahr zwischen 1990 und 2200.",
        "Zeile 8: der Wert fehlt.",
        "Zeile 9: mehr Spalten als in der Kopfzeile.",
    ]
    assert not result.is_valid


@pytest.mark.parametrize(
    "header, message",
    [
        (
            "Indikator;Stadtteil;Jahr;Wert",
            [
                "Zeile 1: unbekannte Spalte „Stadtteil“; erwartet werden Indikator, Quartier, Jahr, Wert.",
                "Zeile 1: es fehlt die Spalte „Quartier“; erwartet werden Indikator, Quartier, Jahr, Wert.",
            ],
        ),
        (
            "Indikator;Jahr;Wert",
            ["Zeile 1: es fehlt die Spalte „Quartier“; erwartet werden Indikator, Quartier, Jahr, Wert."],
        ),
        ("Indikator;Quartier;Jahr;Wert;Wert", ["Zeile 1: die Spalte „Wert“ steht doppelt da."]),
    ],
)
def test_a_wrong_column_is_named(quarters, indicators, header, message):
    result = preview("werte.csv", csv_file(header, "Einwohnerinnen und Einwohner;Seehof;2024;1"))
    assert result.errors == message and result.rows == []


def test_an_xlsx_workbook_is_read_with_its_number_cells(quarters, indicators):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Quartier", "Jahr", "Wert"])
    sheet.append(["SGB-II-Quote", "Seehof", 2024, 0.1 + 0.2])
    sheet.append(["Kinder in Kitas", "Ruhlsdorf", 2024.0, 215])
    sheet.append(["Kinder in Kitas", "Seehof", 2024, "k. A."])
    content = io.BytesIO()
    workbook.save(content)

    result = preview("werte.xlsx", content.getvalue())

    assert [(row.indicator.slug, row.value) for row in result.rows] == [
        ("sgb-ii-quote", Decimal("0.3")),
        ("kita-kinder", Decimal("215")),
    ]
    assert result.errors == ["Zeile 4: „k. A.“ ist keine Zahl."]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("werte.xlsx", b"PK\x03\x04 kaputt", "Die Datei ist keine lesbare XLSX-Datei (Excel-Arbeitsmappe)."),
        ("werte.pdf", b"%PDF-1.4", "Bitte laden Sie eine CSV- oder XLSX-Datei hoch (Endung .csv oder .xlsx)."),
        ("werte.csv", b'"' + b"x" * 200_000, "Die CSV-Datei ist nicht lesbar"),
        ("werte.csv", b"Indikator;\x81\x8d", "Die Datei ist keine Textdatei in UTF-8 oder Windows-1252."),
        ("werte.csv", b"Indikator" + b";" * 3_000_000, "Die Datei ist zu groß (höchstens 2 MB)."),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(db, name, content, message):
    with pytest.raises(ValidationError) as caught:
        preview(name, content)
    assert caught.value.messages[0].startswith(message)


def test_an_empty_file_or_one_with_only_its_header_is_no_import(quarters, indicators):
    assert preview("leer.csv", b"").errors == ["Die Datei enthält keine Zeilen."]
    assert preview("kopf.csv", b"Indikator;Quartier;Jahr;Wert\n").errors == [
        "Die Datei enthält nur die Kopfzeile, aber keine Werte."
    ]
