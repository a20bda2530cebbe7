"""Read queries of the network that views and other apps may call."""

from collections import defaultdict
from itertools import combinations
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet

from core.permissions import Viewer

from . import access, permissions
from .district_map import project
from .freshness import network_stamp
from .map_layout import two_column_layout
from .models import District, JoinRequest, Membership, NetworkBody, Organisation, User, public_urls


def bodies_for_directory(kind: str = "", query: str = "") -> QuerySet[NetworkBody]:
    bodies = NetworkBody.objects.select_related("themenfeld").annotate(member_count=Count("memberships"))
    if kind:
        bodies = bodies.filter(kind=kind)
    if query:
        bodies = bodies.filter(Q(name__icontains=query) | Q(purpose__icontains=query))
    return bodies.order_by(F("themenfeld__sort_order").asc(nulls_last=True), "kind", "name")


def districts() -> QuerySet[District]:
    return District.objects.all()


def has_districts() -> bool:
    """Whether any Quartier exists (the map offers its filter then), under the map's stamp, which a district
    saved or deleted renews (network.freshness)."""
    return bool(cache.get_or_set(f"network:has-districts:{network_stamp()}", District.objects.exists, 3600))


def district_for_page(slug: str) -> District | None:
    return District.objects.filter(slug=slug).prefetch_related("organisations").first()


def district_map(highlight: District | None = None) -> dict[str, Any] | None:
    """The outlines of all districts that have one, projected for the SVG (network.district_map)."""
    drawn = list(District.objects.exclude(outline=None))
    # exclude(outline=None) above: every outline is a validated geometry.
    projected = project([(district.pk, district.name, district.outline) for district in drawn if district.outline])
    if projected is None:
        return None
    by_pk = {district.pk: district for district in drawn}
    return {
        "width": projected.width,
        "height": projected.height,
        "approximate": any(district.outline_is_approximate for district in drawn),
        "shapes": [
            {
                "name": shape.name,
                "path": shape.path,
                "label_x": shape.label_x,
                "label_y": shape.label_y,
                "label_lines": shape.label_lines,
                "colour": number % 6 + 1,
                "highlighted": highlight is not None and shape.pk == highlight.pk,
                "url": by_pk[shape.pk].get_absolute_url(),
            }
            for number, shape in enumerate(projected.shapes)
        ],
    }


def organisations_for_directory(query: str = "", district: District | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.annotate(people_count=Count("people", filter=Q(people__is_active=True)))
    if district is not None:
        organisations = organisations.filter(districts=district)
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(description__icontains=query))
    return organisations.order_by("name")


def members_of(body: NetworkBody) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(body=body, user__is_active=True)
        .select_related("user", "user__organisation")
        .order_by("-role", "user__display_name", "user__email")
    )


def bodies_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("body", "body__themenfeld")
        .order_by("body__kind", "body__name")
    )


def pending_join_request(user: Viewer, body: NetworkBody) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(user=user, body=body, status=JoinRequest.Status.PENDING).first()


