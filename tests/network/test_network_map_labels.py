"""The network map's labels never overlap and are never cut, on a phone and on a desktop.

The map used to place bodies on a ring and organisations on a ring around it: with the demo's 15
bodies and 33 organisations labels overlapped, names were cut to 26 characters (two different
"Stadt Teltow – Sachgebiet…" looked alike) and lines ran through the labels. On a phone it was
shrunk to illegibility; there the list now comes first and the drawing opens on request.
"""

import random

import pytest

from network.models import Membership, NetworkBody

from ..browser_site import BROWSER_CONTEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "/netzwerk/netzwerkkarte/"
PHONE = {"width": 390, "height": 844}

ORGANISATION_WORDS = [
    "Stadt Teltow – Sachgebiet",
    "Kita",
    "Grundschule",
    "Jugendclub",
    "Beratungsstelle für Familien",
    "Selbsthilfegruppe „Gemeinsam stark“",
    "Landkreis Potsdam-Mittelmark – Regionalkoordination",
    "Verein für Inklusion e. V.",
    "Öffentlichkeitsarbeit, Stadtmarketing, Tourismus und Kultur",
    "Seniorenzentrum",
]
BODY_NAMES = [
    "Fokusgruppe Integration und Migration",
    "Arbeitsgruppe Familienfreundliche Stadt",
    "Lenkungsrunde Sozialplanung",
    "Jugendbeirat bzw. Kinder- und Jugendparlament",
    "Fokusgruppe Gesundheit und Pflege",
    "Sozialraumkonferenz",
    "Fokusgruppe Freiwilliges Engagement",
    "Seniorenbeirat der Stadt Teltow",
    "Fokusgruppe Kita",
    "FG Schule",
    "Arbeitsgruppe Tag der Kinderrechte",
    "Fokusgruppe Kultur und Freizeit",
    "Fokusgruppe Prävention",
    "Fokusgruppe Jugendarbeit",
    "Fokusgruppe Inklusion",
    "Arbeitskreis Wohnen im Quartier",
    "Netzwerk Frühe Hilfen",
    "Runder Tisch Armut",
]

# Each label's box as the browser draws it, and its text.
LABELS = """() => [...document.querySelectorAll("svg[role=img] text")].map((text) => {
    const box = text.getBoundingClientRect();
    return {text: [...text.querySelectorAll("tspan")].map((line) => line.textContent).join(" ") || text.textContent,
            left: box.left, right: box.right, top: box.top, bottom: box.bottom};
})"""
SVG_BOX = "() => { const box = document.querySelector('svg[role=img]').getBoundingClientRect(); return {left: box.left, right: box.right, top: box.top, bottom: box.bottom}; }"


@pytest.fixture
def crowded_network(make_user, make_body, make_organisation):
    """More and longer names than the demo has, linked at random (seeded)."""
    rng = random.Random(20261204)
    kinds = [choice for choice, _label in NetworkBody.Kind.choices]
    bodies = [
        make_body(name, short_name=name if index % 3 else "", kind=kinds[index % len(kinds)])
        for index, name in enumerate(BODY_NAMES)
    ]
    organisations = [
        make_organisation(f"{rng.choice(ORGANISATION_WORDS)} {name}")
        for name in (
            "Teltow",
            "Ruhlsdorf",
            "Seehof",
            "Mitte",
            "Kanalaue",
            "Lindenhof",
            "am Stadtpark",
            "Nord",
            "Süd",
            "West",
            "Ost",
            "Sigridshorst",
            "Schönower Straße",
            "Ruhlsdorfer Feld",
            "Mühlendorf",
            "Zehlendorfer Damm",
            "Potsdamer Straße",
            "Hamburger Platz",
            "Striewitzweg",
            "Iserstraße",
            "Warthestraße",
            "Lichterfelder Allee",
            "Oderstraße",
            "Techno Terrain",
            "Jahnstraße",
            "Mahlower Straße",
            "Badstraße",
            "Ritterstraße",
            "Weinbergsweg",
            "Kurfürstenstraße",
            "Genshagener Straße",
            "Wilhelm-Külz-Straße",
            "Am Wasserturm",
            "Lankeweg",
            "Elbestraße",
            "Mozartstraße",
            "Beethovenstraße",
            "Bäckerstraße",
        )
    ]
    for number in range(90):
        # Every organisation has somebody in a body: only those are drawn.
        person = make_user(
            organisation=organisations[number] if number < len(organisations) else rng.choice(organisations)
        )
        for body in rng.sample(bodies, rng.randint(1, 4)):
            Membership.objects.get_or_create(user=person, body=body)
    return bodies, organisations


def overlaps(labels):
    found = []
    for index, a in enumerate(labels):
        for b in labels[index + 1 :]:
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]:
                found.append((a["text"], b["text"]))
    return found


def check_labels(page, bodies, organisations):
    labels = page.evaluate(LABELS)
    svg = page.evaluate(SVG_BOX)
    texts = [label["text"].replace("\xa0", " ") for label in labels]
    expected = [body.short_name or body.name for body in bodies] + [organisation.name for organisation in organisations]
    assert sorted(texts) == sorted(expected), "every body and organisation is labelled once, with its whole name"
    assert len(set(texts)) == len(texts), "no label appears twice"
    assert not overlaps(labels), f"labels overlap: {overlaps(labels)[:5]}"
    outside = [
        label["text"]
        for label in labels
        if label["left"] < svg["left"] - 0.5
        or label["right"] > svg["right"] + 0.5
        or label["top"] < svg["top"] - 0.5
        or label["bottom"] > svg["bottom"] + 0.5
    ]
    assert not outside, f"labels cut off at the edge of the drawing: {outside}"
    return labels


def test_on_a_desktop_the_map_shows_at_once_with_whole_labels_that_do_not_overlap(
    live_server, crowded_network, chromium, artifacts
):
    bodies, organisations = crowded_network
    context = chromium.new_context(**BROWSER_CONTEXT)
    page = context.new_page()
    page.goto(live_server.url + MAP)

    assert page.locator("svg[role=img]").is_visible()
    assert not page.get_by_text("Netzwerkkarte als Grafik zeigen").is_visible()
    labels = check_labels(page, bodies, organisations)
    assert min(label["bottom"] - label["top"] for label in labels) >= 11, "the drawing is not shrunk to illegible text"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.locator("svg[role=img]").screenshot(path=str(artifacts / "network-map-1280.png"))
    context.close()


def test_on_a_phone_the_list_comes_first_and_the_opened_map_keeps_its_labels_apart(
    live_server, crowded_network, chromium, artifacts
):
    bodies, organisations = crowded_network
    context = chromium.new_context(**{**BROWSER_CONTEXT, "viewport": PHONE, "java_script_enabled": False})
    page = context.new_page()
    page.goto(live_server.url + MAP)

    assert not page.locator("svg[role=img]").is_visible(), "the drawing waits behind its button"
    list_heading = page.get_by_role("heading", name="Die Karte als Liste")
    assert list_heading.bounding_box()["y"] < PHONE["height"], "the list starts on the first screen"
    page.screenshot(path=str(artifacts / "network-map-page-390.png"))

    page.get_by_text("Netzwerkkarte als Grafik zeigen").click()

    assert page.locator("svg[role=img]").is_visible()
    labels = check_labels(page, bodies, organisations)
    assert min(label["bottom"] - label["top"] for label in labels) >= 11, "labels keep a readable size"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "only the drawing's box scrolls"
    page.locator("svg[role=img]").screenshot(path=str(artifacts / "network-map-390.png"))
    context.close()
