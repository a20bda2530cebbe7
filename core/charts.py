"""Charts as inline SVG, drawn on the server: no chart library, no CDN, nothing for the strict CSP to refuse.

Each chart is an `<svg role="img">` whose `<title>` and `<desc>` say what it shows, so a screen
reader gets the message without the drawing; pages put the same numbers in a table next to it (the
chart is the picture of that table, never the only place a number appears). Colours come from
`PALETTE`, each at least 3:1 against white (WCAG 1.4.11), and every bar and point is labelled
with its value, so nothing depends on telling colours apart. Only presentation attributes are used
(no `style`), which a CSP without 'unsafe-inline' allows. The SVGs scale to the width of their
container (`viewBox`, no fixed width), so they work on phones.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5563", "#a34d00", "#5b3f99", "#2f6b2f", "#9c2f55", "#1f4f8f")
TEXT = "#1c2b31"
GRID = "#b9c6ca"
FONT = 'font-family="inherit" font-size="13"'
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float, decimals: int) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _nice_max(value: float) -> float:
    """The axis end: the next of 1, 2, 2.5, 5 × 10^n at or above the largest value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _frame(width: int, height: int, title: str, description: str, body: SafeString, css_class: str) -> SafeString:
    # Unique within the process, so several charts on one page never share an id.
    ident = f"chart-{next(_numbers)}"
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        css_class,
        width,
        height,
        ident,
        ident,
        ident,
        title,
        ident,
        description,
        body,
    )


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    decimals: int = 0,
    max_value: float | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value), labels on the left and the value after each bar
    (counts per answer option, values per district)."""
    label_width, bar_space, row, width = 210, 330, 30, 620
    height = row * len(items) + 16
    top = max_value if max_value is not None else _nice_max(max((value for _, value in items), default=0))
    rows = []
    for index, (label, value) in enumerate(items):
        y = 8 + index * row
        length = 0 if top <= 0 else max(0.0, min(value, top)) / top * bar_space
        shown = _number(value, decimals) + (f" {unit}" if unit else "")
        rows.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" fill="{}" {}>{}</text>',
                label_width - 8,
                y + 17,
                TEXT,
                mark_safe(FONT),
                _shorten(label, 30),
                label_width,
                y + 4,
                _f(length),
                row - 10,
                PALETTE[0],
                _f(label_width + length + 6),
                y + 17,
                TEXT,
                mark_safe(FONT),
                shown,
            )
        )
    description = "; ".join(
        f"{label}: {_number(value, decimals)}{' ' + unit if unit else ''}" for label, value in items
    )
    baseline = format_html(
        '<line x1="{}" y1="4" x2="{}" y2="{}" stroke="{}"></line>', label_width, label_width, height - 4, GRID
    )
    body = baseline + format_html_join("", "{}", ((item,) for item in rows))
    return _frame(width, height, title, description, body, "chart--bars")


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    decimals: int = 0,
) -> SafeString:
    """One line per series over the x labels (years), each point labelled with its value; a missing
    value (None) leaves a gap. A legend names the series in their colours and with their markers."""
    width, height, left, right, top, bottom = 620, 300, 56, 16, 16, 48
    legend_rows = (len(series) + 2) // 3
    height += legend_rows * 22
    plot_height = 300 - top - bottom
    values = [value for line in series for value in line.values if value is not None]
    top_value = _nice_max(max(values, default=0))
    # Points keep a margin from the axis labels on the left and the edge on the right.
    inset = 36
    step = (width - left - right - 2 * inset) / max(len(x_labels) - 1, 1)

    def x_of(index: int) -> float:
        return left + inset + index * step if len(x_labels) > 1 else left + (width - left - right) / 2

    def y_of(value: float) -> float:
        return top + plot_height - (max(value, 0) / top_value) * plot_height

    parts: list[SafeString] = []
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_height - fraction * plot_height
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}" {}>{}</text>',
                left,
                _f(y),
                width - right,
                _f(y),
                GRID,
                left - 6,
                _f(y + 4),
                TEXT,
                mark_safe(FONT),
                _number(top_value * fraction, decimals if top_value < 10 else 0),
            )
        )
    for index, label in enumerate(x_labels):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" {}>{}</text>',
                _f(x_of(index)),
                top + plot_height + 20,
                TEXT,
                mark_safe(FONT),
                label,
            )
        )
    descriptions = []
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(x_of(i), y_of(v), v) for i, v in enumerate(line.values) if v is not None]
        path_points = [None if value is None else (x_of(i), y_of(value)) for i, value in enumerate(line.values)]
        parts.append(_polyline(path_points, colour, dashed=number % 2 == 1))
        for x, y, value in points:
            parts.append(_marker(number, x, y, colour))
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" {}>{}</text>',
                    _f(x),
                    _f(y - 9),
                    TEXT,
                    mark_safe(FONT),
                    _number(value, decimals),
                )
            )
        shown = ", ".join(
            f"{x_labels[i]}: {_number(v, decimals) if v is not None else '–'}" for i, v in enumerate(line.values)
        )
        descriptions.append(f"{line.name} ({unit}) – {shown}" if unit else f"{line.name} – {shown}")
        legend_y = 300 + (number // 3) * 22
        legend_x = left + (number % 3) * 190
        parts.append(_marker(number, legend_x + 6, legend_y - 4, colour))
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" {}>{}</text>',
                legend_x + 16,
                legend_y,
                TEXT,
                mark_safe(FONT),
                _shorten(line.name, 24),
            )
        )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _frame(width, height, title, "; ".join(descriptions), body, "chart--lines")


def _polyline(points: Sequence[tuple[float, float] | None], colour: str, *, dashed: bool) -> SafeString:
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    dash = mark_safe(' stroke-dasharray="6 4"') if dashed else ""
    return format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}></polyline>',
        ((" ".join(f"{x:.1f},{y:.1f}" for x, y in run), colour, dash) for run in runs if len(run) > 1),
    )


def _marker(number: int, x: float, y: float, colour: str) -> SafeString:
    """Circles, squares and diamonds in turn, so series differ in shape as well as colour."""
    shape = number % 3
    if shape == 0:
        return format_html('<circle cx="{}" cy="{}" r="4.5" fill="{}"></circle>', _f(x), _f(y), colour)
    if shape == 1:
        return format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="{}"></rect>', _f(x - 4.5), _f(y - 4.5), colour
        )
    return format_html(
        '<polygon points="{},{} {},{} {},{} {},{}" fill="{}"></polygon>',
        *(_f(value) for value in (x, y - 6, x + 6, y, x, y + 6, x - 6, y)),
        colour,
    )


def _f(value: float) -> str:
    return f"{value:.1f}"


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
