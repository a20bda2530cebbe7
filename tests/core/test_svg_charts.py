"""core.charts: server-drawn SVG charts that say what they show, in German number format, escaped."""

import xml.etree.ElementTree as ET

from django.utils import translation

from core.charts import PALETTE, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(str(svg))


def test_a_bar_chart_names_every_bar_with_its_value_in_german_format():
    with translation.override("de"):
        svg = bar_chart([("Teltow-Seehof", 1234.5), ("Ruhlsdorf", 80)], title="Einwohner je Quartier", decimals=1)
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Einwohner je Quartier"
    assert root.find(f"{SVG}desc").text == "Teltow-Seehof: 1.234,5; Ruhlsdorf: 80,0"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts == ["Teltow-Seehof", "1.234,5", "Ruhlsdorf", "80,0"]
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > 0
    assert "style=" not in str(svg)


def test_labels_from_users_are_escaped():
    svg = str(bar_chart([('<script>alert("x")</script>', 3)], title="<b>Titel</b>"))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;Titel&lt;/b&gt;" in svg
    _parse(svg)


def test_two_charts_on_one_page_have_different_ids():
    first, second = _parse(bar_chart([("a", 1)], title="Gleich")), _parse(bar_chart([("a", 1)], title="Gleich"))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")
    assert first.get("aria-labelledby").split()[0] == first.find(f"{SVG}title").get("id")


def test_a_line_chart_draws_each_series_and_leaves_a_gap_for_a_missing_year():
    with translation.override("de"):
        svg = line_chart(
            ["2024", "2025", "2026"],
            [Series("Kinder in Kitas", [410, None, 455]), Series("Einwohner", [900, 950, 990])],
            title="Entwicklung",
        )
    root = _parse(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    # The Kita series has no 2025 value: no line across the gap, only its two points.
    assert len(lines) == 1 and lines[0].get("stroke") == PALETTE[1]
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert {"2024", "2025", "2026", "410", "455", "900", "950", "990", "Kinder in Kitas", "Einwohner"} <= set(texts)
    assert "Kinder in Kitas – 2024: 410, 2025: –, 2026: 455" in root.find(f"{SVG}desc").text


def test_an_empty_chart_still_renders():
    assert _parse(bar_chart([], title="Noch keine Antworten")).find(f"{SVG}title").text == "Noch keine Antworten"
    assert _parse(line_chart([], [], title="Leer")).get("role") == "img"
