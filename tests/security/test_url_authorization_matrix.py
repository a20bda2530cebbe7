"""Who may open which URL: every pattern of the resolver, for every role, against one table.

The table below is the readable statement of the access rules. The patterns come from
`get_resolver()`, so a view added tomorrow without an entry here fails
`test_every_url_pattern_has_an_entry_in_the_matrix` with "add an entry for <name>".

Expectation shorthand per row (roles in the order of ROLES):

- public: everyone 200
- login: anonymous → login page, everyone logged in 200
- approved: anonymous → login, pending account 403, approved professionals and above 200
- member: anonymous → login, only members of the closed body, its moderation, coordination and staff 200
- author: as member, but of the closed body only the post's author (the member) and the moderation
- moderator: anonymous → login, moderation of the closed body, coordination and staff 200
- editor: Redaktion, coordination and staff
- coordination: Sozialraumkoordination and staff
- staff: only the superuser

A row may replace the success status (`ok`, e.g. 302 for a view that redirects or 405 for a
POST-only view), the refusal (`denied`, e.g. 404 where a view must not reveal that something
exists) or single roles (`roles`).
"""

import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from forum.wagtail_hooks import BoardViewSet
from network import wagtail_hooks as network_admin
from newsletter import wagtail_hooks as newsletter_admin
from surveys import spam
from surveys import tokens as surveys_tokens

from .conftest import PASSWORD, ROLES
from .urlwalk import is_project_admin_area, skip_reason, walk

LOGIN = "login"
REDIRECT = "redirect"

LEVELS = {
    "public": set(ROLES),
    "login": set(ROLES) - {"anonymous"},
    "approved": set(ROLES) - {"anonymous", "pending"},
    "member": {"member", "moderator", "coordinator", "staff"},
    "author": {"member", "moderator", "coordinator", "staff"},
    "moderator": {"moderator", "coordinator", "staff"},
    "editor": {"editor", "coordinator", "staff"},
    "coordination": {"coordinator", "staff"},
    "staff": {"staff"},
    "nobody": set(),
}


@dataclass
class Row:
    kwargs: object = None  # world -> kwargs for reverse()
    level: str = "public"
    ok: object = 200
    denied: object = 403
    anonymous: object = LOGIN
    roles: dict = field(default_factory=dict)
    query: str = ""
    label: str = ""

    def url(self, name, world):
        kwargs = self.kwargs(world) if self.kwargs else {}
        return reverse(name, kwargs=kwargs) + (f"?{self.query}" if self.query else "")

    def expected(self, role):
        if role in self.roles:
            return self.roles[role]
        if role in LEVELS[self.level]:
            return self.ok
        if role == "anonymous":
            return self.anonymous
        return self.denied


def slug(attr):
    return lambda world: {"slug": getattr(world, attr).slug}


def pk(attr, name="pk"):
    return lambda world: {name: getattr(world, attr).pk}


def token(attr):
    return lambda world: {"token": getattr(world.tokens, attr)}


def key(attr):
    return lambda world: {"key": getattr(world, attr).key}


def version(attr):
    return lambda world: {"key": getattr(world, attr).current.key}


def page_id(attr):
    return lambda world: {"page_id": getattr(world, attr).pk}


POST_ONLY = 405
ADMIN_LOGIN = "admin-login"  # Wagtail's login: the account may not use the admin at all
ADMIN_REFUSED = "admin-refused"  # Wagtail's refusal: back to the dashboard with a message
REAUTHENTICATE = "reauthenticate"
NO_ADMIN_ACCESS = ("pending", "professional", "guest", "member", "moderator")
TOTP_ROLES = ("moderator", "coordinator", "staff")


def admin(level, **fields):
    """Our areas in the Wagtail admin: without access_admin the admin asks for another login."""
    fields.setdefault("roles", {})
    fields["roles"] = {
        **{role: ADMIN_LOGIN for role in NO_ADMIN_ACCESS if role not in LEVELS[level]},
        **fields["roles"],
    }
    return Row(level=level, anonymous=ADMIN_LOGIN, denied=ADMIN_REFUSED, **fields)


def totp_only(ok=200, others=404):
    """allauth's pages about an existing authenticator: found only where there is one."""
    return Row(level="login", roles={role: ok if role in TOTP_ROLES else others for role in ROLES[1:]})


