"""What the in-app notices of the planning cycle say (notices app): a phase has begun, the priority list
is final. The services send them to the same people as the mails; the demo writes its examples with them.

Like the mails, the notices are written in the site's language (German): they are stored text, read later
by people who may browse in another language than the one who triggered them."""

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices.kinds import register_kind

from .models import PHASE_HINTS, Phase, PlanningYear, Proposal

PHASE_KIND = "planning.phase"
PRIORITIES_KIND = "planning.priorities"


def register_notice_kinds() -> None:
    register_kind(PHASE_KIND, gettext_lazy("neue Phasen der Sozialplanung (Ablauf und Fristen)"))
    register_kind(PRIORITIES_KIND, gettext_lazy("die Prioritätenliste der Zielvorschläge Ihrer Gremien"))


def phase_notice(year: PlanningYear, phase: Phase) -> dict[str, str]:
    """kind, title, text and url of the notice that `phase` of `year` has begun: what it expects, and the
    next deadline."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Die Phase läuft bis zum %(end)s.") % {"end": date_format(phase.ends_on, "SHORT_DATE_FORMAT")},
            str(PHASE_HINTS.get(phase.kind, "")),
        ]
        deadline = year.next_deadline()
        if deadline is not None and deadline.kind != phase.kind:
            lines.append(
                _("Nächste Frist: %(phase)s am %(date)s.")
                % {"phase": deadline.get_kind_display(), "date": date_format(deadline.ends_on, "SHORT_DATE_FORMAT")}
            )
        return {
            "kind": PHASE_KIND,
            "title": _("Planungsjahr %(year)s: Die Phase „%(phase)s“ hat begonnen")
            % {"year": year.year, "phase": phase.get_kind_display()},
            "text": "\n".join(line for line in lines if line),
            "url": year.get_absolute_url(),
        }


def priorities_notice(year: PlanningYear, proposal: Proposal) -> dict[str, str]:
    """The notice to the proposing group about its proposal on the final priority list (or not on it)."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": proposal.title, "year": year.year, "body": proposal.body.name}
        if proposal.status == Proposal.Status.PRIORISIERT:
            title = _("Zielvorschlag „%(title)s“ ist priorisiert") % values
            text = (
                _(
                    "Die Sozialraumkoordination hat die Prioritätenliste %(year)s festgelegt. Der Vorschlag der "
                    "Gruppe %(body)s wird in die Sozialraumkonferenz eingebracht."
                )
                % values
            )
        else:
            title = _("Zielvorschlag „%(title)s“ ist zurückgestellt") % values
            text = (
                _(
                    "Die Sozialraumkoordination hat die Prioritätenliste %(year)s festgelegt; der Vorschlag der "
                    "Gruppe %(body)s ist in diesem Jahr nicht darauf. Die Rangliste zeigt die Bewertung."
                )
                % values
            )
        return {"kind": PRIORITIES_KIND, "title": title, "text": text, "url": proposal.get_absolute_url()}
