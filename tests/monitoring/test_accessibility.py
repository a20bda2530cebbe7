"""The Quartiere and Sozialmonitoring pages pass axe-core's WCAG 2.1 AA rules in Chromium, on a desktop and
on a 390 px phone, where nothing may stick out sideways (tables and charts scroll or shrink in their box)."""

import pytest

from ..browser_site import BROWSER_CONTEXT, log_in
from ..site.test_accessibility import check_pages, report, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {**BROWSER_CONTEXT, "viewport": {"width": 390, "height": 844}}
VISITOR_PAGES = {
    "monitoring": "/sozialmonitoring/",
    "indicator": "/sozialmonitoring/indikatoren/einwohner/",
    "districts": "/netzwerk/quartiere/",
    "district": "/netzwerk/quartiere/seehof/",
    "network-map": "/netzwerk/netzwerkkarte/?quartier=seehof",
    "organisations": "/netzwerk/organisationen/?quartier=seehof",
}
COORDINATION_PAGES = {
    "manage": "/sozialmonitoring/verwalten/",
    "indicator-form": "/sozialmonitoring/verwalten/indikatoren/neu/",
    "values-form": "/sozialmonitoring/verwalten/indikatoren/einwohner/werte/?jahr=2024",
    "import": "/sozialmonitoring/verwalten/import/",
    "district-form": "/netzwerk/quartiere/seehof/bearbeiten/",
}


@pytest.fixture
def coordination(coordinator, with_totp, stored_values, make_organisation):
    with_totp(coordinator)
    make_organisation("Kita Seehof").districts.add(stored_values[0].district)
    return coordinator


def test_the_monitoring_and_district_pages_have_no_wcag_21_aa_violations_and_fit_a_phone(
    axe_source, live_server, chromium, artifacts, coordination, tmp_path
):
    found, too_wide = [], []
    for size, options in (("desktop", BROWSER_CONTEXT), ("phone", PHONE)):
        for person, pages in ((None, VISITOR_PAGES), (coordination, COORDINATION_PAGES)):
            context = chromium.new_context(**options)
            context.add_init_script(path=str(axe_source))
            if person is not None:
                log_in(context, live_server.url, person)
            page = context.new_page()
            found += check_pages(page, live_server.url, pages, f"monitoring-{size}", artifacts, "de")
            if size == "phone":
                for name, path in pages.items():
                    page.goto(live_server.url + path)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > 390:
                        too_wide.append(f"{name} ({path}): {width} px wide")
            if person is not None:
                # The import preview with a bad row: the error list and the table of readable rows.
                upload = tmp_path / "werte.csv"
                upload.write_text(
                    "Indikator;Quartier;Jahr;Wert\neinwohner;Seehof;2025;5.000\neinwohner;Atlantis;2025;1\n"
                )
                page.goto(live_server.url + "/sozialmonitoring/verwalten/import/")
                page.set_input_files("input[type=file]", str(upload))
                page.get_by_role("button", name="Vorschau zeigen").click()
                page.wait_for_load_state()
                assert page.get_by_text("Zeile 3: unbekanntes Quartier „Atlantis“.").is_visible()
                page.screenshot(path=str(artifacts / f"a11y-monitoring-{size}-import-preview.png"), full_page=True)
                found.append(("import-preview", "/sozialmonitoring/verwalten/import/", violations(page)))
            context.close()
    assert not report(found), report(found)
    assert not too_wide, "\n".join(too_wide)