MATRIX = {
    # --- internationalisation ------------------------------------------------------------
    "set_language": Row(ok=REDIRECT, anonymous=REDIRECT, label="without a language it only redirects back"),
    # --- accounts (allauth) --------------------------------------------------------------
    "account_login": Row(level="nobody", anonymous=200, denied=REDIRECT),
    "account_logout": Row(level="login", anonymous=REDIRECT),
    "account_inactive": Row(),
    "account_signup": Row(level="nobody", anonymous=200, denied=REDIRECT),
    "account_reauthenticate": Row(level="login"),
    "account_email": Row(level="login"),
    "account_email_verification_sent": Row(),
    "account_change_password": Row(level="login"),
    "account_set_password": Row(level="login", ok=REDIRECT),
    "account_reset_password": Row(),
    "account_confirm_login_code": Row(ok=REDIRECT, anonymous=REDIRECT),
    "account_confirm_email": Row(lambda w: {"key": w.tokens.email_confirmation}),
    "account_reset_password_from_key_done": Row(),
    "account_reset_password_from_key": Row(
        lambda w: {"uidb36": w.tokens.password_reset_uid, "key": w.tokens.password_reset_key},
        ok=REDIRECT,
        anonymous=REDIRECT,
        roles={"professional": 200},
        label="the professional's own reset link",
    ),
    "account_reset_password_done": Row(),
    "mfa_index": Row(level="login"),
    "mfa_authenticate": Row(ok=REDIRECT, anonymous=REDIRECT),
    "mfa_reauthenticate": totp_only(others=REDIRECT),
    # Changing the second factor asks for the password again, however fresh the login.
    "mfa_activate_totp": Row(
        level="login",
        ok=REAUTHENTICATE,
        roles={"pending": REDIRECT, **{role: REDIRECT for role in TOTP_ROLES}},
        label="pending has an unverified address, the others already have TOTP",
    ),
    "mfa_deactivate_totp": totp_only(ok=REAUTHENTICATE),
    "mfa_view_recovery_codes": totp_only(ok=404),
    "mfa_generate_recovery_codes": Row(level="login", ok=REAUTHENTICATE),
    "mfa_download_recovery_codes": totp_only(ok=404),
    # --- network -------------------------------------------------------------------------
    "network:index": Row(ok=REDIRECT),
    "network:body_list": Row(),
    # Each body has one page: where the CMS gives it one (as here), the network's redirects there.
    "network:body_detail": [
        Row(slug("open_body"), ok=301, label="open body"),
        Row(slug("closed_body"), ok=301, label="closed body"),
    ],
    "network:body_join": Row(slug("closed_body"), level="login", ok=POST_ONLY),
    "network:body_leave": Row(slug("closed_body"), level="login", ok=POST_ONLY),
    "network:body_manage": Row(slug("closed_body"), level="moderator"),
    "network:join_request_decide": Row(pk("join_request"), level="login", ok=POST_ONLY),
    "network:membership_update": Row(pk("member_membership"), level="login", ok=POST_ONLY),
    "network:invitation_revoke": Row(pk("invitation"), level="login", ok=POST_ONLY),
    "network:invitation": Row(lambda w: {"token": w.invitation.token}, level="login"),
    "network:my_bodies": Row(level="login"),
    "network:organisation_list": Row(),
    "network:organisation_detail": Row(slug("organisation")),
    "network:person_detail": Row(lambda w: {"pk": w.users["member"].pk}, level="approved"),
    "network:person_avatar": Row(lambda w: {"pk": w.users["member"].pk}, level="approved"),
    "network:network_map": [Row(), Row(query="quartier=seehof", label="filtered by Quartier")],
    "network:district_list": Row(),
    "network:district_detail": Row(slug("district")),
    "network:district_create": Row(level="coordination"),
    "network:district_edit": Row(slug("district"), level="coordination"),
    "network:profile": Row(level="login"),
    # --- notices (Mitteilungen) ------------------------------------------------------------
    "notices:list": Row(level="login"),
    "notices:open": Row(
        pk("notice"),
        level="login",
        ok=403,
        roles={"member": REDIRECT},
        label="someone else's notice is refused (and stays unread); the member's own opens",
    ),
    "notices:mark_all_read": Row(level="login", ok=POST_ONLY),
    "network:approvals": Row(level="coordination"),
    "network:personal_data": Row(level="login"),
    "network:personal_data_download": Row(level="login"),
    "network:delete_account": Row(level="login"),
    # --- CMS ----------------------------------------------------------------------------
    "search": Row(query="q=Termin"),
    "cms:event_register": Row(page_id("event"), ok=POST_ONLY, anonymous=POST_ONLY),
    "cms:registration": Row(token("registration"), label="the signed link of the mails is the permission"),
    "cms:own_registration": Row(
        lambda w: {"page_id": w.conference.event.pk},
        level="login",
        ok=404,
        roles={"member": REDIRECT},
        label="only one's own registration (the member registered)",
    ),
    # --- forum --------------------------------------------------------------------------
    "forum:board_list": Row(),
    "forum:board_detail": [
        Row(slug("public_board"), label="public board"),
        Row(slug("internal_board"), level="approved", label="board for all professionals"),
        Row(slug("closed_board"), level="member", label="board of the closed body"),
    ],
    "forum:topic_create": [
        Row(slug("internal_board"), level="approved"),
        Row(slug("closed_board"), level="member"),
    ],
    "forum:board_watch": Row(slug("closed_board"), level="login", ok=POST_ONLY),
    "forum:topic_detail": [
        Row(pk("public_topic"), label="public topic"),
        Row(pk("internal_topic"), level="approved", label="internal topic"),
        Row(pk("private_topic"), level="member", label="topic of the closed body"),
    ],
    "forum:topic_unread": Row(pk("private_topic"), level="member", ok=REDIRECT),
    "forum:topic_reply": [
        Row(pk("public_topic"), level="approved"),
        Row(pk("private_topic"), level="member"),
    ],
    "forum:topic_watch": Row(pk("private_topic"), level="login", ok=POST_ONLY),
    "forum:topic_accept": Row(
        lambda w: {"pk": w.private_topic.pk, "post_pk": w.private_reply.pk}, level="login", ok=POST_ONLY
    ),
    "forum:topic_moderate": Row(pk("private_topic"), level="moderator"),
    # The private topic has its poll; a second one is refused to everybody, so the row asks about another topic.
    "forum:poll_create": Row(pk("internal_topic"), level="coordination"),
    "forum:poll_vote": Row(pk("private_poll"), level="login", ok=POST_ONLY),
    "forum:poll_withdraw": Row(pk("private_poll"), level="login", ok=POST_ONLY),
    "forum:poll_close": Row(pk("private_poll"), level="login", ok=POST_ONLY),
    "forum:post_permalink": [
        Row(pk("public_reply"), ok=REDIRECT),
        Row(pk("private_reply"), level="member", ok=REDIRECT),
    ],
    "forum:post_edit": Row(pk("private_reply"), level="author"),
    "forum:post_revisions": Row(pk("private_reply"), level="author"),
    "forum:post_delete": Row(pk("private_reply"), level="author"),
    "forum:post_react": Row(pk("private_reply"), level="login", ok=POST_ONLY),
    "forum:post_report": Row(pk("private_post"), level="member"),
    "forum:post_hide": Row(pk("private_reply"), level="login", ok=POST_ONLY),
    "forum:attachment": Row(pk("attachment"), level="member"),
    "forum:tag_detail": Row(slug("tag")),
    "forum:tag_follow": Row(slug("tag"), level="login", ok=POST_ONLY),
    "forum:search": Row(query="q=Haushalt"),
    "forum:notifications": Row(level="login"),
    "forum:notification_open": Row(
        pk("notification"),
        level="login",
        ok=404,
        roles={"member": REDIRECT},
        label="someone else's notification is not found",
    ),
    "forum:mention_candidates": [
        Row(level="login", ok=403, label="without a board"),
        Row(level="member", query="bereich=lenkungsrunde&q=mi", label="closed board"),
    ],
    "forum:unsubscribe": Row(token("forum_unsubscribe")),
    "forum:feed_public": Row(),
    "forum:feed_watched": Row(token("feed")),
    "forum:moderation_queue": Row(level="moderator"),
    "forum:report_resolve": Row(pk("report"), level="login", ok=POST_ONLY),
    "forum:audit_log": Row(level="moderator"),
    # A board's moderation restricts people in its boards; the coordination and the staff only the administrator.
    "forum:user_suspend": [
        Row(lambda w: {"pk": w.author.pk}, level="moderator", label="a member"),
        Row(lambda w: {"pk": w.users["coordinator"].pk}, level="staff", label="the coordinator"),
    ],
    # --- planning (the yearly cycle) ------------------------------------------------------
    "feedback:form": Row(),
    "feedback:inbox": Row(level="coordination"),
    "reports:list": Row(level="approved"),
    "reports:detail": [
        Row(lambda w: {"year": w.annual_report.year}, level="approved"),
        Row(lambda w: {"year": w.draft_report.year}, level="coordination"),
    ],
    "reports:pdf": Row(lambda w: {"year": w.annual_report.year}, level="approved"),
    "reports:edit": Row(lambda w: {"year": w.annual_report.year}, level="coordination"),
    "planning:year_list": Row(),
    "planning:year_create": Row(level="coordination"),
    "planning:year_detail": Row(lambda w: {"year": w.planning.current_year.year}),
    "planning:year_manage": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:proposal_list": Row(lambda w: {"year": w.planning.current_year.year}, level="approved"),
    "planning:proposal_create": Row(
        lambda w: {"year": w.planning.current_year.year, "slug": w.planning_body.slug},
        level="member",
        label="members of the proposing group (member, moderator)",
    ),
    "planning:ranking": [
        Row(lambda w: {"year": w.planning.past_year.year}, level="approved", label="round closed"),
        Row(lambda w: {"year": w.planning.current_year.year}, level="nobody", label="round open: secret for everyone"),
    ],
    "planning:tracker": Row(lambda w: {"year": w.planning.past_year.year}),
    "planning:tracker_all": [Row(), Row(query="jahr=1999&themenfeld=bildung", label="filtered, one value unknown")],
    "planning:paper_create": Row(lambda w: {"year": w.planning.past_year.year}, level="login", ok=POST_ONLY),
    "planning:paper_pdf": [
        Row(lambda w: {"page_id": w.planning.paper.pk}, label="published"),
        Row(
            lambda w: {"page_id": w.planning.paper_draft.pk},
            level="editor",
            denied=404,
            anonymous=404,
            label="draft: only Redaktion and coordination, hidden from others",
        ),
    ],
    "planning:proposal_detail": [
        Row(lambda w: {"pk": w.planning.draft.pk}, level="member", label="draft: only the proposing group"),
        Row(lambda w: {"pk": w.planning.in_rating.pk}, level="approved", label="submitted: every professional"),
    ],
    "planning:proposal_edit": [
        Row(lambda w: {"pk": w.planning.draft.pk}, level="member", label="draft: the group's members"),
        Row(lambda w: {"pk": w.planning.in_rating.pk}, level="moderator", label="submitted: only the moderation"),
    ],
    "planning:proposal_transition": Row(lambda w: {"pk": w.planning.draft.pk}, level="login", ok=POST_ONLY),
    "planning:proposal_report": Row(lambda w: {"pk": w.planning.decided.pk}, level="coordination"),
    "planning:proposal_rate": Row(
        lambda w: {"pk": w.planning.in_rating.pk},
        level="nobody",
        roles={"member": 200, "moderator": 200},
        label="members of the Lenkungsrunde only",
    ),
    # --- planning: the Sozialraumkonferenz (planning.conference) ----------------------------
    "planning:conference": Row(lambda w: {"year": w.planning.current_year.year}),
    "planning:conference_manage": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_workshop_create": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_workshop_edit": Row(
        lambda w: {"year": w.planning.current_year.year, "pk": w.conference.workshop.pk}, level="coordination"
    ),
    "planning:conference_registrations": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_registrations_csv": Row(
        lambda w: {"year": w.planning.current_year.year}, level="coordination"
    ),
    "planning:conference_name_list": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_name_list_pdf": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_badges_pdf": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_report": Row(
        lambda w: {"year": w.planning.current_year.year}, level="coordination", label="unpublished: a draft"
    ),
    "planning:conference_county_report": Row(lambda w: {"year": w.planning.current_year.year}, level="coordination"),
    "planning:conference_wishes": Row(
        lambda w: {"year": w.planning.current_year.year, "token": w.tokens.registration},
        ok=POST_ONLY,
        anonymous=POST_ONLY,
    ),
    # --- meetings -----------------------------------------------------------------------
    "meetings:calendar": [Row(label="list"), Row(query="ansicht=monat&monat=2030-02", label="month")],
    "meetings:schedule": Row(slug("closed_body"), level="moderator"),
    "meetings:detail": Row(
        pk("meeting"), level="member", roles={"guest": 200}, label="members-only meeting of the closed body, its guest"
    ),
    "meetings:ics": Row(pk("meeting"), level="member", roles={"guest": 200}),
    "meetings:guests": Row(pk("meeting"), level="moderator"),
    "meetings:guest_remove": Row(
        lambda w: {"pk": w.meeting.pk, "guest_pk": w.address_guest.pk}, level="login", ok=POST_ONLY
    ),
    "meetings:guest_page": Row(token("meeting_guest"), label="the signed link of a guest without an account"),
    "meetings:edit": Row(pk("meeting"), level="moderator"),
    "meetings:cancel": Row(pk("meeting"), level="moderator", label="GET asks for confirmation"),
    "meetings:reply": Row(pk("meeting"), level="login", ok=POST_ONLY),
    "meetings:propose": Row(pk("meeting"), level="login", ok=POST_ONLY),
    "meetings:replies": Row(pk("meeting"), level="moderator"),
    "meetings:replies_csv": Row(pk("meeting"), level="moderator"),
    "meetings:attendance": Row(pk("past_meeting"), level="moderator"),
    "meetings:mail_reply": Row(token("meeting_reply"), label="the signed link is the permission; GET only asks"),
    "meetings:feed_body": Row(slug("closed_body"), label="public meetings only"),
    "meetings:feed_network": Row(label="public meetings only"),
    "meetings:feed_personal": Row(token("calendar_feed"), label="the secret token is the permission"),
    "meetings:calendar_settings": Row(level="login"),
    # --- minutes -------------------------------------------------------------------------
    "minutes:body_list": Row(slug("closed_body"), level="member"),
    "minutes:create": Row(pk("unwritten_meeting", "meeting_pk"), level="member", label="GET asks for confirmation"),
    "minutes:detail": Row(pk("minutes"), level="member", label="minutes put to the vote"),
    "minutes:revisions": Row(pk("minutes"), level="member"),
    # A member who reads the minutes but may not edit them is sent back to them with the reason.
    "minutes:edit": Row(pk("minutes"), level="moderator", roles={"member": REDIRECT}),
    "minutes:decision_add": Row(pk("minutes"), level="login", ok=POST_ONLY),
    "minutes:task_add": Row(pk("minutes"), level="login", ok=POST_ONLY),
    "minutes:item_remove": Row(pk("minutes"), level="login", ok=POST_ONLY),
    "minutes:transition": Row(pk("minutes"), level="login", ok=POST_ONLY),
    "minutes:task_done": Row(pk("minutes_task"), level="login", ok=POST_ONLY),
    # --- documents (the bodies' libraries) -------------------------------------------------
    "documents:library": Row(slug("closed_body"), level="member"),
    "documents:upload": Row(slug("closed_body"), level="member"),
    "documents:folder_create": Row(slug("closed_body"), level="login", ok=POST_ONLY),
    "documents:detail": [
        Row(key("members_document"), level="member", label="members only"),
        Row(key("network_document"), level="approved", label="whole network"),
        Row(key("public_document"), label="public"),
    ],
    "documents:upload_version": Row(key("members_document"), level="member"),
    "documents:edit": [
        Row(key("members_document"), level="author", label="the member put it in"),
        Row(key("public_document"), level="moderator", label="the moderation put it in"),
    ],
    "documents:download": [
        Row(version("members_document"), level="member", label="members only: other bodies and visitors refused"),
        Row(version("network_document"), level="approved", label="whole network"),
        Row(version("public_document"), label="public"),
    ],
    # --- monitoring ---------------------------------------------------------------------
    "monitoring:overview": Row(),
    "monitoring:indicator_detail": Row(slug("indicator")),
    "monitoring:manage": Row(level="coordination"),
    "monitoring:indicator_create": Row(level="coordination"),
    "monitoring:indicator_edit": Row(slug("indicator"), level="coordination"),
    "monitoring:values_edit": Row(slug("indicator"), level="coordination"),
    "monitoring:import": Row(level="coordination"),
    # --- newsletter ---------------------------------------------------------------------
    "newsletter:subscribe": [
        Row(slug("newsletter"), label="public list"),
        Row(slug("internal_newsletter"), level="approved", denied=404, anonymous=404, label="list for professionals"),
    ],
    "newsletter:confirm": Row(token("newsletter_confirm")),
    "newsletter:manage": Row(token("newsletter_manage")),
    "newsletter:unsubscribe": Row(token("newsletter_unsubscribe")),
    "newsletter:anymail:postmark_tracking_webhook": Row(ok=POST_ONLY, anonymous=POST_ONLY),
    # --- surveys ------------------------------------------------------------------------------
    "surveys:answer": [
        Row(lambda w: {"pk": w.surveys.public.pk}, label="open public survey"),
        Row(lambda w: {"pk": w.surveys.closed.pk}, ok=403, anonymous=403, label="closed: says so"),
        Row(lambda w: {"pk": w.surveys.invited.pk}, level="nobody", label="invitations only: the link is the way in"),
    ],
    "surveys:invitation": Row(
        lambda w: {"token": surveys_tokens.make_token(w.surveys.participant)}, label="the signed link is the permission"
    ),
    "surveys:thanks": Row(lambda w: {"pk": w.surveys.public.pk}),
    "surveys:public_results": [
        Row(lambda w: {"pk": w.surveys.closed.pk}, label="published"),
        Row(lambda w: {"pk": w.surveys.public.pk}, ok=404, anonymous=404, label="not published: no such page"),
    ],
    "surveys:results": Row(lambda w: {"pk": w.surveys.closed.pk}, level="coordination"),
    "surveys:export_csv": Row(lambda w: {"pk": w.surveys.closed.pk}, level="coordination"),
    "surveys:export_xlsx": Row(lambda w: {"pk": w.surveys.closed.pk}, level="coordination"),
    "surveys:moderate": Row(lambda w: {"pk": w.surveys.closed.pk}, level="coordination"),
    "surveys:publish": Row(lambda w: {"pk": w.surveys.closed.pk}, level="login", ok=POST_ONLY),
    "surveys:invitations": Row(lambda w: {"pk": w.surveys.invited.pk}, level="coordination"),
    "surveys:request_meeting_feedback": Row(pk("past_meeting"), level="moderator", label="GET asks for confirmation"),
    "surveys:request_conference_feedback": Row(
        lambda w: {"year": w.planning.current_year.year}, level="coordination", label="GET asks for confirmation"
    ),
    # --- Wagtail outside the admin --------------------------------------------------------
    "wagtaildocs_serve": Row(ok=REDIRECT, anonymous=REDIRECT, label="checked with world.document"),
    "wagtaildocs_authenticate_with_password": Row(
        lambda w: {"restriction_id": 999999}, ok=404, anonymous=404, label="no restriction exists"
    ),
    "wagtailcore_authenticate_with_password": Row(
        lambda w: {"page_view_restriction_id": 999999, "page_id": w.pages.home.pk}, ok=404, anonymous=404
    ),
    "wagtailcore_login": Row(),
    # --- our own views in the Wagtail admin -------------------------------------------------
    "newsletter_admin:preview": admin("editor", kwargs=page_id("draft_edition")),
    "newsletter_admin:prepare": admin("coordination", kwargs=page_id("sent_edition")),
    "newsletter_admin:send": admin("coordination", kwargs=pk("send", "send_id")),
    "newsletter_admin:action": admin(
        "coordination", kwargs=pk("send", "send_id"), ok=POST_ONLY, roles={"editor": POST_ONLY}
    ),
    "newsletter_admin:progress": admin("coordination", kwargs=pk("send", "send_id")),
    "newsletter_consents:index": admin("coordination"),
    "newsletter_consents:export": admin("coordination"),
    "newsletter_import:index": admin("coordination"),
}

