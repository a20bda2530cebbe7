"""The one place that answers "may this person see / join / moderate this?".

Every view, feed, notification, consumer and newsletter block asks these functions
instead of checking roles itself, so a rule changes in exactly one place.
"""

from django.contrib.auth.models import Group
from django.db.models import BigIntegerField, CharField, Q, QuerySet, Value
from django.utils.functional import empty

from core.permissions import Viewer
from core.prepared import PreparedQuery

from .models import Membership, NetworkBody, User

COORDINATION_GROUP = "Sozialraumkoordination"
EDITORS_GROUP = "Redaktion"


def _roles_query(user_id: int) -> QuerySet:
    # Model orderings must go: compound statements allow no ORDER BY in their parts.
    memberships = (
        Membership.objects.filter(user_id=user_id)
        .order_by()
        .values_list(Value("m", output_field=CharField()), "body_id", "role")
    )
    groups = (
        Group.objects.filter(user__id=user_id)
        .order_by()
        .values_list(Value("g", output_field=CharField()), Value(0, output_field=BigIntegerField()), "name")
    )
    return memberships.union(groups, all=True)


# Asked on nearly every request: compiled once (core.prepared), as building the compound query cost more
# than running it.
_ROLES = PreparedQuery(_roles_query, "user_id")


def _load_roles(user: User) -> None:
    """Groups and memberships in one query, cached on the user object for the request.

    Nearly every page asks about both (menu, second-factor check, permissions).
    """
    if getattr(user, "_memberships_cache", None) is not None and getattr(user, "_group_names_cache", None) is not None:
        return
    _keep_roles(user, _ROLES(user_id=user.pk))


def _keep_roles(user: User, rows: list[tuple[str, int, str]]) -> None:
    user._memberships_cache, user._group_names_cache = {}, set()
    for source, body_id, value in rows:
        if source == "m":
            user._memberships_cache[body_id] = value
        else:
            user._group_names_cache.add(value)


def roles_statement(user_id: int, using: str = "default") -> tuple[str, list]:
    """The SQL of the roles query for a caller that sends it with other statements in one round trip
    (network.sessions); the rows go to `keep_roles_from_rows`."""
    return _ROLES.statement(using, user_id=user_id)


def keep_roles_from_rows(user: User, rows: list[tuple], using: str = "default") -> None:
    """Caches on `user` the roles read by `roles_statement`, as the first question about them would."""
    _keep_roles(user, _ROLES.from_rows(rows, using))


def _in_group(user: Viewer, name: str) -> bool:
    if not user.is_authenticated:
        return False
    _load_roles(user)
    return name in user._group_names_cache


def is_professional(user: Viewer) -> bool:
    """An approved, active account: a Fachkraft (every other role includes this)."""
    return bool(user.is_authenticated and user.is_professional)


def is_coordinator(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or _in_group(user, COORDINATION_GROUP)))


def is_editor(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active and (is_coordinator(user) or _in_group(user, EDITORS_GROUP)))


def _memberships_by_body(user: User) -> dict[int, str]:
    _load_roles(user)
    return user._memberships_cache


def moderated_body_ids(user: Viewer) -> set[int]:
    if not user.is_authenticated:
        return set()
    return {body_id for body_id, role in _memberships_by_body(user).items() if role == Membership.Role.MODERATOR}


def member_body_ids(user: Viewer) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(_memberships_by_body(user))


def forget_cached_roles(user: Viewer) -> None:
    """Call after changing a user's memberships or groups within the same request."""
    # request.user is a lazy proxy: the cache sits on the user inside it, not on the proxy.
    target = getattr(user, "_wrapped", user)
    if target is empty:
        return
    for attr in ("_group_names_cache", "_memberships_cache"):
        target.__dict__.pop(attr, None)


def visibility_key(user: Viewer) -> str:
    """What decides what this person may see, for the key of a cached fragment: everyone signed out shares one;
    a signed-in person has their own, which changes with their approval, groups and memberships."""
    if not user.is_authenticated:
        return "anonymous"
    _load_roles(user)
    memberships = sorted(user._memberships_cache.items())
    groups = sorted(user._group_names_cache)
    return (
        f"{user.pk}:{user.is_active}:{user.is_professional}:{user.is_superuser}:{user.is_staff}:{memberships}:{groups}"
    )


def is_body_moderator(user: Viewer, body: NetworkBody | None = None) -> bool:
    """Moderator of the given body, or of any body when none is given."""
    ids = moderated_body_ids(user)
    return bool(ids) if body is None else body.pk in ids


def is_member(user: Viewer, body: NetworkBody) -> bool:
    return body.pk in member_body_ids(user)


def requires_second_factor(user: Viewer) -> bool:
    """Staff, coordination and moderators must log in with TOTP (DOMAIN.md roles)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or is_coordinator(user) or is_body_moderator(user))


def can_moderate_body(user: Viewer, body: NetworkBody) -> bool:
    return is_coordinator(user) or (is_professional(user) and is_body_moderator(user, body))


def can_see_body_internals(user: Viewer, body: NetworkBody) -> bool:
    """Member lists and internal content: professionals for open bodies, members for closed ones."""
    if can_moderate_body(user, body):
        return True
    if not is_professional(user):
        return False
    if body.visibility == NetworkBody.Visibility.PROFESSIONALS:
        return True
    return is_member(user, body)


def visible_internal_bodies(user: Viewer) -> QuerySet[NetworkBody]:
    """Bodies whose internals the user may see, as a queryset."""
    if is_coordinator(user):
        return NetworkBody.objects.all()
    if not is_professional(user):
        return NetworkBody.objects.none()
    return NetworkBody.objects.filter(
        Q(visibility=NetworkBody.Visibility.PROFESSIONALS) | Q(pk__in=member_body_ids(user))
    )
