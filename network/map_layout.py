"""Where the network map draws its bodies, organisations and links: two columns that cannot tangle labels.

The map used to put bodies on a ring and organisations on a ring around it; with 16 bodies and
30+ organisations the labels overlapped, were cut to 26 characters (so two "Stadt Teltow – Sachgebiet…"
looked the same) and the lines crossed every label. Here every label has a row of its own:

    Body label ◯ ─────────────── ■ Organisation label
    Body label ◯ ) arcs between bodies that share people

Bodies sit in the left column with their labels to their left, organisations in the right column
with their labels to their right, so lines run only through the band between the two columns. Rows
never overlap, long organisation names wrap onto a second line instead of being cut, and the drawing
is as wide as its longest labels (estimated generously from the number of characters: the server has
no font metrics). Organisations are ordered by the mean row of their bodies, which removes most
crossings (the barycentre heuristic of layered graph drawing).
"""

from dataclasses import dataclass, field

PAD = 16
BODY_FONT = 15  # px; bold (site.css .map-label)
ORG_FONT = 13  # px; regular (site.css .map-org text)
# Average advance per character in em, measured in Chromium with DejaVu Sans (Debian's default
# sans-serif, one of the wider ones) on the demo's names, rounded up.
BOLD_EM = 0.7
REGULAR_EM = 0.62
BODY_RADIUS = 11
BODY_ROW_MIN = 44
ORG_LINE = 17
ORG_ROW_PADDING = 11
ORG_LINE_CHARS = 34
BAND = 320  # between the body circles and the organisation squares: where all lines run
LABEL_GAP = 8


@dataclass
class Layout:
    width: float
    height: float
    bodies: dict = field(default_factory=dict)  # pk → {"x", "y", "label_x"}
    organisations: dict = field(default_factory=dict)  # pk → {"x", "y", "label_x", "lines": [{"text", "dy"}]}

    def body_link(self, a, b):
        """An arc from body a to body b bulging into the band, wider the further apart they sit."""
        (x, y1), (_x, y2) = (self.bodies[a]["x"], self.bodies[a]["y"]), (self.bodies[b]["x"], self.bodies[b]["y"])
        bulge = round(min(BAND * 0.75, 30 + abs(y2 - y1) * 0.45), 1)
        return f"M {x} {y1} C {round(x + bulge, 1)} {y1} {round(x + bulge, 1)} {y2} {x} {y2}"

    def organisation_link(self, organisation, body):
        """A curve from the body's circle to the organisation's square, leaving and arriving level."""
        x1, y1 = self.bodies[body]["x"] + BODY_RADIUS, self.bodies[body]["y"]
        x2, y2 = self.organisations[organisation]["x"] - 6, self.organisations[organisation]["y"]
        middle = round((x1 + x2) / 2, 1)
        return f"M {x1} {y1} C {middle} {y1} {middle} {y2} {x2} {y2}"


def text_width(text, size, em):
    return len(text) * size * em


def wrap(text, limit=ORG_LINE_CHARS):
    """A name longer than `limit` on two lines of whole words, broken where the lines are most even."""
    if len(text) <= limit:
        return [text]
    # "e. V." (eingetragener Verein) stays together.
    words = text.replace("e. V.", "e.\u00a0V.").split(" ")
    if len(words) == 1:
        return words
    splits = [(" ".join(words[:index]), " ".join(words[index:])) for index in range(1, len(words))]
    return list(min(splits, key=lambda lines: max(len(lines[0]), len(lines[1]))))


def two_column_layout(bodies, organisations, links_of_organisation):
    """bodies: [(pk, label)] top to bottom; organisations: [(pk, name)];
    links_of_organisation: pk → set of body pks. Returns a Layout in SVG user units (px)."""
    body_label_width = max((text_width(label, BODY_FONT, BOLD_EM) for _pk, label in bodies), default=0)
    body_row = {pk: index for index, (pk, _label) in enumerate(bodies)}

    def barycentre(item):
        pk, name = item
        rows = [body_row[body] for body in links_of_organisation.get(pk, ()) if body in body_row]
        return (sum(rows) / len(rows) if rows else len(bodies), name)

    ordered = sorted(organisations, key=barycentre)
    wrapped = {pk: wrap(name) for pk, name in ordered}
    org_label_width = max(
        (text_width(line, ORG_FONT, REGULAR_EM) for lines in wrapped.values() for line in lines), default=0
    )
    org_heights = [len(wrapped[pk]) * ORG_LINE + ORG_ROW_PADDING for pk, _name in ordered]
    org_column = sum(org_heights)
    body_step = max(BODY_ROW_MIN, org_column / len(bodies)) if bodies else BODY_ROW_MIN
    body_column = body_step * len(bodies)
    height = max(body_column, org_column) + 2 * PAD

    body_x = PAD + body_label_width + LABEL_GAP + BODY_RADIUS
    org_x = body_x + BODY_RADIUS + BAND
    width = org_x + 6 + LABEL_GAP + org_label_width + PAD if organisations else body_x + BODY_RADIUS + BAND / 2

    layout = Layout(width=round(width), height=round(height))
    top = PAD + (height - 2 * PAD - body_column) / 2
    for index, (pk, _label) in enumerate(bodies):
        layout.bodies[pk] = {
            "x": round(body_x, 1),
            "y": round(top + body_step * (index + 0.5), 1),
            "label_x": round(body_x - BODY_RADIUS - LABEL_GAP, 1),
        }
    y = PAD + (height - 2 * PAD - org_column) / 2
    for (pk, _name), row_height in zip(ordered, org_heights):
        lines = wrapped[pk]
        centre = y + row_height / 2
        layout.organisations[pk] = {
            "x": round(org_x, 1),
            "y": round(centre, 1),
            "label_x": round(org_x + 6 + LABEL_GAP, 1),
            # dy of each line from the centre, so that the lines sit centred on the square.
            "lines": [
                {"text": line, "dy": round((index - (len(lines) - 1) / 2) * ORG_LINE, 1)}
                for index, line in enumerate(lines)
            ],
        }
        y += row_height
    return layout