# Wagtail ModelViewSets of our models, each with the world's object that its edit, delete, history,
# usage and copy views open: the coordination manages the network, the forum's boards and the
# newsletter; Redaktion has no business there.
ADMIN_VIEWSET_OBJECTS = {
    "networkbody": "closed_body",
    "organisation": "organisation",
    "themenfeld": "themenfeld",
    "membership": "member_membership",
    "approveddomain": "approved_domain",
    "joinrequest": "join_request",
    "invitation": "invitation",
    "forum_boards": "internal_board",
    "newsletter_lists": "planned_newsletter",
    "subscriber": "subscriber",
    "subscription": "subscription",
    "wagtailusers_users": "author",
}
# Join requests, invitations, addresses and subscriptions come from the people themselves (with the
# person, the body, the consent): in the admin nobody adds or copies one, only their status changes
# (network.wagtail_hooks.StatusOnlyPermissionPolicy).
STATUS_ONLY = ("joinrequest", "invitation", "subscriber", "subscription")
for _namespace, _attr in ADMIN_VIEWSET_OBJECTS.items():
    for _view in ("index", "index_results"):
        MATRIX[f"{_namespace}:{_view}"] = admin("coordination")
    MATRIX[f"{_namespace}:add"] = admin("nobody" if _namespace in STATUS_ONLY else "coordination")
    for _view in ("edit", "delete", "history", "history_results", "usage"):
        MATRIX[f"{_namespace}:{_view}"] = admin("coordination", kwargs=pk(_attr))
    if _namespace not in STATUS_ONLY:
        MATRIX[f"{_namespace}:copy"] = admin("coordination", kwargs=pk(_attr))


