"""Sections that apps above the CMS add to a registrant's own registration page (the planning app
lets a conference's registrants choose their workshops there).

The CMS owns registrations but must not import the apps above it, so those register a source here
from their AppConfig.ready: `source(registration, token, request)` returns ready HTML or ""."""

_sources = []


def add_registration_panel_source(source):
    _sources.append(source)


def registration_panels(registration, token, request):
    return [html for source in _sources if (html := source(registration, token, request))]
