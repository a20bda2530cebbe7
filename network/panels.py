"""Sections that apps above the network add to a body's pages (the planning cycle's current phase).

The network and the CMS render the bodies' pages but must not import the apps above them, so those
register a source here from their AppConfig.ready: `source(body, user)` returns ready HTML or "".
"""

_sources = []


def add_body_panel_source(source):
    _sources.append(source)


def body_panels(body, user):
    return [html for source in _sources if (html := source(body, user))]