def administrator(world):
    return {"pk": world.users["staff"].pk}


# Whoever may edit accounts could take over the administrator's by editing it: only the administrator
# itself may (network.wagtail_hooks). Nobody deletes it, as Wagtail lets no one delete their own account.
MATRIX["wagtailusers_users:edit"] = [
    MATRIX["wagtailusers_users:edit"],
    admin("staff", kwargs=administrator, label="the administrator's account"),
]
MATRIX["wagtailusers_users:delete"] = [
    MATRIX["wagtailusers_users:delete"],
    admin("nobody", kwargs=administrator, label="the administrator's account"),
]

# One URL per area of Wagtail's own admin (see urlwalk.SKIPPED_AREAS). There is no Django admin:
# everything is managed in Wagtail, whose screens keep the fields the forum's rules rest on.
ADMIN_REPRESENTATIVES = {
    "wagtailadmin_home": admin("editor"),
    "wagtailadmin_explore_root": admin("editor"),
    "wagtailadmin_pages:edit": admin("editor", kwargs=lambda w: {"page_id": w.pages.home.pk}),
    "wagtailimages:index": admin("editor"),
    "wagtaildocs:index": admin("editor"),
    "wagtailredirects:index": admin("staff"),
    "wagtailusers_groups:index": admin("staff"),
    "wagtailsites:index": admin("staff"),
    "wagtailadmin_workflows:index": admin("staff"),
}

