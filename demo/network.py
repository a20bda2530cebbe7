"""The demo network of Teltow from data/network.yaml: Themenfelder, bodies, organisations and people.

Every record is keyed on a slug or an e-mail address, so a second run finds what the first one made
and changes nothing. People are generated from a fixed random seed for the same reason.
"""

import functools
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from network import access
from network.models import ApprovedDomain, Membership, NetworkBody, Organisation, Themenfeld, User

from .data import load

GROUPS = {"coordination": access.COORDINATION_GROUP, "editors": access.EDITORS_GROUP}
DEMO_SINCE = date(2021, 4, 1)


def data():
    return load("network")


def demo_password():
    return data()["password"]


def demo_totp_secret():
    return data()["totp_secret"]


def logins():
    return data()["logins"]


def organisation_email(org):
    return f"{org.get('mailbox', 'info')}@{org['domain']}"


def organisation_website(org):
    return f"https://{org['domain']}/{org['slug']}/" if org.get("shared_domain") else f"https://{org['domain']}/"


@dataclass
class Person:
    email: str
    first_name: str
    last_name: str
    organisation: str
    job_title: str
    joined: date
    bodies: list = field(default_factory=list)


def _ascii(text):
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss").replace("ı", "i")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _weighted_pick(rng, weights, count):
    pool = dict(weights)
    picked = []
    while pool and len(picked) < count:
        choice = rng.choices(list(pool), weights=list(pool.values()))[0]
        picked.append(choice)
        del pool[choice]
    return picked


def generated_people():
    """The professionals of the demo network; depends only on the data file, never on the database."""
    source = data()
    organisations = source["organisations"]
    names = (source["first_names"]["female"], source["first_names"]["male"])
    rng = random.Random(source["random_seed"])
    # Every organisation has at least one person, so every one shows up with members.
    extra = source["generated_people"] - len(organisations)
    org_cycle = organisations + [rng.choice(organisations) for _ in range(extra)]
    used_names, used_emails = set(), set()
    people = []
    for org in org_cycle:
        while True:
            gender = rng.randrange(2)
            first, last = rng.choice(names[gender]), rng.choice(source["last_names"])
            if (first, last) not in used_names:
                used_names.add((first, last))
                break
        weights = dict(source["body_affinity"][org["kind"]])
        if org.get("focus"):
            weights[org["focus"]] = weights.get(org["focus"], 0) + source["focus_weight"]
        count = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
        email = f"{_ascii(first)[0]}.{_ascii(last)}@{org['domain']}"
        if email in used_emails:
            email = f"{_ascii(first)}.{_ascii(last)}@{org['domain']}"
        used_emails.add(email)
        people.append(
            Person(
                email=email,
                first_name=first,
                last_name=last,
                organisation=org["slug"],
                job_title=rng.choice(source["job_titles"][org["kind"]])[gender],
                joined=DEMO_SINCE + timedelta(days=rng.randrange(1600)),
                bodies=_weighted_pick(rng, weights, count),
            )
        )
    # The steering group draws one representative from each active focus group (concept, section 3).
    represented = set()
    for person in people:
        body = next((slug for slug in person.bodies if slug.startswith("fg-") and slug != "fg-inklusion"), None)
        if body and body not in represented:
            represented.add(body)
            person.bodies.append("lenkungsrunde-sozialplanung")
        if person.organisation == "landkreis-reko" and "lenkungsrunde-sozialplanung" not in person.bodies:
            person.bodies.append("lenkungsrunde-sozialplanung")
    return people


