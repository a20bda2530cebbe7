"""The yearly Sozialraumkonferenz of the planning cycle.

The conference itself is a `cms.EventPage` (public page, registration with waiting list and
cancellations, the newsletter's event audience: cms.services). A year's `planning.models.Conference`
links to that page and adds the planning part: workshops (Foren) on the year's proposals, the
registrants' first and second wishes, the assignment of places, the results per workshop, the
public report and the "Bericht an den Landkreis" PDF. Modules: `services` (changes), `selectors`
(reads), `forms`, `exports` (CSV, name list, PDFs), `views`, `urls`, `panels` (the wish form on the
registrant's own page, which the CMS renders through `cms.registration_panels`).
"""