# Concrete pages for Wagtail's catch-all `wagtail_serve`.
PAGES = {
    "home page": Row(lambda w: w.pages.home.url),
    "page of the closed body": Row(lambda w: w.closed_body_page.url),
    "event": Row(lambda w: w.event.url),
    "newsletter archive": Row(lambda w: w.archive.url),
    "sent edition of a public list": Row(lambda w: w.sent_edition.url),
    "edition not sent yet": Row(lambda w: w.draft_edition.url, level="editor", denied=404, anonymous=404),
    "sent edition for professionals": Row(
        lambda w: w.internal_edition.url, level="approved", denied=404, anonymous=404
    ),
    "planning papers": Row(lambda w: w.planning.paper.get_parent().url),
    "published planning paper": Row(lambda w: w.planning.paper.url),
    "planning paper not published": Row(lambda w: w.planning.paper_draft.url, ok=404, anonymous=404),
    "unknown page": Row(lambda w: "/gibt-es-nicht/", ok=404, anonymous=404),
    "survey overview": Row(lambda w: w.surveys.index.url),
    "survey page": Row(lambda w: w.surveys.public.url),
}


ENDS_SESSION = {"account_confirm_email", "account_reset_password_from_key"}


def _rows(entry):
    return entry if isinstance(entry, list) else [entry]


def _is_login_redirect(response, login_path):
    return response.status_code == 302 and urlsplit(response["Location"]).path == login_path


def _matches(response, expected):
    if expected == LOGIN:
        return _is_login_redirect(response, reverse("account_login"))
    if expected == ADMIN_LOGIN:
        return _is_login_redirect(response, reverse("wagtailadmin_login"))
    if expected == ADMIN_REFUSED:
        return _is_login_redirect(response, reverse("wagtailadmin_home"))
    if expected == REAUTHENTICATE:
        return _is_login_redirect(response, reverse("account_reauthenticate"))
    if expected == REDIRECT:
        return response.status_code == 302
    return response.status_code == expected


def _describe(response):
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


# --- The table covers the resolver ---------------------------------------------------------


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = [
        f"add an entry for {pattern.key} ({pattern.route}, {pattern.module})"
        for pattern in walk()
        if skip_reason(pattern) is None and pattern.key not in MATRIX
    ]
    assert not missing, "URL patterns without an expectation:\n" + "\n".join(missing)


def test_the_matrix_names_no_pattern_that_is_gone():
    keys = {pattern.key for pattern in walk()}
    stale = sorted((set(MATRIX) | set(ADMIN_REPRESENTATIVES)) - keys)
    assert not stale, f"entries for URL names that no longer exist: {stale}"


def test_the_skipped_areas_are_only_admin_webhooks_and_the_page_catch_all():
    """A skip rule that grew too wide would hide a new view as surely as a missing test."""
    skipped = [pattern for pattern in walk() if skip_reason(pattern)]
    for pattern in skipped:
        assert pattern.route.startswith(("admin/", "newsletter/anymail/")) or pattern.key == "wagtail_serve"
        assert not pattern.module.startswith(tuple(f"{app}." for app in ("network", "forum", "newsletter", "cms")))
    # Our own views in the Wagtail admin are never skipped, nor any view of a viewset of our models.
    assert "newsletter_admin:prepare" not in {pattern.key for pattern in skipped}
    assert not [pattern.key for pattern in skipped if is_project_admin_area(pattern)]


def test_every_representative_admin_url_resolves():
    for name in ADMIN_REPRESENTATIVES:
        try:
            reverse(name, kwargs={"page_id": 1} if name == "wagtailadmin_pages:edit" else None)
        except NoReverseMatch:  # pragma: no cover - the assertion below explains it
            pytest.fail(f"{name} no longer resolves: pick another representative for its admin area")


def test_there_is_no_django_admin(world, browser_for):
    """Its model forms would offer what the Wagtail screens withhold (a board's kind and body)."""
    assert not [pattern.key for pattern in walk() if pattern.route.startswith("django-admin/")]
    for role in ("anonymous", "staff"):
        assert browser_for(role).get(f"/django-admin/forum/board/{world.closed_board.pk}/change/").status_code == 404


