"""A district's outline as GeoJSON: read what the coordination pastes or uploads, refuse what a map cannot draw.

Accepted is a Polygon or MultiPolygon, bare or inside a Feature (or a FeatureCollection of exactly one
Feature), in WGS 84 longitude/latitude as RFC 7946 prescribes. What is stored is only the geometry,
with positions cut to two coordinates and six decimals (about 10 cm: more is noise for a district).
Every problem gets its own German sentence, so that whoever drew the outline in another tool knows
what to fix; the first few problems are reported, not hundreds.
"""

import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 200_000
MAX_POSITIONS = 5_000
MAX_PROBLEMS = 5


class GeometryProblems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if len(self.messages) < MAX_PROBLEMS:
            self.messages.append(message)


def parse_outline(text: str) -> dict[str, Any]:
    """The geometry of `text` (Polygon or MultiPolygon), or ValidationError with one message per problem."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise ValidationError(
            _("Die Umrisse sind zu groß (höchstens %(size)s kB); bitte vereinfachen Sie die Form.")
            % {"size": MAX_BYTES // 1000}
        )
    if not text.strip():
        raise ValidationError(_("Bitte fügen Sie die Umrisse als GeoJSON ein oder laden Sie eine Datei hoch."))
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            raise ValidationError(_("Die Umrisse sind kein gültiges JSON.")) from None
        raise ValidationError(
            _("Die Umrisse sind kein gültiges JSON (Fehler in Zeile %(line)s).") % {"line": line}
        ) from None
    except RecursionError:
        raise ValidationError(_("Die Umrisse sind zu tief verschachtelt.")) from None
    geometry = _geometry_of(data)
    problems = GeometryProblems()
    polygons: Any = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    elif not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("Ein MultiPolygon braucht eine Liste von Flächen unter „coordinates“."))
    cleaned = [_polygon(polygon, number, problems) for number, polygon in enumerate(polygons, start=1)]
    count = sum(len(ring) for polygon in cleaned for ring in polygon)
    if count > MAX_POSITIONS:
        problems.add(
            _("Die Umrisse haben %(count)s Punkte, höchstens %(max)s sind erlaubt; bitte vereinfachen Sie die Form.")
            % {"count": count, "max": MAX_POSITIONS}
        )
    if problems.messages:
        raise ValidationError(problems.messages)
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": cleaned[0]}
    return {"type": "MultiPolygon", "coordinates": cleaned}


def validate_outline(value: Any) -> None:
    """Model field validator: what is stored must be what parse_outline returns."""
    parse_outline(json.dumps(value))


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _geometry_of(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError(_("Die Umrisse müssen ein GeoJSON-Objekt sein (in geschweiften Klammern)."))
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(
                _("Eine FeatureCollection darf für ein Quartier genau ein Feature enthalten, nicht mehrere.")
            )
        data, kind = features[0], features[0].get("type") if isinstance(features[0], dict) else None
    if kind == "Feature":
        data = data.get("geometry")
        kind = data.get("type") if isinstance(data, dict) else None
        if kind is None:
            raise ValidationError(_("Das Feature hat keine Geometrie."))
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _("Erwartet wird eine Fläche (Polygon oder MultiPolygon), nicht „%(type)s“.") % {"type": str(kind)[:40]}
        )
    return data


def _polygon(polygon: Any, number: int, problems: GeometryProblems) -> list[list[list[float]]]:
    if not isinstance(polygon, list) or not polygon:
        problems.add(_("Fläche %(number)s: keine Ringe unter „coordinates“.") % {"number": number})
        return []
    return [_ring(ring, number, index, problems) for index, ring in enumerate(polygon, start=1)]


def _ring(ring: Any, number: int, index: int, problems: GeometryProblems) -> list[list[float]]:
    where = {"number": number, "ring": index}
    if not isinstance(ring, list) or len(ring) < 4:
        problems.add(_("Fläche %(number)s, Ring %(ring)s: ein Ring braucht mindestens vier Punkte.") % where)
        return []
    positions = []
    for position in ring:
        coordinates = _two_numbers(position)
        if coordinates is None:
            problems.add(
                _("Fläche %(number)s, Ring %(ring)s: jeder Punkt muss [Länge, Breite] mit zwei Zahlen sein.") % where
            )
            return []
        longitude, latitude = coordinates
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            problems.add(
                _(
                    "Fläche %(number)s, Ring %(ring)s: der Punkt [%(lon)s, %(lat)s] liegt außerhalb der Erde; "
                    "erwartet werden Längen- und Breitengrade (WGS 84), Länge zuerst."
                )
                % {**where, "lon": f"{longitude:g}", "lat": f"{latitude:g}"}
            )
            return []
        positions.append([round(longitude, 6), round(latitude, 6)])
    if positions[0] != positions[-1]:
        problems.add(
            _(
                "Fläche %(number)s, Ring %(ring)s: der Ring ist nicht geschlossen (erster und letzter Punkt müssen gleich sein)."
            )
            % where
        )
    elif abs(_signed_area(positions)) < 1e-12:
        problems.add(_("Fläche %(number)s, Ring %(ring)s: der Ring umschließt keine Fläche.") % where)
    return positions


def _two_numbers(position: Any) -> tuple[float, float] | None:
    if not isinstance(position, list) or len(position) < 2:
        return None
    if not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in position[:2]):
        return None
    try:
        longitude, latitude = float(position[0]), float(position[1])
    except OverflowError:  # an integer with hundreds of digits
        return None
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        return None
    return longitude, latitude


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2
