"""The role rules in network.access that every view, feed and mail asks."""

import pytest
from django.contrib.auth.models import AnonymousUser

from network import access, permissions
from network.models import Membership, User


@pytest.fixture
def other_body(make_body):
    return make_body("FG Gesundheit und Pflege", slug="fg-gesundheit", members_only=True)


@pytest.fixture
def people(make_user, pending_user, professional, coordinator, editor, add_member, closed_body, other_body):
    """One person per role; memberships exist before any rule runs, because access caches per user object."""
    member = make_user("mitglied@example.org")
    add_member(member, closed_body)
    moderator = make_user("moderation@example.org")
    add_member(moderator, closed_body, Membership.Role.MODERATOR)
    other_moderator = make_user("andere-moderation@example.org")
    add_member(other_moderator, other_body, Membership.Role.MODERATOR)
    pending_member = make_user("wartend-mitglied@example.org", approved=False)
    add_member(pending_member, closed_body)
    declined = make_user("abgelehnt@example.org", approved=False)
    declined.approval = User.Approval.DECLINED
    declined.save()
    return {
        "anonymous": AnonymousUser(),
        "pending": pending_user,
        "declined": declined,
        "inactive": make_user("inaktiv@example.org", is_active=False),
        "professional": professional,
        "member": member,
        "pending_member": pending_member,
        "moderator": moderator,
        "other_moderator": other_moderator,
        "coordinator": coordinator,
        "editor": editor,
        "staff": make_user("technik@example.org", is_staff=True),
        "superuser": make_user("admin@example.org", is_superuser=True),
    }


def fresh(user):
    """A user as the next request sees it: no role caches left from earlier checks."""
    if user.is_authenticated:
        return User.objects.get(pk=user.pk)
    return user


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("pending", False),
        ("declined", False),
        ("inactive", False),
        ("professional", True),
        ("member", True),
        ("moderator", True),
        ("coordinator", True),
        ("editor", True),
    ],
)
def test_only_approved_active_accounts_are_professionals(people, role, expected):
    assert access.is_professional(people[role]) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("pending", False),
        ("professional", True),
        ("moderator", True),
        ("editor", True),
        ("coordinator", True),
        ("staff", True),
    ],
)
def test_people_directory_is_for_professionals(people, role, expected):
    assert permissions.can_see_people(people[role]) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("professional", False),
        ("moderator", False),
        ("editor", False),
        ("staff", False),
        ("coordinator", True),
        ("superuser", True),
    ],
)
def test_only_the_coordination_group_and_superusers_coordinate(people, role, expected):
    assert access.is_coordinator(people[role]) is expected
    assert permissions.can_approve_signups(people[role]) is expected


def test_a_deactivated_coordinator_no_longer_coordinates(coordinator):
    coordinator.is_active = False
    coordinator.save()
    assert access.is_coordinator(fresh(coordinator)) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("professional", False),
        ("moderator", False),
        ("editor", True),
        ("coordinator", True),
        ("superuser", True),
    ],
)
def test_editors_and_coordination_may_edit_pages(people, role, expected):
    assert access.is_editor(people[role]) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("pending", False),
        ("professional", True),
        ("member", True),
        ("other_moderator", True),
        ("coordinator", True),
    ],
)
def test_open_body_internals_are_visible_to_every_professional(people, open_body, role, expected):
    assert access.can_see_body_internals(people[role], open_body) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("pending", False),
        ("pending_member", False),
        ("professional", False),
        ("other_moderator", False),
        ("editor", False),
        ("member", True),
        ("moderator", True),
        ("coordinator", True),
        ("superuser", True),
    ],
)
def test_members_only_body_internals_are_visible_to_members_moderation_and_coordination(
    people, closed_body, role, expected
):
    assert access.can_see_body_internals(people[role], closed_body) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("professional", False),
        ("member", False),
        ("other_moderator", False),
        ("moderator", True),
        ("coordinator", True),
    ],
)
def test_only_its_moderation_and_the_coordination_moderate_a_body(people, closed_body, role, expected):
    assert access.can_moderate_body(people[role], closed_body) is expected


def test_a_moderator_whose_account_is_not_approved_cannot_moderate(make_user, add_member, closed_body):
    moderator = make_user("gesperrt@example.org", approved=False)
    add_member(moderator, closed_body, Membership.Role.MODERATOR)
    assert access.can_moderate_body(moderator, closed_body) is False
    assert access.can_see_body_internals(moderator, closed_body) is False


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", set()),
        ("pending", set()),
        ("pending_member", set()),
        ("professional", {"open"}),
        ("member", {"open", "closed"}),
        ("other_moderator", {"open", "other"}),
        ("coordinator", {"open", "closed", "other"}),
    ],
)
def test_visible_internal_bodies_match_the_single_body_rule(people, open_body, closed_body, other_body, role, visible):
    names = {open_body.pk: "open", closed_body.pk: "closed", other_body.pk: "other"}
    user = people[role]
    result = {names[pk] for pk in access.visible_internal_bodies(user).values_list("pk", flat=True)}
    assert result == visible
    for body in (open_body, closed_body, other_body):
        assert (names[body.pk] in result) is access.can_see_body_internals(fresh(user), body)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("pending", False),
        ("professional", False),
        ("member", False),
        ("moderator", True),
        ("other_moderator", True),
        ("coordinator", True),
        ("staff", True),
        ("superuser", True),
    ],
)
def test_second_factor_is_required_for_staff_coordination_and_moderators(people, role, expected):
    assert access.requires_second_factor(people[role]) is expected


def test_joining_is_offered_only_to_professionals_who_are_not_members_yet(people, closed_body):
    assert permissions.can_join_body(people["professional"], closed_body) is True
    assert permissions.can_join_body(people["member"], closed_body) is False
    assert permissions.can_join_body(people["pending"], closed_body) is False
    assert permissions.can_join_body(people["anonymous"], closed_body) is False


def test_role_caches_are_dropped_after_a_membership_change(professional, closed_body, add_member):
    assert access.is_member(professional, closed_body) is False
    add_member(professional, closed_body, Membership.Role.MODERATOR)
    access.forget_cached_roles(professional)
    assert access.is_member(professional, closed_body) is True
    assert access.requires_second_factor(professional) is True


def test_all_role_questions_of_a_request_cost_one_query(coordinator, make_body, add_member, django_assert_num_queries):
    body = make_body()
    add_member(coordinator, body, Membership.Role.MODERATOR)
    fresh = User.objects.get(pk=coordinator.pk)

    with django_assert_num_queries(1):
        assert access.is_coordinator(fresh)
        assert access.is_editor(fresh)
        assert access.is_body_moderator(fresh, body)
        assert access.requires_second_factor(fresh)
        assert body.pk in access.member_body_ids(fresh)


def test_the_role_groups_exist_with_admin_access_after_migrating(db):
    from django.contrib.auth.models import Group

    for name in (access.COORDINATION_GROUP, access.EDITORS_GROUP):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(content_type__app_label="wagtailadmin", codename="access_admin").exists()