# --- Each role against the table --------------------------------------------------------------


@pytest.fixture
def closed_body_page(world):
    from cms.models import NetworkBodyPage

    world.closed_body_page = NetworkBodyPage.objects.get(body=world.closed_body)
    return world


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_status_of_the_matrix(role, world, closed_body_page, browser_for, settings):
    # Test files live in memory, which Wagtail can only hand out by redirecting to the storage.
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    mismatches = []

    def check(what, url, row):
        response = browser_for(role).get(url)
        expected = row.expected(role)
        if not _matches(response, expected):
            mismatches.append(f"{what} {url}: expected {expected}, got {_describe(response)}")

    for label, row in PAGES.items():
        check(f"page: {label}", row.kwargs(world), row)
    check("document", world.document.url, MATRIX["wagtaildocs_serve"])
    # allauth ends the session of anyone who opens another person's confirmation or reset link: those come last.
    entries = sorted({**MATRIX, **ADMIN_REPRESENTATIVES}.items(), key=lambda item: item[0] in ENDS_SESSION)
    for name, entry in entries:
        if name == "wagtaildocs_serve":
            continue
        for row in _rows(entry):
            check(f"{name}{f' ({row.label})' if row.label else ''}", row.url(name, world), row)
    assert not mismatches, f"role {role}:\n" + "\n".join(mismatches)


# Beyond the largest id the database holds (2**63 - 1): such a number once reached the database and
# answered 500 (OverflowError on SQLite) instead of 404.
OUT_OF_RANGE_ID = 99999999999999999999
ID_ARGUMENT = re.compile(r"<(?:int|id):(\w+)>")


def test_ids_beyond_the_database_are_not_found_on_every_pattern_with_one(world, browser_for):
    probed, problems = [], []
    for pattern in walk():
        id_names = ID_ARGUMENT.findall(pattern.route)
        if skip_reason(pattern) or not id_names:
            continue
        row = _rows(MATRIX[pattern.key])[0]
        kwargs = {**(row.kwargs(world) if row.kwargs else {}), **dict.fromkeys(id_names, OUT_OF_RANGE_ID)}
        url = reverse(pattern.key, kwargs=kwargs)
        probed.append(url)
        # The admin sends whoever may not use it to its login before looking at the URL.
        roles = ("staff",) if pattern.route.startswith("admin/") else ("anonymous", "member", "staff")
        for role in roles:
            for method in ("get", "post"):
                # A route ending without a slash redirects to the slashed one once it no longer matches.
                response = getattr(browser_for(role), method)(url, follow=True)
                if response.status_code != 404:
                    problems.append(f"{role} {method.upper()} {url}: {_describe(response)}")
    assert f"/veranstaltungen/{OUT_OF_RANGE_ID}/anmelden/" in probed
    assert f"/forum/thema/{OUT_OF_RANGE_ID}/loesung/{OUT_OF_RANGE_ID}/" in probed
    assert not problems, "\n".join(problems)


def test_private_content_never_reaches_outsiders(world, closed_body_page, browser_for):
    """Text that only the closed body may read must not appear in any answer to anyone else."""
    secret = "Kürzungen im Jugendbereich"
    for role in ("anonymous", "pending", "professional", "editor"):
        browser = browser_for(role)
        for url in [
            reverse("forum:topic_detail", args=[world.private_topic.pk]),
            reverse("forum:search") + "?q=Kürzungen",
            reverse("forum:board_detail", args=[world.closed_board.slug]),
            reverse("forum:board_list"),
            reverse("forum:feed_public"),
            reverse("network:body_detail", args=[world.closed_body.slug]),
            world.closed_body_page.url,
        ]:
            response = browser.get(url)
            assert secret not in response.content.decode(errors="replace"), f"{role} read the secret at {url}"
    member = browser_for("member")
    assert secret in member.get(reverse("forum:topic_detail", args=[world.private_topic.pk])).content.decode()


# --- Unsafe requests by the wrong people change nothing -----------------------------------------

PROJECT_DATA_APPS = [
    "network",
    "forum",
    "meetings",
    "newsletter",
    "cms",
    "reports",
    "account",
    "mfa",
    "auth",
    "minutes",
    "documents",
    "monitoring",
    "surveys",
]
VOLATILE_FIELDS = {"last_login"}


