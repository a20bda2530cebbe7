"""The demo pages from data/pages.yaml: page tree, formats, body pages, news, events and registrations.

Pages are looked up by slug below their parent and only created when missing: a second run neither
duplicates them nor adds revisions, and whatever editors changed in the demo stays.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Site

from cms import models as cms_models
from cms.models import EventPage, EventRegistration, FormatPage, HomePage, NewsPage, SiteLinks, StandardPage
from cms.services import ensure_body_page
from network.models import User
from newsletter.models import NewsletterArchivePage

from .data import days_from_today, load, moment

NEWSLETTER_ARCHIVE = {
    "slug": "newsletter",
    "title": "Newsletter",
    "intro": "<p>Der Sozialraum-Newsletter berichtet aus den Fokusgruppen, vom Forum und von den nächsten Terminen. "
    "Hier können Sie ihn abonnieren und frühere Ausgaben lesen.</p>",
}


def data():
    return load("pages")


def stream(blocks, pages=None):
    """StreamField data from the data file's compact blocks (see the header of pages.yaml)."""
    result = []
    for block in blocks:
        if "heading" in block:
            result.append({"type": "heading", "value": {"text": block["heading"], "level": block.get("level", "h2")}})
        elif "html" in block:
            result.append({"type": "paragraph", "value": block["html"]})
        elif "quote" in block:
            result.append({"type": "quote", "value": {"text": block["quote"], "source": block.get("source", "")}})
        elif "button" in block:
            result.append(
                {"type": "button", "value": {"text": block["button"], "page": pages[block["page"]].pk, "url": ""}}
            )
        else:
            raise ValueError(f"Unbekannter Block in den Demo-Daten: {block}")
    return result


def child_page(parent, model, slug, **fields):
    """The child with this slug, created and published only when it is missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def republish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def ensure_home():
    """The HomePage as root of the default site, replacing Wagtail's initial welcome page."""
    site_name = data()["site_name"]
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title=site_name, slug="startseite", intro=data()["home"]["intro"])
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name)
    elif site.root_page_id != home.pk or site.site_name != site_name:
        site.root_page = home
        site.site_name = site_name
        site.save()
    # Only now that no site points to it: deleting a site root would delete the site with it.
    plain_page = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, content_type=plain_page, numchild=0, sites_rooted_here=None):
        page.delete()
    return home


def ensure_pages():
    """The page tree without the parts that refer to network bodies; returns the pages by key."""
    home = ensure_home()
    pages = {"home": home}
    for index in data()["indexes"]:
        model = getattr(cms_models, index["type"])
        pages[index["key"]] = child_page(home, model, index["slug"], title=index["title"], intro=index["intro"])
    today = f"{timezone.localdate():%d.%m.%Y}"
    for item in data()["standard_pages"]:
        body = [
            {**block, "html": block["html"].replace("{heute}", today)} if "html" in block else block
            for block in item["body"]
        ]
        pages[item["key"]] = child_page(
            home, StandardPage, item["slug"], title=item["title"], intro=item["intro"], body=stream(body)
        )
    pages["newsletter"] = child_page(home, NewsletterArchivePage, **NEWSLETTER_ARCHIVE)
    if not home.body:
        republish(home, body=stream(data()["home"]["body"], pages))
    for format_data in data()["formats"]:
        child_page(pages["formats"], FormatPage, **format_data)
    ensure_site_links(pages)
    return pages


def ensure_site_links(pages):
    links = SiteLinks.for_site(Site.objects.get(is_default_site=True))
    wanted = {name: pages[name] for name in ("impressum", "privacy", "accessibility", "newsletter")}
    if any(getattr(links, f"{name}_id") != page.pk for name, page in wanted.items()):
        for name, page in wanted.items():
            setattr(links, name, page)
        links.save()


def fill_body_pages(bodies):
    """Give each body page its content once; the signal made the page with only the purpose as intro."""
    sections = data()["body_page_sections"]
    for body in bodies.values():
        page = ensure_body_page(body)
        if page is None or page.content:
            continue
        republish(page, intro=body.purpose, content=stream(sections[body.kind]))


def _place(name):
    return data()["places"].get(name, name)


def _meeting(item, bodies):
    body = bodies[item["body"]]
    start = moment(item["days"], item["hour"], weekday=item["weekday"])
    agenda = "".join(f"<li>{point}</li>" for point in item["agenda"])
    return {
        "slug": item["slug"],
        "title": f"Sitzung der {body.name}",
        "start": start,
        "end": start + timedelta(hours=2),
        "location": _place(item["location"]),
        "network_body": body,
        "intro": f"Regelmäßige Sitzung der {body.name}. Gäste sind nach Absprache mit der Moderation willkommen.",
        "body": stream([{"heading": "Tagesordnung"}, {"html": f"<ol>{agenda}</ol>"}]),
    }


def _conference(item, bodies):
    start = moment(item["days"], item["hour"], weekday=item["weekday"])
    fields = {
        "slug": item["slug"],
        "title": f"Sozialraumkonferenz {start.year}",
        "start": start,
        "end": start + timedelta(hours=item["hours"]),
        "location": f"{_place(item['location'])}, {item['room']}",
        "network_body": bodies["sozialraumkonferenz"],
        "is_conference": True,
        "intro": " ".join(item["intro"].split()),
        "body": stream(item["content"]),
    }
    if item.get("registration_open"):
        fields.update(
            registration_open=True,
            registration_deadline=start - timedelta(days=item["registration_closes_days_before"]),
            capacity=item["capacity"],
        )
    return fields


def seed_body_content(pages, bodies):
    """Everything that refers to network bodies: their pages, news and events; returns the events by slug."""
    fill_body_pages(bodies)
    for item in data()["news"]:
        child_page(
            pages["news"],
            NewsPage,
            item["slug"],
            title=item["title"],
            date=days_from_today(-item["days_ago"]),
            network_body=bodies.get(item.get("body")),
            intro=" ".join(item["intro"].split()),
            body=stream(item["content"]),
        )
    events = {}
    for item in data()["meetings"]:
        events[item["slug"]] = child_page(pages["events"], EventPage, **_meeting(item, bodies))
    for item in data()["conferences"]:
        events[item["slug"]] = child_page(pages["events"], EventPage, **_conference(item, bodies))
        if item.get("registrations"):
            register_attendees(events[item["slug"]], item["registrations"])
    return events


def register_attendees(conference, count):
    """Generated professionals, so the conference shows seats being taken; demo logins stay free to try."""
    attendees = (
        User.objects.filter(approval=User.Approval.APPROVED, memberships__isnull=False)
        .exclude(email__endswith="@example.org")
        .select_related("organisation")
        .distinct()
        .order_by("email")[:count]
    )
    for person in attendees:
        EventRegistration.objects.get_or_create(
            event=conference,
            email=person.email,
            defaults={
                "user": person,
                "name": person.public_name,
                "organisation": person.organisation.name if person.organisation else "",
            },
        )
