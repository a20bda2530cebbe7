"""Which step a proposal may take, and who may take it: the one table of the workflow.

Roles are answered by `permissions.roles_for`; this module only states the rules, so a reader
finds the whole process in one place (concept section 3, issue 14).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Proposal

S = Proposal.Status

# Who acts. A group's moderator is also one of its members; the coordination moderates the Lenkungsrunde.
GROUP_MEMBER = "group_member"
GROUP_MODERATOR = "group_moderator"
LENKUNGSRUNDE = "lenkungsrunde"
COORDINATION = "coordination"

ROLE_LABELS = {
    GROUP_MEMBER: _("Mitglieder der vorschlagenden Gruppe"),
    GROUP_MODERATOR: _("Moderation der vorschlagenden Gruppe"),
    LENKUNGSRUNDE: _("Mitglieder der Lenkungsrunde"),
    COORDINATION: _("Sozialraumkoordination"),
}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset
    label: str
    needs_comment: bool = False
    # Beschluss der SVV: budget and Drucksache number are part of the step.
    needs_decision: bool = False


def _t(source, target, roles, label, **flags):
    return Transition(source, target, frozenset(roles), label, **flags)


GROUP = (GROUP_MODERATOR, COORDINATION)
STEERING = (COORDINATION,)

TRANSITIONS = [
    _t(S.ENTWURF, S.ABGESTIMMT, GROUP, _("In der Fokusgruppe abgestimmt")),
    _t(S.ABGESTIMMT, S.ENTWURF, GROUP, _("Zurück in den Entwurf")),
    _t(S.ABGESTIMMT, S.EINGEREICHT, GROUP, _("Einreichen")),
    _t(S.ZURUECK, S.ENTWURF, GROUP, _("Wieder als Entwurf bearbeiten")),
    _t(S.ZURUECK, S.EINGEREICHT, GROUP, _("Erneut einreichen")),
    _t(S.EINGEREICHT, S.IN_BEWERTUNG, STEERING, _("Zur Bewertung freigeben")),
    _t(S.EINGEREICHT, S.ZURUECK, STEERING, _("Zurück an die Fokusgruppe"), needs_comment=True),
    _t(S.IN_BEWERTUNG, S.PRIORISIERT, STEERING, _("Priorisieren")),
    _t(S.IN_BEWERTUNG, S.ZURUECKGESTELLT, STEERING, _("Zurückstellen")),
    _t(S.IN_BEWERTUNG, S.ZURUECK, STEERING, _("Zurück an die Fokusgruppe"), needs_comment=True),
    _t(S.ZURUECKGESTELLT, S.PRIORISIERT, STEERING, _("Doch priorisieren")),
    _t(S.PRIORISIERT, S.ZURUECKGESTELLT, STEERING, _("Zurückstellen")),
    _t(S.PRIORISIERT, S.IM_PLANUNGSPAPIER, STEERING, _("Ins Planungspapier aufnehmen")),
    _t(S.IM_PLANUNGSPAPIER, S.BESCHLOSSEN, STEERING, _("Beschluss der SVV eintragen"), needs_decision=True),
    _t(S.IM_PLANUNGSPAPIER, S.ABGELEHNT, STEERING, _("Ablehnung durch die SVV eintragen")),
    _t(S.IM_PLANUNGSPAPIER, S.VERTAGT, STEERING, _("Vertagung durch die SVV eintragen")),
    _t(S.VERTAGT, S.BESCHLOSSEN, STEERING, _("Beschluss der SVV eintragen"), needs_decision=True),
    _t(S.VERTAGT, S.ABGELEHNT, STEERING, _("Ablehnung durch die SVV eintragen")),
    _t(S.BESCHLOSSEN, S.IN_UMSETZUNG, STEERING, _("Umsetzung beginnt")),
    _t(S.IN_UMSETZUNG, S.UMGESETZT, STEERING, _("Als umgesetzt markieren")),
]

BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}

# The group may still change the text; afterwards only its moderation and the coordination may.
GROUP_EDITABLE = frozenset({S.ENTWURF, S.ZURUECK})
# Before submission a proposal belongs to its group; afterwards the whole network reads it.
DRAFT_STATUSES = frozenset({S.ENTWURF, S.ABGESTIMMT, S.ZURUECK})
# What the public tracker shows: from the planning paper on, the proposal is a public matter.
PUBLIC_STATUSES = frozenset({S.IM_PLANUNGSPAPIER, S.BESCHLOSSEN, S.ABGELEHNT, S.VERTAGT, S.IN_UMSETZUNG, S.UMGESETZT})
DECIDED_STATUSES = frozenset({S.BESCHLOSSEN, S.ABGELEHNT, S.VERTAGT, S.IN_UMSETZUNG, S.UMGESETZT})
# The council's own steps: each records the session's date and, where there is one, the Drucksache.
COUNCIL_STATUSES = frozenset({S.BESCHLOSSEN, S.ABGELEHNT, S.VERTAGT})
# The council said yes: from here on the coordination reports how far the implementation got.
REPORTABLE_STATUSES = frozenset({S.BESCHLOSSEN, S.IN_UMSETZUNG, S.UMGESETZT})


def transition(source: str, target: str) -> Transition | None:
    return BY_STEP.get((source, target))


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]