def fingerprint():
    """Every row of our apps (and accounts, groups, authenticators), to compare before and after."""
    state = {}
    for label in PROJECT_DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
            state[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return state


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


@dataclass
class Unsafe:
    kwargs: object
    data: object  # world -> POST data that the allowed roles may send successfully
    allowed: tuple


MODERATION = ("moderator", "coordinator", "staff")
INSIDERS = ("member", "moderator", "coordinator", "staff")
COORDINATION = ("coordinator", "staff")


def admin_form(attr, fields, **changes):
    """The admin's edit form of world.<attr> as it stands, with `changes` made."""

    def data(world):
        values = {**model_to_dict(getattr(world, attr), fields=fields), **changes}
        # Many-to-many fields come as model instances; a form posts their ids.
        values = {
            name: [getattr(item, "pk", item) for item in value] if isinstance(value, list) else value
            for name, value in values.items()
        }
        return {name: value for name, value in values.items() if value is not None}

    return data


ACCOUNT_FIELDS = ["email", "first_name", "last_name", "is_active"]  # Wagtail's user form, without groups
ADMIN_EDITS = {
    "networkbody": admin_form(
        "closed_body", network_admin.NetworkBodyViewSet.form_fields, purpose="Steuert die Sozialplanung."
    ),
    "organisation": admin_form("organisation", network_admin.OrganisationViewSet.form_fields, city="Kleinmachnow"),
    "themenfeld": admin_form("themenfeld", network_admin.ThemenfeldViewSet.form_fields, sort_order=5),
    "membership": admin_form("member_membership", network_admin.MembershipViewSet.form_fields, role="moderator"),
    "approveddomain": admin_form(
        "approved_domain", network_admin.ApprovedDomainViewSet.form_fields, domain="stz-nord.example.org"
    ),
    "joinrequest": admin_form("join_request", network_admin.JoinRequestViewSet.form_fields, status="declined"),
    "invitation": admin_form("invitation", network_admin.InvitationViewSet.form_fields, status="revoked"),
    "forum_boards": admin_form("internal_board", BoardViewSet.form_fields, name="Fachaustausch Jugendhilfe"),
    "newsletter_lists": admin_form(
        "planned_newsletter", newsletter_admin.NewsletterViewSet.form_fields, sender_name="Redaktion Sozialraum"
    ),
    "subscriber": admin_form("subscriber", newsletter_admin.SubscriberViewSet.form_fields, status="bounced"),
    "subscription": admin_form("subscription", newsletter_admin.SubscriptionViewSet.form_fields, status="unsubscribed"),
    "wagtailusers_users": admin_form("author", ACCOUNT_FIELDS, first_name="Anna", last_name="Autorin"),
}

UNSAFE = {
    "network:body_manage": Unsafe(slug("closed_body"), lambda w: {"email": "gast@example.org"}, MODERATION),
    "network:join_request_decide": Unsafe(pk("join_request"), lambda w: {"decision": "accept"}, MODERATION),
    "network:membership_update": Unsafe(pk("member_membership"), lambda w: {"action": "remove"}, MODERATION),
    "network:invitation_revoke": Unsafe(pk("invitation"), lambda w: {}, MODERATION),
    "network:approvals": Unsafe(None, lambda w: {"user": w.users["pending"].pk, "decision": "approve"}, COORDINATION),
    "forum:topic_create": Unsafe(slug("closed_board"), lambda w: {"title": "Neues Thema", "text": "Hallo"}, INSIDERS),
    "forum:topic_reply": Unsafe(pk("private_topic"), lambda w: {"text": "Eine Antwort"}, INSIDERS),
    "forum:topic_watch": Unsafe(pk("private_topic"), lambda w: {"level": "muted"}, INSIDERS),
    "forum:board_watch": Unsafe(slug("closed_board"), lambda w: {"level": "watching"}, INSIDERS),
    "forum:post_edit": Unsafe(pk("private_reply"), lambda w: {"text": "Geänderter Text"}, INSIDERS),
    "forum:post_delete": Unsafe(pk("private_reply"), lambda w: {"reason": "doppelt"}, INSIDERS),
    "forum:post_react": Unsafe(pk("private_reply"), lambda w: {"kind": "heart"}, INSIDERS),
    "forum:post_report": Unsafe(pk("private_post"), lambda w: {"reason": "Bitte prüfen"}, INSIDERS),
    "forum:post_hide": Unsafe(pk("private_reply"), lambda w: {"reason": "Ton"}, MODERATION),
    "forum:topic_accept": Unsafe(
        lambda w: {"pk": w.private_topic.pk, "post_pk": w.private_reply.pk}, lambda w: {}, MODERATION
    ),
    "forum:topic_moderate": Unsafe(
        pk("private_topic"), lambda w: {"action": "flag", "flag": "is_locked", "value": "on"}, MODERATION
    ),
    "forum:report_resolve": Unsafe(pk("report"), lambda w: {"status": "resolved"}, MODERATION),
    "reports:list": Unsafe(None, lambda w: {"year": w.annual_report.year - 1}, COORDINATION),
    # Everybody may write to the coordination; the form's start time lies a minute back like a person's.
    "feedback:form": Unsafe(
        None,
        lambda w: {"kind": "idea", "text": "Gute Sache", "started": spam.started_token(at=time.time() - 60)},
        tuple(ROLES),
    ),
    "feedback:inbox": Unsafe(None, lambda w: {"feedback": w.platform_feedback.pk, "handled": "on"}, COORDINATION),
    "reports:edit": Unsafe(
        lambda w: {"year": w.draft_report.year}, lambda w: {"introduction": "Neu", "outlook": "Weiter"}, COORDINATION
    ),
    "forum:poll_create": Unsafe(
        pk("internal_topic"),
        lambda w: {"question": "Wann?", "options": "Montag\nDienstag", "results": "always"},
        COORDINATION,
    ),
    "forum:poll_vote": Unsafe(
        pk("private_poll"), lambda w: {"options": [w.private_poll.options.get(text="Montag").pk]}, INSIDERS
    ),
    # Only the member has voted in the world; a withdrawal without a vote is refused with a message.
    "forum:poll_withdraw": Unsafe(pk("private_poll"), lambda w: {}, ("member",)),
    "forum:poll_close": Unsafe(pk("private_poll"), lambda w: {}, MODERATION),
    "forum:user_suspend": [
        Unsafe(
            lambda w: {"pk": w.author.pk},
            lambda w: {"board": w.closed_board.pk, "days": "3", "reason": "Beleidigung"},
            MODERATION,
        ),
        # Forum-wide only by the coordination: the moderator of the closed body is refused.
        Unsafe(
            lambda w: {"pk": w.author.pk}, lambda w: {"board": "", "days": "3", "reason": "Beleidigung"}, COORDINATION
        ),
        Unsafe(
            lambda w: {"pk": w.users["coordinator"].pk},
            lambda w: {"board": w.closed_board.pk, "days": "3", "reason": "Rache"},
            ("staff",),
        ),
    ],
    "meetings:schedule": Unsafe(slug("closed_body"), lambda w: _meeting_form(w, title="Sondersitzung"), MODERATION),
    "meetings:edit": Unsafe(pk("meeting"), lambda w: _meeting_form(w, title="Haushaltsklausur (verlegt)"), MODERATION),
    "meetings:cancel": Unsafe(pk("meeting"), lambda w: {}, MODERATION),
    "meetings:reply": Unsafe(pk("meeting"), lambda w: {"answer": "yes"}, (*INSIDERS, "guest")),
    "meetings:guests": Unsafe(
        pk("meeting"),
        lambda w: {"email": "fachfrau@example.net", "name": "Fiona Fachfrau", "kind": "expert"},
        MODERATION,
    ),
    "meetings:guest_remove": Unsafe(
        lambda w: {"pk": w.meeting.pk, "guest_pk": w.address_guest.pk}, lambda w: {}, MODERATION
    ),
    # The signed link is the permission: whoever holds it answers for that guest.
    "meetings:guest_page": Unsafe(token("meeting_guest"), lambda w: {"answer": "maybe"}, tuple(ROLES)),
    "meetings:propose": Unsafe(pk("meeting"), lambda w: {"title": "Bericht der Kita"}, INSIDERS),
    "meetings:attendance": Unsafe(pk("past_meeting"), lambda w: {"present": [w.users["member"].pk]}, MODERATION),
    "documents:upload": Unsafe(
        slug("closed_body"), lambda w: {"file": _pdf("Anlage.pdf"), "visibility": "members"}, INSIDERS
    ),
    "documents:folder_create": Unsafe(slug("closed_body"), lambda w: {"name": "Vorlagen"}, INSIDERS),
    "documents:upload_version": Unsafe(key("members_document"), lambda w: {"file": _pdf("Fassung 2.pdf")}, INSIDERS),
    "documents:edit": Unsafe(
        key("members_document"), lambda w: {"title": "Haushaltsentwurf 2027", "visibility": "members"}, INSIDERS
    ),
    "network:district_create": Unsafe(None, lambda w: {"name": "Neues Quartier"}, COORDINATION),
    "network:district_edit": Unsafe(slug("district"), lambda w: {"name": "Seehof-Nord"}, COORDINATION),
    "monitoring:indicator_create": Unsafe(None, lambda w: {"name": "Neuer Indikator"}, COORDINATION),
    "monitoring:indicator_edit": Unsafe(slug("indicator"), lambda w: {"name": "Umbenannt"}, COORDINATION),
    "monitoring:values_edit": Unsafe(
        slug("indicator"), lambda w: {"year": "2025", f"district_{w.district.pk}": "1"}, COORDINATION
    ),
    "surveys:publish": Unsafe(
        lambda w: {"pk": w.surveys.closed.pk}, lambda w: {"questions": [], "published": ""}, COORDINATION
    ),
    "surveys:moderate": Unsafe(
        lambda w: {"pk": w.surveys.closed.pk}, lambda w: {f"text-{w.surveys.text_answer.pk}": "approved"}, COORDINATION
    ),
    "surveys:invitations": Unsafe(
        lambda w: {"pk": w.surveys.invited.pk},
        lambda w: {"action": "invite", "emails": "neu@example.org"},
        COORDINATION,
    ),
    # The member confirmed the past meeting: the moderation and the coordination ask them for feedback.
    "surveys:request_meeting_feedback": Unsafe(pk("past_meeting"), lambda w: {}, MODERATION),
    # Renewing is one's own token only: everyone logged in may, and it changes their own row.
    "meetings:calendar_settings": Unsafe(None, lambda w: {}, tuple(ROLES[1:])),
    "minutes:create": Unsafe(pk("unwritten_meeting", "meeting_pk"), lambda w: {}, INSIDERS),
    "minutes:edit": Unsafe(pk("minutes"), lambda w: {"text": "Neue Fassung"}, MODERATION),
    "minutes:decision_add": Unsafe(pk("minutes"), lambda w: {"text": "Noch ein Beschluss"}, MODERATION),
    "minutes:task_add": Unsafe(
        pk("minutes"),
        lambda w: {"what": "Raum buchen", "owner": w.users["member"].pk, "due_date": "2099-01-31"},
        MODERATION,
    ),
    "minutes:item_remove": Unsafe(pk("minutes"), lambda w: {"decision": w.minutes_decision.pk}, MODERATION),
    "minutes:transition": Unsafe(pk("minutes"), lambda w: {"to": "approved"}, MODERATION),
    # The member owns the task: the owner and the moderation tick it off.
    "minutes:task_done": Unsafe(pk("minutes_task"), lambda w: {"done": "on"}, INSIDERS),
}
# Editing and deleting through the Wagtail admin's viewsets of our models.
for _namespace, _attr in ADMIN_VIEWSET_OBJECTS.items():
    UNSAFE[f"{_namespace}:edit"] = Unsafe(pk(_attr), ADMIN_EDITS[_namespace], COORDINATION)
    UNSAFE[f"{_namespace}:delete"] = Unsafe(pk(_attr), lambda w: {}, COORDINATION)
UNSAFE["subscriber:add"] = Unsafe(None, lambda w: {"status": "active"}, ())
# Only the administrator makes administrators or changes their accounts (network.wagtail_hooks).
UNSAFE["wagtailusers_users:add"] = Unsafe(
    None,
    lambda w: {
        "email": "chefin@example.org",
        "first_name": "Clara",
        "last_name": "Chefin",
        "is_superuser": "on",
        "password1": PASSWORD,
        "password2": PASSWORD,
    },
    ("staff",),
)
UNSAFE["wagtailusers_users:edit"] = [
    UNSAFE["wagtailusers_users:edit"],
    Unsafe(
        administrator,
        lambda w: {"email": w.users["staff"].email, "first_name": "Ada", "last_name": "Admin"},
        ("staff",),
    ),
]
REFUSED = {302, 403, 404, 405}


def _pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")


def _meeting_form(world, **changes):
    """The schedule/edit form of the world's meeting, moved a day later."""
    start = timezone.localtime(world.meeting.start + timedelta(days=1))
    return {
        "title": world.meeting.title,
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Rathaus Teltow",
        "visibility": "members",
        "reminder": "day_before",
        **changes,
    }


def test_unsafe_requests_of_unauthorised_roles_are_refused_and_change_nothing(world, browser_for):
    browsers = {role: browser_for(role) for role in ROLES}  # logged in outside the rolled-back blocks
    before = fingerprint()  # every POST below is rolled back, so each starts from this state
    problems = []
    for name, entry in UNSAFE.items():
        for unsafe in _rows(entry):
            problems += _problems_of_posting(name, unsafe, world, browsers, before)
    assert not problems, "\n".join(problems)


def _problems_of_posting(name, unsafe, world, browsers, before):
    from django.db import transaction

    url = reverse(name, kwargs=unsafe.kwargs(world) if unsafe.kwargs else None)
    login = ADMIN_LOGIN if url.startswith(reverse("wagtailadmin_home")) else LOGIN
    problems = []
    for role in ROLES:
        with transaction.atomic():
            response = browsers[role].post(url, unsafe.data(world))
            changed = changed_tables(before, fingerprint())
            transaction.set_rollback(True)
        where = f"{role} POST {name} {url} → {_describe(response)}"
        if response.status_code >= 500:
            problems.append(f"{where}: server error")
        elif role in unsafe.allowed:
            # The same request succeeds for those allowed: the refusal below is not a broken payload.
            if not changed:
                problems.append(f"{where}: allowed, but nothing changed")
        else:
            if changed:
                problems.append(f"{where}: refused role changed {changed}")
            if response.status_code not in REFUSED:
                problems.append(f"{where}: not refused")
            if role == "anonymous" and not _matches(response, login):
                problems.append(f"{where}: anonymous is not sent to the login")
    return problems
