"""A district's outline: what the coordination pastes or uploads is checked, with one German sentence per problem."""

import json
import random

import pytest
from django.core.exceptions import ValidationError

from network.geojson import MAX_POSITIONS, parse_outline

from ..conftest import square


def messages_for(text):
    with pytest.raises(ValidationError) as caught:
        parse_outline(text)
    return caught.value.messages


def test_a_polygon_is_kept_as_it_is():
    outline = square(13.26, 52.39)
    assert parse_outline(json.dumps(outline)) == outline


def test_a_feature_or_a_collection_of_one_feature_gives_its_geometry():
    outline = square(13.26, 52.39)
    feature = {"type": "Feature", "properties": {"name": "Seehof"}, "geometry": outline}
    assert parse_outline(json.dumps(feature)) == outline
    assert parse_outline(json.dumps({"type": "FeatureCollection", "features": [feature]})) == outline


def test_a_multipolygon_with_a_hole_is_accepted_and_positions_lose_heights_and_noise():
    outer = [[13.2, 52.3], [13.3, 52.3], [13.3, 52.4, 41.0], [13.2, 52.4], [13.2, 52.3]]
    hole = [[13.24, 52.34], [13.26, 52.34], [13.26, 52.36], [13.24, 52.34]]
    island = [[13.4, 52.3], [13.41, 52.3], [13.41, 52.310000000123], [13.4, 52.3]]
    outline = parse_outline(json.dumps({"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]}))
    assert outline["type"] == "MultiPolygon"
    assert outline["coordinates"][0][0][2] == [13.3, 52.4]
    assert outline["coordinates"][1][0][2] == [13.41, 52.31]


def test_broken_json_names_the_line():
    assert messages_for('{\n"type": "Polygon",\n"coordinates": [[[13.2, 52.3]\n') == [
        "Die Umrisse sind kein gültiges JSON (Fehler in Zeile 4)."
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"type": "Point", "coordinates": [13.2, 52.3]},
            "Erwartet wird eine Fläche (Polygon oder MultiPolygon), nicht „Point“.",
        ),
        ([1, 2], "Die Umrisse müssen ein GeoJSON-Objekt sein (in geschweiften Klammern)."),
        ({"type": "Feature", "geometry": None}, "Das Feature hat keine Geometrie."),
        (
            {"type": "FeatureCollection", "features": []},
            "Eine FeatureCollection darf für ein Quartier genau ein Feature enthalten, nicht mehrere.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[13.2, 52.3], [13.3, 52.3], [13.2, 52.3]]]},
            "Fläche 1, Ring 1: ein Ring braucht mindestens vier Punkte.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[13.2, 52.3], [13.3, 52.3], [13.3, 52.4], [13.2, 52.4]]]},
            "Fläche 1, Ring 1: der Ring ist nicht geschlossen (erster und letzter Punkt müssen gleich sein).",
        ),
        (
            {"type": "Polygon", "coordinates": [[[13.2, 52.3], [13.3, 52.3], [13.4, 52.3], [13.2, 52.3]]]},
            "Fläche 1, Ring 1: der Ring umschließt keine Fläche.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[13.2, 52.3], ["13.3", 52.3], [13.3, 52.4], [13.2, 52.3]]]},
            "Fläche 1, Ring 1: jeder Punkt muss [Länge, Breite] mit zwei Zahlen sein.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[13.2, 52.3], [10**400, 52.3], [13.3, 52.4], [13.2, 52.3]]]},
            "Fläche 1, Ring 1: jeder Punkt muss [Länge, Breite] mit zwei Zahlen sein.",
        ),
    ],
)
def test_each_kind_of_wrong_outline_gets_its_own_sentence(data, message):
    assert messages_for(json.dumps(data)) == [message]


def test_coordinates_outside_the_earth_are_named_with_a_hint_about_the_order():
    # Easting/northing in metres (a projected CRS) instead of degrees.
    ring = [[385000, 5806000], [386000, 5806000], [386000, 5807000], [385000, 5806000]]
    [message] = messages_for(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert message.startswith("Fläche 1, Ring 1: der Punkt [385000, 5.806e+06] liegt außerhalb der Erde")
    assert "Länge zuerst" in message


def test_several_problems_are_reported_together():
    open_ring = [[13.2, 52.3], [13.3, 52.3], [13.3, 52.4], [13.2, 52.4]]
    short = [[13.2, 52.3], [13.2, 52.3]]
    messages = messages_for(json.dumps({"type": "MultiPolygon", "coordinates": [[open_ring], [short]]}))
    assert messages == [
        "Fläche 1, Ring 1: der Ring ist nicht geschlossen (erster und letzter Punkt müssen gleich sein).",
        "Fläche 2, Ring 1: ein Ring braucht mindestens vier Punkte.",
    ]


def test_too_large_or_too_detailed_outlines_are_refused():
    assert messages_for(" " * 200_001) == [
        "Die Umrisse sind zu groß (höchstens 200 kB); bitte vereinfachen Sie die Form."
    ]
    rng = random.Random(14)
    points = [[round(13.2 + rng.random() / 100, 4), round(52.3 + rng.random() / 100, 4)] for _ in range(MAX_POSITIONS)]
    ring = [[13.2, 52.3], *points, [13.2, 52.3]]
    [message] = messages_for(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert message.startswith(f"Die Umrisse haben {MAX_POSITIONS + 2} Punkte")


def test_nan_and_deep_nesting_are_refused_without_an_exception_escaping():
    assert messages_for('{"type": "Polygon", "coordinates": [[[NaN, 52.3]]]}') == [
        "Die Umrisse sind kein gültiges JSON."
    ]
    assert messages_for("[" * 100_000) == ["Die Umrisse sind zu tief verschachtelt."]
