"""The kinds of notice a person may switch off, registered by the apps that send them.

`notices` sits below every app that tells people something (planning today; meetings, minutes and surveys
later), so it cannot know their kinds. Each app registers its kinds in `AppConfig.ready()`; the profile
offers one switch per registered kind, and both channels obey it: `services.send_notices` leaves out who
switched a kind off, and the sending app asks `selectors.wanting` before it mails.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NoticeKind:
    key: str  # "<app>.<what>", stored in Notice.kind and OptOut.kind
    label: str | Promise  # what the profile's switch says


_kinds: dict[str, NoticeKind] = {}


def register_kind(key: str, label: str | Promise) -> None:
    _kinds[key] = NoticeKind(key, label)


def registered_kinds() -> list[NoticeKind]:
    return list(_kinds.values())


def is_registered(key: str) -> bool:
    return key in _kinds
