"""Sections that apps above the network add to a body's or a district's page (the planning cycle's
current phase; a Quartier's indicators and proposals).

The network and the CMS render these pages but must not import the apps above them, so those
register a source here from their AppConfig.ready: `source(body, user)` / `source(district, user)`
returns ready HTML or "".
"""

_sources = []
_district_sources = []


def add_body_panel_source(source):
    _sources.append(source)


def body_panels(body, user):
    return [html for source in _sources if (html := source(body, user))]


def add_district_panel_source(source):
    _district_sources.append(source)


def district_panels(district, user):
    return [html for source in _district_sources if (html := source(district, user))]