def network_map(user: Viewer, district: District | None = None) -> dict[str, Any]:
    """Bodies, organisations and the links between them, as plain data for the SVG and its list.

    A body links to an organisation when one of the organisation's people is a member.
    Two bodies are linked by the number of people who sit in both: how topics cross over.
    People themselves appear only as counts unless the viewer may see the member lists.
    With a district, only the people of organisations working in it count: who is active there.
    """
    bodies = list(NetworkBody.objects.select_related("themenfeld").order_by("kind", "name"))
    active = Membership.objects.filter(user__is_active=True)
    if district is not None:
        active = active.filter(user__organisation__districts=district)
    memberships = list(active.values_list("user_id", "body_id", "user__organisation_id"))
    if district is not None:
        active_there = {body_id for _user_id, body_id, _organisation_id in memberships}
        bodies = [body for body in bodies if body.pk in active_there]
    bodies_by_person = defaultdict(set)
    organisation_links = defaultdict(set)
    for user_id, body_id, organisation_id in memberships:
        bodies_by_person[user_id].add(body_id)
        if organisation_id:
            organisation_links[organisation_id].add(body_id)

    shared: defaultdict[tuple[int, int], int] = defaultdict(int)
    for body_ids in bodies_by_person.values():
        for a, b in combinations(sorted(body_ids), 2):
            shared[(a, b)] += 1

    organisations = list(Organisation.objects.filter(pk__in=organisation_links.keys()).order_by("name"))
    body_by_id = {body.pk: body for body in bodies}
    connectors = [user_id for user_id, body_ids in bodies_by_person.items() if len(body_ids) > 1]

    links_by_body = defaultdict(list)
    for (a, b), count in shared.items():
        links_by_body[a].append({"name": body_by_id[b].name, "people": count})
        links_by_body[b].append({"name": body_by_id[a].name, "people": count})

    urls = public_urls(bodies)
    layout = two_column_layout(
        [(body.pk, body.short_name or body.name) for body in bodies],
        [(organisation.pk, organisation.name) for organisation in organisations],
        organisation_links,
    )
    return {
        "width": layout.width,
        "height": layout.height,
        "bodies": [
            {
                "id": body.pk,
                "name": body.name,
                "short_name": body.short_name or body.name,
                "kind": body.kind,
                "kind_label": body.get_kind_display(),
                "themenfeld": body.themenfeld.name if body.themenfeld else "",
                "planned": body.status == NetworkBody.Status.PLANNED,
                "url": urls[body.pk],
                **layout.bodies[body.pk],
                "linked_bodies": sorted(links_by_body[body.pk], key=lambda link: (-link["people"], link["name"])),
                "organisations": sorted(o.name for o in organisations if body.pk in organisation_links[o.pk]),
            }
            for body in bodies
        ],
        "organisations": [
            {
                "id": organisation.pk,
                "name": organisation.name,
                "kind_label": organisation.get_kind_display(),
                **layout.organisations[organisation.pk],
                "bodies": sorted(body_by_id[b].name for b in organisation_links[organisation.pk]),
            }
            for organisation in organisations
        ],
        "body_links": [
            {
                "a": body_by_id[a].name,
                "b": body_by_id[b].name,
                "people": count,
                "path": layout.body_link(a, b),
            }
            for (a, b), count in sorted(shared.items())
        ],
        "organisation_links": [
            {"path": layout.organisation_link(org_id, body_id)}
            for org_id, body_ids in sorted(organisation_links.items())
            for body_id in sorted(body_ids)
        ],
        "connector_count": len(connectors),
        "connectors": _connector_names(user, connectors, body_by_id, bodies_by_person),
    }


def map_viewer_key(user: Viewer, district: District | None) -> str:
    """What the people part of the map depends on: the map's stamp (network.freshness), the district, and
    the viewer (names only for those who may see people, and only with the bodies they may see)."""
    viewer = user.pk if permissions.can_see_people(user) else "public"
    return f"{network_stamp()}:{district.pk if district else 0}:{viewer}"


def map_connectors(user: Viewer, district: District | None, full_map: dict[str, Any]) -> dict[str, Any]:
    """The people who connect bodies, as `network_map` names them for this viewer, and their number;
    cached under `map_viewer_key`. `full_map` is the viewer's network_map, read only when the cache misses
    (pass it lazily)."""
    key = f"network:map-connectors:{map_viewer_key(user, district)}"
    return cast(
        dict[str, Any],
        cache.get_or_set(
            key, lambda: {"connectors": full_map["connectors"], "count": full_map["connector_count"]}, 3600
        ),
    )


def _connector_names(
    viewer: Viewer, user_ids: list[int], body_by_id: dict[int, NetworkBody], bodies_by_person: dict[int, set[int]]
) -> list[dict[str, Any]]:
    """Names only for viewers who may see people, and only with the bodies whose member lists they may see."""
    if not permissions.can_see_people(viewer):
        return []
    visible = set(access.visible_internal_bodies(viewer).values_list("pk", flat=True))
    connectors = []
    for person in User.objects.filter(pk__in=user_ids).order_by("display_name", "email"):
        names = sorted(body_by_id[b].name for b in bodies_by_person[person.pk] if b in visible)
        if len(names) > 1:
            connectors.append({"name": person.public_name, "bodies": names})
    return connectors
