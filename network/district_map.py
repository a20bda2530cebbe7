"""Where the district map draws its outlines: longitude/latitude projected onto SVG user units.

The network map (network.map_layout) places bodies and organisations in columns and needs no
geography; the districts do. A town is small enough for an equirectangular projection: a degree of
longitude is shortened by the cosine of the mean latitude (at Teltow's 52.4° to 0.61 of a degree of
latitude), y grows downwards, and the whole drawing is scaled to a fixed width, so a district keeps
its shape. Each name sits at the centroid of the district's largest area, where it is most likely
to lie inside the outline.
"""

import math
from dataclasses import dataclass, field
from typing import Any

WIDTH = 480
PAD = 24


@dataclass
class DistrictShape:
    pk: int
    name: str
    path: str
    label_x: float
    label_y: float

    @property
    def label_lines(self) -> list[str]:
        """A double name ("Teltow-Mitte/Altstadt") on two lines, so it stays within its district."""
        first, slash, rest = self.name.partition("/")
        return [first + slash, rest] if slash and rest else [self.name]


@dataclass
class DistrictMap:
    width: int
    height: int
    shapes: list[DistrictShape] = field(default_factory=list)


def polygons_of(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def project(districts: list[tuple[int, str, dict[str, Any]]], width: int = WIDTH) -> DistrictMap | None:
    """districts: [(pk, name, geometry)] with validated geometries; None when there is nothing to draw."""
    points = [
        point
        for _pk, _name, geometry in districts
        for polygon in polygons_of(geometry)
        for ring in polygon
        for point in ring
    ]
    if not points:
        return None
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * shrink, 1e-9), max(north - south, 1e-9)
    scale = (width - 2 * PAD) / span_x
    # A district far taller than wide would make a drawing metres high: cap the height at the width.
    scale = min(scale, (width - 2 * PAD) / span_y)
    height = round(span_y * scale + 2 * PAD)

    def xy(point: list[float]) -> tuple[float, float]:
        return round(PAD + (point[0] - west) * shrink * scale, 1), round(PAD + (north - point[1]) * scale, 1)

    result = DistrictMap(width=width, height=height)
    for pk, name, geometry in districts:
        polygons = polygons_of(geometry)
        path = " ".join(
            "M " + " L ".join(f"{x} {y}" for x, y in map(xy, ring[:-1])) + " Z"
            for polygon in polygons
            for ring in polygon
        )
        largest = max(polygons, key=lambda polygon: abs(_area(polygon[0])))
        label_x, label_y = xy(_centroid(largest[0]))
        result.shapes.append(DistrictShape(pk=pk, name=name, path=path, label_x=label_x, label_y=label_y))
    return result


def _area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def _centroid(ring: list[list[float]]) -> list[float]:
    area = _area(ring)
    if abs(area) < 1e-15:
        return [sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)]
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / (6 * area)
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / (6 * area)
    return [cx, cy]