def sync(model, lookup, values):
    """update_or_create that writes only what differs: every save enqueues Wagtail's index tasks."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
    return instance


def _aware(day, hour=9):
    return timezone.make_aware(datetime.combine(day, clock(hour)))


class Seeder:
    """Creates what is missing and leaves what exists alone, so demo edits survive a second run."""

    def __init__(self):
        self.organisations = {}
        self.bodies = {}
        self._password_hash = functools.cache(lambda: make_password(demo_password()))

    def run(self):
        themenfelder = self._themenfelder()
        self._organisations()
        self._bodies(themenfelder)
        self._people()
        self._pending_signups()
        self._demo_logins()
        self._second_factors()
        return self.bodies

    def _themenfelder(self):
        return {
            item["slug"]: sync(
                Themenfeld,
                {"slug": item["slug"]},
                {"name": item["name"], "description": item["description"], "sort_order": order},
            )
            for order, item in enumerate(data()["themenfelder"], start=1)
        }

    def _organisations(self):
        # Parents come before their facilities in the data file, so one pass links them.
        for org in data()["organisations"]:
            self.organisations[org["slug"]] = sync(
                Organisation,
                {"slug": org["slug"]},
                {
                    "name": org["name"],
                    "kind": org["kind"],
                    "parent": self.organisations.get(org.get("parent")),
                    "street": org["street"],
                    "postcode": data()["postcode"],
                    "city": "Teltow",
                    "website": organisation_website(org),
                    "email": organisation_email(org),
                    "description": org.get("description", ""),
                },
            )
        for domain, organisation in data()["approved_domains"].items():
            sync(ApprovedDomain, {"domain": domain}, {"organisation": self.organisations[organisation]})

    def _bodies(self, themenfelder):
        for body in data()["bodies"]:
            # A new body gets its CMS page (cms.signals) and its forum board (forum.signals) on save.
            self.bodies[body["slug"]] = sync(
                NetworkBody,
                {"slug": body["slug"]},
                {
                    "name": body["name"],
                    "short_name": body["short_name"],
                    "kind": body["kind"],
                    "themenfeld": themenfelder.get(body.get("themenfeld")),
                    "status": body.get("status", NetworkBody.Status.ACTIVE),
                    "visibility": body.get("visibility", NetworkBody.Visibility.PROFESSIONALS),
                    "purpose": body["purpose"],
                    "contact": body["contact"],
                },
            )

    def _user(self, email, *, approved=True, joined=None, **fields):
        user = User.objects.filter(email=email).first()
        if user is None:
            joined = joined or timezone.now()
            user = User.objects.create(
                email=email,
                password=self._password_hash(),
                date_joined=joined,
                approval=User.Approval.APPROVED if approved else User.Approval.PENDING,
                approved_at=joined + timedelta(days=1) if approved else None,
                **fields,
            )
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _join(self, user, body_slug, since, role=Membership.Role.MEMBER):
        Membership.objects.get_or_create(
            user=user, body=self.bodies[body_slug], defaults={"role": role, "since": since}
        )

    def _people(self):
        for person in generated_people():
            user = self._user(
                person.email,
                joined=_aware(person.joined),
                first_name=person.first_name,
                last_name=person.last_name,
                display_name=f"{person.first_name} {person.last_name}",
                organisation=self.organisations[person.organisation],
                job_title=person.job_title,
            )
            for offset, body in enumerate(person.bodies):
                self._join(user, body, person.joined + timedelta(days=30 * offset))

    def _pending_signups(self):
        """Verified but not yet approved: their domains are not on the allow-list."""
        for signup in data()["pending_signups"]:
            first, last = signup["name"].split(" ", 1)
            self._user(
                signup["email"],
                approved=False,
                joined=timezone.now() - timedelta(days=signup["days_ago"]),
                first_name=first,
                last_name=last,
                display_name=signup["name"],
                organisation=self.organisations[signup["organisation"]],
                job_title=signup["job_title"],
            )

    def _demo_logins(self):
        for login in logins():
            first, _, last = login["name"].partition(" ")
            superuser = login.get("superuser", False)
            user = self._user(
                login["email"],
                joined=_aware(DEMO_SINCE),
                first_name=first,
                last_name=last,
                display_name=login["name"],
                organisation=self.organisations[login["organisation"]],
                job_title=login["job_title"],
                is_staff=superuser,
                is_superuser=superuser,
            )
            for key in login.get("groups", ()):
                user.groups.add(Group.objects.get(name=GROUPS[key]))
            for body in login.get("moderates", ()):
                self._join(user, body, DEMO_SINCE, role=Membership.Role.MODERATOR)
            for body in login.get("member_of", ()):
                self._join(user, body, DEMO_SINCE)

    def _second_factors(self):
        """The site forces staff, coordination and moderators to TOTP; give them the demo secret."""
        for user in User.objects.filter(email__in=[login["email"] for login in logins()]):
            access.forget_cached_roles(user)
            has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            if access.requires_second_factor(user) and not has_totp:
                TOTP.activate(user, demo_totp_secret())


def seed_network():
    """Create the demo network; returns the bodies by slug for the content that refers to them."""
    return Seeder().run()


def demo_login_rows():
    """(e-mail, role, whether TOTP is set up) for every demo login, in the order of the data file."""
    emails = [login["email"] for login in logins()]
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP, user__email__in=emails).values_list(
            "user__email", flat=True
        )
    )
    return [(login["email"], login["role"], login["email"] in with_totp) for login in logins()]


def demo_totp_uri():
    """otpauth:// URI of the shared demo secret, labelled with the coordination's account."""
    return get_mfa_adapter().build_totp_url(User(email=logins()[0]["email"]), demo_totp_secret())


def current_demo_totp_code():
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(demo_totp_secret(), counter))
