"""The demo pages of the Teltow network: page tree, formats, news, events and legal pages.

Pages are looked up by slug below their parent and only created when missing: a second run
neither duplicates them nor adds revisions, and whatever editors changed in the demo stays.
Texts follow the Sozialraumkonzept der Stadt Teltow (März 2021); contacts are functional.
"""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Site

from network.models import NetworkBody, User

from .models import (
    EventIndexPage,
    EventPage,
    EventRegistration,
    FormatIndexPage,
    FormatPage,
    HomePage,
    NetworkIndexPage,
    NewsIndexPage,
    NewsPage,
    SiteLinks,
    StandardPage,
)
from .services import ensure_body_page

SITE_NAME = "Sozialraumnetzwerk Teltow"
CITY_ADDRESS = "Stadt Teltow<br/>Sachgebiet Soziales und Sport<br/>Marktplatz 1-3<br/>14513 Teltow"
CONTACT_EMAIL = "sozialraum@example.org"
CONFERENCE_CAPACITY = 150
CONFERENCE_REGISTRATIONS = 12


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def quote(text, source=""):
    return {"type": "quote", "value": {"text": text, "source": source}}


def button(text, page):
    return {"type": "button", "value": {"text": text, "page": page.pk, "url": ""}}


def sections(*pairs):
    """Stream blocks from (heading, html) pairs, the shape of most demo texts."""
    blocks = []
    for title, html in pairs:
        blocks += [heading(title), paragraph(html)]
    return blocks


def mailto(address):
    return f'<a href="mailto:{address}">{address}</a>'


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


# --- Home page and indexes -------------------------------------------------------------------

HOME_INTRO = (
    "<p>Das Sozialraumnetzwerk Teltow verbindet Fachkräfte aus Kitas, Schulen, Beratungsstellen, Jugendarbeit, "
    "Vereinen, Pflege und Verwaltung. Auf Grundlage des Sozialraumkonzepts der Stadt Teltow arbeiten sie in "
    "Fokusgruppen zusammen, tauschen Wissen über die Grenzen ihrer Einrichtungen hinweg aus und gestalten "
    "gemeinsam gute Lebensbedingungen vor Ort.</p>"
)


def home_body(pages):
    return [
        *sections(
            (
                "Ein lebendiges Netzwerk",
                "<p>Zahlreiche Arbeitsgruppen, Netzwerke und Arbeitskreise haben sich in Teltow in den vergangenen "
                "Jahren zusammengefunden. Das Sozialraumkonzept verfestigt diese Struktur: Stadtweite Fokusgruppen "
                "arbeiten zu den Themenfeldern Bildung, Soziale Infrastruktur, Freizeit und Leben, Integration und "
                "Migration, Gesundheit und Pflege sowie Inklusion. Viele Fachkräfte sind Mitglied mehrerer Gruppen "
                "und stellen so den Querbezug zwischen den Themen her.</p>",
            ),
            (
                "Der jährliche Sozialplanungsprozess",
                "<ol><li>Die Fokusgruppen und ergänzenden Arbeitsstrukturen nehmen eine Bestandsaufnahme in ihren "
                "Themenfeldern vor und erarbeiten Zielvorschläge.</li><li>Ihre Ergebnisse bringen sie in die "
                "jährliche Sozialraumkonferenz ein, zu der der Bürgermeister alle Akteure des Sozialraums "
                "einlädt.</li><li>Auf dieser Grundlage und mit dem Sozialmonitoring der Stadtverwaltung erarbeitet "
                "die Lenkungsrunde Sozialplanung ein Planungspapier.</li><li>Die Stadtverordnetenversammlung "
                "entscheidet, was daraus in den Haushalt übernommen wird.</li></ol>",
            ),
            (
                "Für Fachkräfte",
                "<p>Fachkräfte aus Teltower Einrichtungen können sich hier registrieren. Nach der Freigabe durch die "
                "Sozialraumkoordination diskutieren sie im Forum ihrer Fokusgruppen, erhalten den Newsletter und "
                "melden sich zur Sozialraumkonferenz an.</p>",
            ),
        ),
        button("Die Netzwerkgremien", pages["network"]),
        button("Beteiligung und Engagement", pages["formats"]),
        button("Über das Sozialraumkonzept", pages["concept"]),
    ]


INDEXES = [
    (
        "network",
        NetworkIndexPage,
        "netzwerk-gremien",
        "Netzwerk",
        "<p>Im Sozialraumnetzwerk arbeiten Fachkräfte freier Träger, städtischer Einrichtungen und der Verwaltung "
        "in Fokusgruppen, in der Lenkungsrunde Sozialplanung und in ergänzenden Arbeitsgruppen zusammen. Jedes "
        "Gremium stellt sich hier mit seinen Aufgaben, seiner Moderation und seinen nächsten Terminen vor.</p>",
    ),
    (
        "formats",
        FormatIndexPage,
        "formate",
        "Beteiligung und Engagement",
        "<p>Jeder Einwohnerin und jedem Einwohner in Teltow steht es offen, die Arbeit der Stadt mitzugestalten. "
        "Hier finden Sie die Beteiligungsformate und die Formen des freiwilligen Engagements aus dem "
        "Sozialraumkonzept – bereits erprobte ebenso wie geplante.</p>",
    ),
    (
        "news",
        NewsIndexPage,
        "aktuelles",
        "Aktuelles",
        "<p>Neuigkeiten aus den Netzwerkgremien und von der Sozialraumkoordination.</p>",
    ),
    (
        "events",
        EventIndexPage,
        "termine",
        "Termine",
        "<p>Sitzungen der Netzwerkgremien und die jährliche Sozialraumkonferenz. Für die Konferenz melden Sie sich "
        "direkt auf der Terminseite an.</p>",
    ),
]


def ensure_home():
    """The HomePage as root of the default site, replacing Wagtail's initial welcome page."""
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title=SITE_NAME, slug="startseite", intro=HOME_INTRO)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME)
    elif site.root_page_id != home.pk or site.site_name != SITE_NAME:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    # Only now that no site points to it: deleting a site root would delete the site with it.
    plain_page = ContentType.objects.get_for_model(Page)
    welcome = Page.objects.filter(depth=2, content_type=plain_page, numchild=0, sites_rooted_here=None)
    for page in welcome:
        page.delete()
    return home


# --- Standard pages ----------------------------------------------------------------------------

CONCEPT_INTRO = (
    "Das Sozialraumkonzept der Stadt Teltow vom März 2021 beschreibt, wie Politik, Verwaltung, Fachkräfte und "
    "Bürger*innen ihre Stärken verbinden und gemeinsam gute Lebensbedingungen vor Ort gestalten."
)

CONCEPT_BODY = sections(
    (
        "Ausgangslage",
        "<p>Teltow gehört zu den am schnellsten wachsenden Mittelstädten Deutschlands. Mit dem Beitritt zum "
        "Sozialraumvertrag des Landkreises Potsdam-Mittelmark hat die Stadtverordnetenversammlung 2012 die "
        "Sozialraumorientierung zum Grundprinzip des städtischen Handelns gemacht. 2018 wurde eine Stelle für die "
        "Sozialraumkoordination geschaffen. Von November 2018 bis November 2020 entstand das Konzept in einem "
        "partizipativen Prozess mit Fachkräften, Politik und Verwaltung, begleitet von CAMINO – Werkstatt für "
        "Fortbildung, Praxisbegleitung und Forschung im sozialen Bereich gGmbH.</p>",
    ),
    (
        "Fünf Arbeitsprinzipien",
        "<p>Das Konzept folgt den Prinzipien der Sozialraumorientierung nach Wolfgang Hinte:</p><ul>"
        "<li><b>Orientierung an den Interessen und am Willen</b> der Menschen – Lösungen werden nicht von "
        "Fachleuten vorweggenommen, sondern gemeinsam entwickelt.</li>"
        "<li><b>Unterstützung von Eigeninitiative und Selbsthilfe</b> – die Selbstwirksamkeit der Menschen in "
        "Teltow wird gestärkt.</li>"
        "<li><b>Konzentration auf die Ressourcen</b> der Bürger*innen, ihrer sozialen Bezüge und aller Akteure "
        "im Sozialraum.</li>"
        "<li><b>Zielgruppen- und bereichsübergreifende Sichtweise</b> – auch Wohnungsunternehmen, Stadtplanung "
        "und Wirtschaftsförderung prägen das Leben in Teltow.</li>"
        "<li><b>Kooperation und Koordination</b> der verschiedenen Träger, Dienste und Einrichtungen vor "
        "Ort.</li></ul>",
    ),
    (
        "Handlungsfelder",
        "<ul><li><b>Kooperation vor Ort:</b> ein transparenter Sozialplanungsdialog in einer flexiblen "
        "Netzwerkstruktur aus Fokusgruppen, Lenkungsrunde und Sozialraumkonferenz.</li>"
        "<li><b>Beteiligung und Mitgestaltung:</b> offene Beteiligungsformate für Bürger*innen aller "
        "Altersgruppen, analog wie digital.</li>"
        "<li><b>Freiwilliges Engagement und Ehrenamt:</b> Anerkennung, Förderung und neue, auch digitale "
        "Angebote für Engagierte.</li>"
        "<li><b>Qualitätssicherung:</b> die neuen Strukturen und Arbeitsweisen werden regelmäßig überprüft und "
        "weiterentwickelt.</li></ul>",
    ),
    (
        "Steuerung",
        "<p>Die Lenkungsrunde Sozialplanung steuert die Umsetzung: Sie begleitet die Fokusgruppen, bewertet und "
        "priorisiert ihre Ergebnisse, bereitet die jährliche Sozialraumkonferenz vor und erarbeitet das "
        "Planungspapier für die Stadtverordnetenversammlung. Die Sozialraumkoordination moderiert die "
        "Lenkungsrunde, organisiert die Konferenz und sorgt für den Informationsfluss im Netzwerk.</p>",
    ),
    (
        "Ausblick",
        "<p>Das Konzept ist kein starres Regelwerk, sondern eine Einladung an alle, die soziale Stadtpolitik "
        "mitzugestalten. Die neuen Strukturen sollen immer wieder kritisch reflektiert und verbessert werden – "
        "Rückmeldungen sind ausdrücklich erwünscht.</p>",
    ),
) + [
    quote(
        "Es kann nur gemeinsam gelingen, gute Lebensbedingungen vor Ort zu gestalten.",
        "Vorwort des Bürgermeisters zum Sozialraumkonzept",
    ),
    heading("Grundsätze"),
    paragraph(
        "<ol><li>Die sozialen Akteure in Teltow setzen sich für Integration und Gerechtigkeit ein.</li>"
        "<li>Die soziale Stadtpolitik ist identitätsstiftend und soll die Bindungen zur Stadt stärken und die "
        "Lebensqualität weiter steigern.</li>"
        "<li>Die soziale Stadtpolitik in Teltow setzt sich ein für Solidarität und fördert ein tolerantes "
        "Miteinander.</li>"
        "<li>Die soziale Stadtpolitik in Teltow darf Ungleiches nicht gleich behandeln, weil sie sonst Ungleichheit "
        "verstärkt.</li>"
        "<li>Sie tritt gegen jede Form von Ausgrenzung und Rassismus ein.</li>"
        "<li>Die soziale Stadtpolitik soll Probleme aufzeigen, zur gemeinsamen Lösungssuche beitragen und "
        "Ergebnisse sichern.</li>"
        "<li>Dies geht einher mit verschiedenen Entwicklungsplanungen und Handlungskonzepten der Stadt.</li>"
        "<li>Die soziale Stadtpolitik ist sozialräumlich organisiert und querschnittsorientiert, sie geht dabei "
        "ressourcenorientiert vor und ermöglicht eine aktive Beteiligung der Menschen in Teltow.</li>"
        "<li>Die soziale Stadtpolitik berücksichtigt die Belange der Verwaltung und setzt sich für schlank "
        "organisierte Verwaltungsprozesse ein.</li></ol>"
    ),
]

IMPRESSUM_BODY = sections(
    (
        "Herausgeberin",
        f"<p>{CITY_ADDRESS}</p><p>Die Stadt Teltow ist eine Körperschaft des öffentlichen Rechts. Sie wird durch "
        "den Bürgermeister gesetzlich vertreten.</p>",
    ),
    ("Kontakt", f"<p>E-Mail: {mailto(CONTACT_EMAIL)}</p>"),
    (
        "Zuständige Aufsichtsbehörde",
        "<p>Landrat des Landkreises Potsdam-Mittelmark als allgemeine untere Landesbehörde (Kommunalaufsicht)</p>",
    ),
    (
        "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV",
        "<p>Stadt Teltow, Sachgebiet Soziales und Sport – Sozialraumkoordination, Anschrift wie oben</p>",
    ),
    (
        "Beiträge von Fachkräften",
        "<p>Für Beiträge im Forum der Netzwerkgremien sind ihre Verfasser*innen verantwortlich. Die Moderation "
        "der Gremien und die Sozialraumkoordination entfernen rechtswidrige Inhalte, sobald sie davon Kenntnis "
        f"erhalten. Hinweise nehmen wir unter {mailto(CONTACT_EMAIL)} entgegen.</p>",
    ),
    (
        "Haftung für Links",
        "<p>Dieses Angebot enthält Links zu Internetseiten Dritter, auf deren Inhalte wir keinen Einfluss haben. "
        "Für sie ist der jeweilige Anbieter verantwortlich. Zum Zeitpunkt der Verlinkung waren keine "
        "Rechtsverstöße erkennbar; werden uns solche bekannt, entfernen wir den Link umgehend.</p>",
    ),
    (
        "Urheberrecht",
        "<p>Texte, Bilder und Grafiken dieses Angebots sind urheberrechtlich geschützt. Eine Verwendung außerhalb "
        "dieses Angebots bedarf der Zustimmung der Stadt Teltow. Grundlage vieler Texte ist das "
        "Sozialraumkonzept der Stadt Teltow (Stand: März 2021).</p>",
    ),
)

PRIVACY_BODY = sections(
    (
        "Verantwortliche Stelle",
        f"<p>{CITY_ADDRESS}<br/>E-Mail: {mailto(CONTACT_EMAIL)}</p><p>Die Stadt Teltow wird durch den "
        "Bürgermeister vertreten.</p>",
    ),
    (
        "Datenschutzbeauftragte",
        "<p>Sie erreichen die behördliche Datenschutzbeauftragte der Stadt Teltow unter der Anschrift der Stadt "
        f"mit dem Zusatz „Datenschutzbeauftragte“ oder per E-Mail an {mailto('datenschutz@example.org')}.</p>",
    ),
    (
        "Aufruf der Internetseiten",
        "<p>Beim Aufruf dieser Seiten verarbeitet der Server technisch notwendige Daten: IP-Adresse, Datum und "
        "Uhrzeit, aufgerufene Adresse, übertragene Datenmenge sowie Browser und Betriebssystem. Das dient dem "
        "sicheren Betrieb des Angebots (Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit § 5 des Brandenburgischen "
        "Datenschutzgesetzes). Die Protokolle werden nach sieben Tagen gelöscht.</p>",
    ),
    (
        "Cookies",
        "<p>Wir setzen nur technisch notwendige Cookies ein: ein Sitzungscookie für angemeldete Personen und ein "
        "Cookie zum Schutz von Formularen vor Missbrauch (§ 25 Abs. 2 Nr. 2 TDDDG). Es gibt keine Analyse- oder "
        "Werbecookies und keine Einbindung von Diensten Dritter, die Ihr Verhalten verfolgen.</p>",
    ),
    (
        "Benutzerkonto für Fachkräfte",
        "<p>Für das Konto verarbeiten wir Ihre E-Mail-Adresse, ein verschlüsseltes Passwort, Ihre Angaben im "
        "Profil (Name, Organisation, Funktion, Kurzvorstellung, Profilbild), Ihre Mitgliedschaften in "
        "Netzwerkgremien und Ihre Beiträge im Forum. Die Sozialraumkoordination prüft neue Registrierungen, "
        "damit nur Fachkräfte Zugang erhalten. Wer eine Rolle in der Moderation oder Koordination hat, meldet "
        "sich zusätzlich mit einem zweiten Faktor (Authenticator-App) an; dafür speichern wir den geheimen "
        "Schlüssel der App. Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit § 5 BbgDSG, denn "
        "das Netzwerk dient der Sozialplanung der Stadt. Sie können Ihr Konto jederzeit löschen lassen; "
        "Forumsbeiträge werden dann anonymisiert.</p>",
    ),
    (
        "Newsletter",
        "<p>Den Newsletter versenden wir nur mit Ihrer Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO), die Sie per "
        "Bestätigungslink erteilen. Sie können ihn jederzeit über den Link in jeder Ausgabe abbestellen; Ihre "
        "Adresse wird dann aus dem Verteiler gelöscht.</p>",
    ),
    (
        "Anmeldung zu Veranstaltungen",
        "<p>Für die Anmeldung zur Sozialraumkonferenz und zu anderen Terminen verarbeiten wir Name, E-Mail-Adresse, "
        "Organisation und Ihre Hinweise, etwa zur Barrierefreiheit. Wir nutzen die Angaben zur Organisation der "
        "Veranstaltung und um Sie über Änderungen zu informieren, und löschen sie spätestens sechs Monate "
        "danach.</p>",
    ),
    (
        "Empfänger",
        "<p>Die Daten werden auf Servern eines Dienstleisters in Deutschland verarbeitet, der in unserem Auftrag "
        "und nach unseren Weisungen handelt (Art. 28 DSGVO). Eine Übermittlung in Staaten außerhalb der "
        "Europäischen Union findet nicht statt.</p>",
    ),
    (
        "Ihre Rechte",
        "<p>Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), "
        "Einschränkung der Verarbeitung (Art. 18) und Widerspruch (Art. 21). Eine Einwilligung können Sie "
        "jederzeit mit Wirkung für die Zukunft widerrufen. Sie können sich außerdem bei der Landesbeauftragten "
        "für den Datenschutz und für das Recht auf Akteneinsicht Brandenburg beschweren, Stahnsdorfer Damm 77, "
        "14532 Kleinmachnow.</p>",
    ),
)


def accessibility_body():
    return sections(
        (
            "Stand der Vereinbarkeit",
            "<p>Die Stadt Teltow ist bemüht, dieses Angebot im Einklang mit dem Brandenburgischen "
            "Behindertengleichstellungsgesetz und der Brandenburgischen Barrierefreie Informationstechnik-Verordnung "
            "barrierefrei zugänglich zu machen. Diese Internetseiten sind mit den Anforderungen teilweise vereinbar. "
            "Die Ausnahmen sind unten aufgeführt.</p>",
        ),
        (
            "Nicht barrierefreie Inhalte",
            "<ul><li>Ältere PDF-Dokumente, darunter Abbildungen aus dem Sozialraumkonzept von 2021, sind nicht "
            "vollständig barrierefrei. Auf Anfrage senden wir Ihnen die Inhalte in einer zugänglichen Form.</li>"
            "<li>Eingebettete Videos Dritter haben nicht immer Untertitel.</li>"
            "<li>Beiträge von Fachkräften im Forum prüfen wir nicht vorab auf Barrierefreiheit, etwa auf "
            "Alternativtexte für hochgeladene Bilder.</li></ul>",
        ),
        (
            "Erstellung dieser Erklärung",
            f"<p>Diese Erklärung beruht auf einer Selbstbewertung und wurde am {timezone.localdate():%d.%m.%Y} "
            "erstellt.</p>",
        ),
        (
            "Barrieren melden",
            "<p>Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder benötigen Sie Inhalte in einer anderen "
            f"Form? Schreiben Sie uns: {mailto(CONTACT_EMAIL)}, oder per Post an "
            f"{CITY_ADDRESS.replace('<br/>', ', ')}. "
            "Wir antworten Ihnen innerhalb von zwei Wochen.</p>",
        ),
        (
            "Schlichtungsverfahren",
            "<p>Wenn auch nach Ihrer Rückmeldung an uns keine zufriedenstellende Lösung gefunden wurde, können Sie "
            "sich an die Beauftragte der Landesregierung für die Belange der Menschen mit Behinderungen im Land "
            "Brandenburg wenden. Das Schlichtungsverfahren ist für Sie kostenlos.</p>",
        ),
    )


def standard_pages():
    """(key, slug, title, intro, body) of the content pages below the home page."""
    return [
        ("concept", "sozialraumkonzept", "Über das Sozialraumkonzept", CONCEPT_INTRO, CONCEPT_BODY),
        (
            "impressum",
            "impressum",
            "Impressum",
            "Angaben nach § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Medienstaatsvertrag (MStV).",
            IMPRESSUM_BODY,
        ),
        (
            "privacy",
            "datenschutz",
            "Datenschutzerklärung",
            "Wie die Stadt Teltow auf diesen Seiten mit Ihren personenbezogenen Daten umgeht.",
            PRIVACY_BODY,
        ),
        (
            "accessibility",
            "barrierefreiheit",
            "Erklärung zur Barrierefreiheit",
            "Wie barrierefrei dieses Angebot ist und wie Sie uns Barrieren melden.",
            accessibility_body(),
        ),
    ]


def ensure_pages():
    """The page tree without the parts that refer to network bodies; returns the pages by key."""
    home = ensure_home()
    pages = {"home": home}
    for key, model, slug, title, intro in INDEXES:
        pages[key] = child_page(home, model, slug, title=title, intro=intro)
    for key, slug, title, intro, body in standard_pages():
        pages[key] = child_page(home, StandardPage, slug, title=title, intro=intro, body=body)
    if not home.body:
        republish(home, body=home_body(pages))
    for format_data in FORMATS:
        child_page(pages["formats"], FormatPage, **format_data)
    ensure_site_links(pages)
    return pages


def ensure_site_links(pages):
    site = Site.objects.get(is_default_site=True)
    links = SiteLinks.for_site(site)
    wanted = {"impressum": pages["impressum"], "privacy": pages["privacy"], "accessibility": pages["accessibility"]}
    if any(getattr(links, f"{name}_id") != page.pk for name, page in wanted.items()):
        for name, page in wanted.items():
            setattr(links, name, page)
        links.save()


# --- Formats (sections 2.2 and 2.3 of the concept) ---------------------------------------------


def contact(unit, address):
    return f"Stadt Teltow\n{unit}\nMarktplatz 1-3, 14513 Teltow\n{address}"


SOCIAL = "Sachgebiet Soziales und Sport"
PUBLIC_RELATIONS = "Sachgebiet Öffentlichkeitsarbeit, Stadtmarketing, Tourismus und Kultur"
BETEILIGUNG = FormatPage.Category.BETEILIGUNG
ENGAGEMENT = FormatPage.Category.ENGAGEMENT
ACTIVE = FormatPage.Status.ACTIVE
PLANNED = FormatPage.Status.PLANNED

FORMATS = [
    {
        "slug": "kinder-und-jugendforum",
        "title": "Kinder- und Jugendforum",
        "category": BETEILIGUNG,
        "status": ACTIVE,
        "since_year": 2019,
        "gegenstandsbereich": "<p>Kinder- und Jugendbeteiligung</p>",
        "zielgruppe": "<p>Kinder und Jugendliche</p>",
        "zielsetzung": "<p>Das Forum fördert die Auseinandersetzung mit kinder- und jugendpolitischen Problemen "
        "und Entwicklungen und dient der Erarbeitung von Zielvorschlägen dazu.</p>",
        "umsetzung": "<p>Das Kinder- und Jugendforum wird einmal jährlich vom Bürgermeister einberufen. Als "
        "Gesamtvertretung setzt das Forum auf Vielfalt und strebt eine möglichst große Diversität der "
        "Teilnehmenden an. Zusammen mit erwachsenen Expert*innen aus Politik, Verwaltung und Organisationen "
        "diskutieren jährlich rund 80 junge Teilnehmerinnen und Teilnehmer in Workshops zu verschiedenen Themen. "
        "Dabei werden Ideen für die Stadt gesammelt und diskutiert und bereits konkrete Vorschläge zur Umsetzung "
        "entwickelt.</p>",
        "ergebnisse": "<p>Die Ergebnisse des Forums werden im Plenum präsentiert und im Nachgang der Stadtpolitik "
        "sowie der Öffentlichkeit zugänglich gemacht.</p>",
        "kontakt": contact(SOCIAL, "kinder-jugend@example.org"),
    },
    {
        "slug": "frag-doch-mal-den-buergermeister",
        "title": "Frag doch mal den Bürgermeister!",
        "category": BETEILIGUNG,
        "status": ACTIVE,
        "since_year": 2019,
        "gegenstandsbereich": "<p>Kinder- und Jugendbeteiligung</p>",
        "zielgruppe": "<p>Kinder und Jugendliche</p>",
        "zielsetzung": "<p>Dieses Format fördert den Dialog mit Kindern und Jugendlichen der Stadt Teltow und hilft "
        "ihnen dabei, ihre Perspektiven und Lösungsansätze einfließen zu lassen.</p>",
        "umsetzung": "<p>Das Format findet halbjährlich in Einrichtungen für Kinder und Jugendliche statt. Die "
        "jungen Bürger*innen können dem Bürgermeister ihre Fragen zur Kommunalpolitik und zur Stadtverwaltung "
        "stellen. Vor allem aber können sie Wünsche und Kritik äußern sowie Ideen einbringen.</p>",
        "ergebnisse": "<p>Die Ergebnisse werden von der Stadtverwaltung aufbereitet und an die zuständigen "
        "Fachbereiche weitergeleitet.</p>",
        "kontakt": contact(SOCIAL, "kinder-jugend@example.org"),
    },
    {
        "slug": "jugendbeirat",
        "title": "Jugendbeirat bzw. Kinder- und Jugendparlament",
        "category": BETEILIGUNG,
        "status": PLANNED,
        "gegenstandsbereich": "<p>Kinder- und Jugendbeteiligung</p>",
        "zielgruppe": "<p>Jugendliche</p>",
        "zielsetzung": "<p>Kinder und Jugendliche sollen Entscheidungs- und Verfahrensweisen in Teltow und in "
        "Kommunen allgemein kennenlernen und an Beratungs- und Entscheidungsverfahren auf Grundlage der "
        "Kommunalverfassung des Landes Brandenburg praktisch teilnehmen. So gewinnen sie Einblick in demokratisch "
        "legitimierte Prozesse; dem Gremium kommt ein allgemeiner politischer Bildungsauftrag zu.</p>",
        "ergebnisse": "<ul><li>Das Gremium kann helfen, Nachwuchs für die kommunalpolitische Arbeit und "
        "politisches Engagement zu gewinnen.</li><li>Seine Mitglieder werden an den Beratungen der "
        "Stadtverordnetenversammlung beteiligt und haben Teilnahme- und Rederecht in der "
        "Stadtverordnetenversammlung und ihren Ausschüssen.</li><li>In Angelegenheiten, die Kinder und "
        "Jugendliche betreffen, haben sie ein Initiativrecht für Anträge und Änderungsanträge.</li><li>Die "
        "Verwaltung konsultiert sie in allen Angelegenheiten, die Kinder und Jugendliche betreffen.</li></ul>",
        "kontakt": contact(SOCIAL, "kinder-jugend@example.org"),
    },
    {
        "slug": "tag-der-kinderrechte",
        "title": "Jährliche Aktion zum Tag der Kinderrechte",
        "category": BETEILIGUNG,
        "status": PLANNED,
        "gegenstandsbereich": "<p>Kinder- und Jugendbeteiligung</p>",
        "zielgruppe": "<p>Kinder und Jugendliche</p>",
        "zielsetzung": "<p>Kinder und Jugendliche, Eltern, Fachkräfte und die allgemeine Öffentlichkeit sollen auf "
        "die besonderen Rechte von Kindern aufmerksam gemacht werden.</p>",
        "ergebnisse": "<p>Am 20. November 1989 verabschiedeten die Vereinten Nationen die Kinderrechtskonvention. "
        "Zu diesem jährlichen Jubiläum stellt die Stadt Teltow gemeinsam mit verschiedenen Einrichtungen und "
        "Akteuren die Kinderrechte in den Mittelpunkt.</p>",
        "kontakt": contact(SOCIAL, "kinder-jugend@example.org"),
    },
    {
        "slug": "kommunale-buergerumfragen",
        "title": "Kommunale Bürgerumfragen",
        "category": BETEILIGUNG,
        "status": ACTIVE,
        "since_year": 2018,
        "gegenstandsbereich": "<p>Bürgerbeteiligung</p>",
        "zielgruppe": "<p>Bürger*innen der Stadt Teltow</p>",
        "zielsetzung": "<p>Die Wünsche und Anliegen der Bürger*innen sollen in die Leistungen und Angebote der "
        "Verwaltung einfließen. Neben anderen Beteiligungsformen sind die kommunalen Bürgerumfragen ein "
        "erfolgreiches Instrument des Dialogs zwischen Bürgerschaft, Politik und Verwaltung.</p>",
        "umsetzung": "<p>Die Sozialraumkoordination befragt seit 2018 die Teltower Bevölkerung. Die Umfragen "
        "versorgen Stadtpolitik, Stadtverwaltung und alle Interessierten mit aktuellen Informationen über die "
        "Lebenssituation der Teltower Bürgerschaft und ihre Meinungen zu planungsrelevanten Themen. Die "
        "Stadtverordneten werden bei der Erarbeitung und Auswertung in angemessener Form beteiligt.</p>",
        "ergebnisse": "<p>Die Ergebnisse werden ausgewertet und der Stadtpolitik sowie der Öffentlichkeit "
        "zugänglich gemacht.</p>",
        "kontakt": contact(f"{SOCIAL} – Sozialraumkoordination", "sozialraum@example.org"),
    },
    {
        "slug": "buergerhaushalt",
        "title": "Bürgerhaushalt",
        "category": BETEILIGUNG,
        "status": PLANNED,
        "gegenstandsbereich": "<p>Bürgerbeteiligung</p>",
        "zielgruppe": "<p>Bürger*innen der Stadt Teltow</p>",
        "zielsetzung": "<p>Die städtischen Finanzen sollen verständlich und nachvollziehbar dargestellt werden. Eine "
        "weitreichende Beteiligung der Menschen in Teltow soll möglich werden und ein dauerhafter Dialog zwischen "
        "Bürger*innen, Stadtpolitik und Verwaltung entstehen.</p>",
        "ergebnisse": "<p>Die Stadt Teltow beteiligt ihre Einwohner*innen jährlich über die gesetzlichen "
        "Möglichkeiten hinaus an der Gestaltung des Haushaltes, indem sie ein gesondertes Budget für Vorschläge "
        "der Bürger*innen zur Verfügung stellt.</p>",
        "kontakt": contact(PUBLIC_RELATIONS, "buergerhaushalt@example.org"),
    },
    {
        "slug": "lokale-agenda-21",
        "title": "Lokale Agenda 21",
        "category": BETEILIGUNG,
        "status": ACTIVE,
        "since_year": 1999,
        "gegenstandsbereich": "<p>Bürgerbeteiligung</p>",
        "zielgruppe": "<p>Bürger*innen der Stadt Teltow</p>",
        "zielsetzung": "<p>Das übergreifende Ziel ist ein gutes und nachhaltiges Leben für alle Menschen.</p>",
        "umsetzung": "<p>In den Arbeitsgruppen werden Vorschläge zu Projekten erarbeitet, die von der Verwaltung "
        "geprüft und gegebenenfalls von den Stadtverordneten beschlossen werden, um dann unter anderem von der "
        "Stadtverwaltung umgesetzt zu werden. Dieses Verfahren hat sich als sehr wirksam erwiesen und wird "
        "deshalb auch „Teltower Weg“ genannt. Dass Stadtverordnete aktiv in den Arbeitsgruppen mitwirken, fördert "
        "den Informationsfluss und die Meinungsbildung und stellt die Beschlüsse auf eine breite Basis.</p>",
        "ergebnisse": "<p>Für einen erfolgreichen Agenda-Prozess braucht es gute Ideen, die Einbindung in ein "
        "Gesamtkonzept mit einem verbindlichen Leitbild und die Einbindung in die politischen Gremien der "
        "Stadt.</p>",
        "kontakt": "Lokale Agenda 21 der Stadt Teltow\nMarktplatz 1-3, 14513 Teltow\nagenda21@example.org",
    },
    {
        "slug": "familienforum",
        "title": "Familienforum",
        "category": BETEILIGUNG,
        "status": PLANNED,
        "gegenstandsbereich": "<p>Bürgerbeteiligung</p>",
        "zielgruppe": "<p>Bürger*innen der Stadt Teltow</p>",
        "zielsetzung": "<p>Die Veranstaltung soll bereits umgesetzte Ideen und Projekte vorstellen und neue Ideen "
        "und Bedarfe aus der Bevölkerung aufgreifen. Die Bürger*innen können sich aktiv am Prozess zur "
        "familiengerechten Stadt beteiligen.</p>",
        "ergebnisse": "<p>Die Stadtverwaltung lädt gemeinsam mit ihren Partner*innen aus dem Sozialraum alle "
        "Bürger*innen zum Familienforum ein, um von den großen und kleinen Familienmitgliedern zu erfahren, wie "
        "sie Teltow erleben, was ihnen gefällt und wo sie konkrete Verbesserungsvorschläge haben. Gemeinsam "
        "werden Stärken entdeckt und Veränderungsideen entwickelt.</p>",
        "kontakt": contact(SOCIAL, "familie@example.org"),
    },
    {
        "slug": "stadtspaziergaenge",
        "title": "Stadtspaziergänge",
        "category": BETEILIGUNG,
        "status": PLANNED,
        "gegenstandsbereich": "<p>Bürgerbeteiligung</p>",
        "zielgruppe": "<p>Bürger*innen und weitere Beteiligte</p>",
        "zielsetzung": "<p>Mit Stadtspaziergängen und ähnlichen Aktionen soll Bürgerbeteiligung niedrigschwellig und "
        "praktisch erlebbar werden.</p>",
        "ergebnisse": "<p>Ohne besondere Voraussetzungen oder technische Hilfsmittel kommen Interessierte mit "
        "Vertreter*innen der Stadtverwaltung in einen sachbezogenen Austausch. Die Spaziergänge können "
        "thematisch oder sozialraumbezogen stattfinden. Die Ergebnisse werden dokumentiert und als Empfehlungen "
        "an Politik, Verwaltung und Organisationen übergeben.</p>",
        "kontakt": contact(SOCIAL, "beteiligung@example.org"),
    },
    {
        "slug": "seniorenbeirat",
        "title": "Seniorenbeirat",
        "category": BETEILIGUNG,
        "status": ACTIVE,
        "since_year": 2012,
        "gegenstandsbereich": "<p>Bürgerbeteiligung</p>",
        "zielgruppe": "<p>Senior*innen der Stadt Teltow</p>",
        "zielsetzung": "<p>Der Seniorenbeirat will die aktive Teilnahme der älteren Generation am "
        "gesellschaftlichen, kulturellen und politischen Leben der Stadt fördern und setzt sich für die "
        "Interessen der Senior*innen ein.</p>",
        "umsetzung": "<p>Die Mitglieder des Seniorenbeirates werden von den Stadtverordneten bis zum Ende der "
        "jeweiligen Wahlzeit der Stadtverordnetenversammlung ernannt, um die Interessen und gesellschaftlichen "
        "Belange der etwa 6.000 Teltower Senior*innen zu vertreten.</p>",
        "ergebnisse": "<p>Der Seniorenbeirat kann zu allen Maßnahmen und Beschlüssen, die Auswirkungen auf die "
        "Senior*innen in der Stadt haben, gegenüber der Stadtverordnetenversammlung und den Fachausschüssen "
        "Stellung nehmen.</p>",
        "kontakt": "Vorsitz des Seniorenbeirates der Stadt Teltow\nMarktplatz 1-3, 14513 Teltow\n"
        "seniorenbeirat@example.org",
    },
    {
        "slug": "teltower-ehrenamtspreis",
        "title": "Teltower Ehrenamtspreis",
        "category": ENGAGEMENT,
        "status": ACTIVE,
        "since_year": 2020,
        "gegenstandsbereich": "<p>Engagementförderung</p>",
        "zielgruppe": "<p>Vorgeschlagen werden können Personen oder Gruppen, die</p><ul><li>durch ihr soziales, "
        "kulturelles, sportliches oder sonstiges Engagement das Leben in der Stadt Teltow prägen und "
        "bereichern,</li><li>den interkulturellen Austausch, Toleranz und Integration stärken,</li><li>die "
        "Teilhabe, das Miteinander und eine gute Nachbarschaft fördern oder</li><li>hilfsbedürftigen Menschen "
        "zur Seite stehen.</li></ul>",
        "zielsetzung": "<p>Zahlreiche Menschen in Teltow engagieren sich in ihrer Freizeit auf vielfältige Weise für "
        "die Gemeinschaft. Mit dem Preis wird dieses für Teltow unerlässliche Engagement öffentlich gewürdigt und "
        "gestärkt.</p>",
        "umsetzung": "<p>Der Teltower Ehrenamtspreis zeichnet Menschen aus, die sich durch ihr freiwilliges "
        "Engagement in Teltow verdient gemacht haben. Er wird seit 2020 einmal im Jahr in drei Kategorien "
        "vergeben:</p><ul><li>Nachwuchs (für Personen oder Gruppen bis 27 Jahre),</li><li>Ehrenamtliches Projekt "
        "(für innovative Projekte, Vereine, Initiativen oder Aktionen),</li><li>Lebenswerk (für langjähriges "
        "Engagement über mindestens 25 Jahre).</li></ul>",
        "kontakt": contact(SOCIAL, "ehrenamt@example.org"),
    },
    {
        "slug": "ehrenamtsboerse",
        "title": "Ehrenamtsbörse",
        "category": ENGAGEMENT,
        "status": ACTIVE,
        "since_year": 2021,
        "gegenstandsbereich": "<p>Engagementförderung</p>",
        "zielgruppe": "<p>Alle interessierten Bürger*innen sowie die Träger der Region</p>",
        "zielsetzung": "<p>Die Ehrenamtsbörse fördert und vereinfacht freiwilliges Engagement: Sie verschafft einen "
        "Überblick über die vielfältigen Angebote in der Stadt und erleichtert Engagierten den Zugang zu "
        "ihnen.</p>",
        "umsetzung": "<p>Die Stadt Teltow hat beschlossen, eine Ehrenamtsbörse im Sinne einer elektronischen "
        "Pinnwand einzurichten. Sie wird in Zusammenarbeit mit dem Landkreis Potsdam-Mittelmark verwaltet.</p>",
        "kontakt": contact(SOCIAL, "ehrenamt@example.org"),
    },
    {
        "slug": "helfende-haende",
        "title": "Helfende Hände",
        "category": ENGAGEMENT,
        "status": ACTIVE,
        "since_year": 2020,
        "gegenstandsbereich": "<p>Nachbarschaftshilfe</p>",
        "zielgruppe": "<p>Bürger*innen jeden Alters, die im Alltag regelmäßig oder punktuell auf Hilfe angewiesen "
        "sind. Wer sich als freiwillige*r Helfer*in registrieren lassen möchte, braucht keine besonderen "
        "Voraussetzungen.</p>",
        "zielsetzung": "<p>Ein niedrigschwelliges System nachbarschaftlicher Unterstützung: So erledigten etwa "
        "jüngere Nachbar*innen Einkäufe für ältere Menschen, die ihre Wohnung während der Pandemie nicht "
        "verlassen konnten oder wollten.</p>",
        "umsetzung": "<p>Die „Helfenden Hände“ entstanden während der Corona-Pandemie, um Menschen im Alltag schnell "
        "und unkompliziert zu unterstützen. Eine Mitarbeiterin der Stadtverwaltung bringt Hilfesuchende und "
        "Helfer*innen zusammen. Die Stadt kooperiert dabei mit der Evangelischen Kirchengemeinde Teltow.</p>",
        "ergebnisse": "<p>Durch die Kooperation ist ein weitreichendes Netzwerk entstanden. Es soll dauerhaft "
        "erhalten bleiben und Teil des freiwilligen Engagements in Teltow werden. Neben der Telefon-Hotline soll "
        "künftig ein Online-Portal die Abstimmung der Hilfe erleichtern.</p>",
        "kontakt": contact(PUBLIC_RELATIONS, "helfende-haende@example.org"),
    },
]


# --- Pages of the network bodies -----------------------------------------------------------------

FOCUS_GROUP_SECTIONS = [
    (
        "Aufgaben",
        "<ul><li>eine Bestandsaufnahme im eigenen Themengebiet vornehmen,</li><li>Zielvorschläge für das "
        "Handlungsfeld erarbeiten,</li><li>Informationen mit Unterstützung der Sozialraumkoordination an die "
        "anderen Gruppen weitergeben,</li><li>Ergebnisse in die jährliche Sozialraumkonferenz einbringen.</li></ul>",
    ),
    (
        "Arbeitsweise",
        "<p>Die Fokusgruppe wird von einer Mitarbeiterin oder einem Mitarbeiter der Stadtverwaltung (bei der "
        "Fokusgruppe Kita von der Werkleitung des Kita-Eigenbetriebes) moderiert, arbeitet aber "
        "eigenverantwortlich. Grundlage sind die Grundsätze der Lenkungsrunde Sozialplanung zu "
        "Funktion, Auftrag, Teilnehmerkreis, Organisation und Qualitätsstandards. Die Gruppe hat eine "
        "informierende und beratende Funktion und unterstützt so die politische Entscheidungsfindung.</p>",
    ),
]

KIND_SECTIONS = {
    NetworkBody.Kind.FOKUSGRUPPE: FOCUS_GROUP_SECTIONS,
    NetworkBody.Kind.LENKUNGSRUNDE: [
        (
            "Aufgaben",
            "<ul><li>Fokusgruppen und ergänzende Arbeitsstrukturen beraten und begleiten</li><li>Gesamtprozess und "
            "Ergebnisse der Fokusgruppen bewerten und priorisieren</li><li>die strategische Planung für den "
            "Sozialraum Teltow vornehmen</li><li>soziale Problemlagen bereichsübergreifend betrachten</li><li>fach- "
            "und ressortübergreifendes Denken und Handeln fördern</li><li>Sozialraumkonferenzen vorbereiten</li>"
            "<li>den Informationstransfer in die Stadtpolitik sicherstellen</li></ul>",
        ),
        (
            "Zusammensetzung",
            "<p>Die Lenkungsrunde setzt sich ausgewogen aus Akteuren der Fokusgruppen und der Stadtverwaltung "
            "zusammen; die Regionalkoordination (REKO) des Landkreises sichert den Austausch zwischen Landkreis und "
            "Stadt. Fachleute und Gäste können beratend angehört werden. Die Sozialraumkoordination lädt ein, "
            "moderiert und dokumentiert die Sitzungen.</p>",
        ),
    ],
    NetworkBody.Kind.KONFERENZ: [
        (
            "Ablauf",
            "<p>Die Fokusgruppen und ergänzenden Arbeitsstrukturen stellen ihre Ergebnisse vor, in Workshops "
            "werden sie gemeinsam weiterentwickelt. Die Sozialraumkoordination dokumentiert die Ergebnisse und "
            "gibt sie in den Sozialraum und an den Landkreis Potsdam-Mittelmark weiter. Zusammen mit dem "
            "Sozialmonitoring der Stadt bilden sie die Grundlage für das Planungspapier der Lenkungsrunde.</p>",
        ),
        (
            "Teilnahme",
            "<p>Eingeladen sind alle, die im Teltower Sozialraum wirken. Die Anmeldung zur nächsten Konferenz "
            "finden Sie unter „Termine“.</p>",
        ),
    ],
    NetworkBody.Kind.ARBEITSGRUPPE: [
        (
            "Ergänzende Arbeitsstruktur",
            "<p>Für einzelne Themen des Sozialraums bildet das Netzwerk neben den Fokusgruppen zeitlich begrenzte "
            "Arbeitsgruppen. Ihre Ergebnisse bündelt und bewertet die Lenkungsrunde Sozialplanung.</p>",
        ),
    ],
    NetworkBody.Kind.BEIRAT: [
        (
            "Beteiligung",
            "<p>Beiräte geben einer Bevölkerungsgruppe eine Stimme gegenüber der Stadtverordnetenversammlung. Mehr "
            "dazu finden Sie unter „Beteiligung und Engagement“.</p>",
        ),
    ],
}


def fill_body_pages(bodies):
    """Give each body page its content once; the signal made the page with only the purpose as intro."""
    for body in bodies.values():
        page = ensure_body_page(body)
        if page is None or page.content:
            continue
        republish(page, intro=body.purpose, content=sections(*KIND_SECTIONS[body.kind]))


# --- News and events --------------------------------------------------------------------------


def _days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def news_items(bodies):
    return [
        {
            "slug": "fokusgruppe-inklusion-in-vorbereitung",
            "title": "Fokusgruppe Inklusion in Vorbereitung",
            "date": _days_ago(6),
            "network_body": bodies["fg-inklusion"],
            "intro": "Für das Themenfeld Inklusion entsteht eine eigene Fokusgruppe. Interessierte Fachkräfte "
            "können sich schon jetzt anschließen.",
            "body": [
                paragraph(
                    "<p>Das Sozialraumkonzept sieht für jedes Themenfeld eine Fokusgruppe vor. Für die Inklusion "
                    "bereitet die Sozialraumkoordination die Gruppe jetzt gemeinsam mit Kitas, Schulen, "
                    "Selbsthilfegruppen und Vereinen vor. In einer ersten Sitzung soll eine Bestandsaufnahme der "
                    "inklusiven Angebote in Teltow beginnen.</p>"
                ),
                paragraph(
                    "<p>Wer mitarbeiten möchte, tritt der Fokusgruppe auf ihrer Seite bei oder schreibt an "
                    f"{mailto(CONTACT_EMAIL)}.</p>"
                ),
            ],
        },
        {
            "slug": "planungspapier-vorgelegt",
            "title": "Lenkungsrunde legt Planungspapier vor",
            "date": _days_ago(24),
            "network_body": bodies["lenkungsrunde-sozialplanung"],
            "intro": "Die Lenkungsrunde Sozialplanung hat die Ergebnisse der Fokusgruppen und der "
            "Sozialraumkonferenz in ihrem jährlichen Planungspapier gebündelt.",
            "body": [
                paragraph(
                    "<p>Grundlage sind die Zielvorschläge der Fokusgruppen, die Ergebnisse der Sozialraumkonferenz "
                    "und das Sozialmonitoring der Stadtverwaltung. Das Planungspapier geht nun an die "
                    "Stadtverordnetenversammlung, die entscheidet, welche Vorschläge in den Haushalt übernommen "
                    "werden.</p>"
                ),
                paragraph(
                    "<p>Schwerpunkte sind in diesem Jahr die Übergänge von der Kita in die Schule, die offene "
                    "Jugendarbeit in den wachsenden Ortsteilen und die Beratung pflegender Angehöriger.</p>"
                ),
            ],
        },
        {
            "slug": "forum-und-newsletter-fuer-fachkraefte",
            "title": "Neu: Forum und Newsletter für Fachkräfte",
            "date": _days_ago(45),
            "network_body": None,
            "intro": "Das Sozialraumkonzept hat ihn angekündigt, jetzt ist er da: der digitale Austausch für "
            "Fachkräfte im Sozialraumnetzwerk.",
            "body": [
                quote(
                    "Ein weiterer digitaler Transfer von Wissen und Informationen ist in Planung und soll die "
                    "Kommunikation innerhalb des Sozialraums weiter stärken. Dabei gehören sowohl ein Newsletter als "
                    "auch ein digitales Forum für Fachkräfte zu den gegenwärtigen Überlegungen.",
                    "Sozialraumkonzept der Stadt Teltow, Abschnitt 2.1",
                ),
                paragraph(
                    "<p>Jede Fokusgruppe hat ein eigenes Forum. Fachkräfte registrieren sich mit ihrer dienstlichen "
                    "E-Mail-Adresse; die Sozialraumkoordination gibt die Konten frei. Der Newsletter berichtet "
                    "regelmäßig aus allen Gremien.</p>"
                ),
            ],
        },
    ]


def _at(days_ahead, hour, minute=0, weekday=None):
    """A time `days_ahead` from today, moved to the next given weekday so demo dates stay plausible."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    if weekday is not None:
        day += timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


RATHAUS = "Rathaus Teltow, Marktplatz 1-3, 14513 Teltow"
BUERGERHAUS = "Bürgerhaus am Markt, Ritterstraße 2, 14513 Teltow"
MONDAY, TUESDAY, WEDNESDAY, THURSDAY = range(4)


def _meeting(slug, body, days, weekday, hour, location, agenda):
    start = _at(days, hour, weekday=weekday)
    return {
        "slug": slug,
        "title": f"Sitzung der {body.name}",
        "start": start,
        "end": start + timedelta(hours=2),
        "location": location,
        "network_body": body,
        "intro": f"Regelmäßige Sitzung der {body.name}. Gäste sind nach Absprache mit der Moderation willkommen.",
        "body": [heading("Tagesordnung"), paragraph(f"<ol>{''.join(f'<li>{item}</li>' for item in agenda)}</ol>")],
    }


def event_items(bodies):
    conference_start = _at(70, 9, weekday=WEDNESDAY)
    last_conference = _at(-300, 9, weekday=WEDNESDAY)
    return [
        _meeting(
            "sitzung-fg-kita", bodies["fg-kita"], 9, TUESDAY, 14, "Kita Sonnenblume, Jahnstraße 8, 14513 Teltow",
            ["Bestandsaufnahme Betreuungsplätze", "Übergang Kita–Schule mit der FG Schule", "Verschiedenes"],
        ),
        _meeting(
            "sitzung-fg-jugendarbeit", bodies["fg-jugendarbeit"], 12, THURSDAY, 16,
            "Jugendclub Kanalwerk, Hoher Steinweg 9, 14513 Teltow",
            ["Angebote in den Ferien", "Vorschläge für den Jugendbeirat", "Berichte aus den Einrichtungen"],
        ),
        _meeting(
            "sitzung-fg-schule", bodies["fg-schule"], 16, WEDNESDAY, 15, RATHAUS,
            ["Schulsozialarbeit an allen Schulen", "Übergang Kita–Schule", "Vorbereitung Sozialraumkonferenz"],
        ),
        _meeting(
            "sitzung-fg-praevention", bodies["fg-praevention"], 23, MONDAY, 10,
            "Familienzentrum Teltow-Mitte, Breite Straße 10, 14513 Teltow",
            ["Wegweiser Beratungsangebote", "Zielvorschläge für das Planungspapier", "Verschiedenes"],
        ),
        _meeting(
            "sitzung-fg-gesundheit-und-pflege", bodies["fg-gesundheit-und-pflege"], 30, TUESDAY, 14,
            "Seniorenzentrum am Teltowkanal, Elbstraße 40, 14513 Teltow",
            ["Entlastung pflegender Angehöriger", "Bericht des Seniorenbeirates", "Verschiedenes"],
        ),
        _meeting(
            "sitzung-lenkungsrunde", bodies["lenkungsrunde-sozialplanung"], 37, THURSDAY, 9, RATHAUS,
            ["Ergebnisse der Fokusgruppen", "Programm der Sozialraumkonferenz", "Zeitplan Planungspapier"],
        ),
        {
            "slug": "sozialraumkonferenz",
            "title": f"Sozialraumkonferenz {conference_start.year}",
            "start": conference_start,
            "end": conference_start + timedelta(hours=6),
            "location": f"{BUERGERHAUS}, Großer Saal",
            "network_body": bodies["sozialraumkonferenz"],
            "is_conference": True,
            "registration_open": True,
            "registration_deadline": conference_start - timedelta(days=14),
            "capacity": CONFERENCE_CAPACITY,
            "intro": "Der Bürgermeister lädt alle Akteure des Teltower Sozialraums zur jährlichen "
            "Sozialraumkonferenz ein. Die Fokusgruppen stellen ihre Ergebnisse vor und entwickeln sie gemeinsam "
            "weiter.",
            "body": [
                heading("Programm"),
                paragraph(
                    "<ul><li>9:00 Uhr Ankommen</li><li>9:30 Uhr Begrüßung durch den Bürgermeister</li>"
                    "<li>10:00 Uhr Ergebnisse der Fokusgruppen</li><li>11:30 Uhr Workshops in den Themenfeldern</li>"
                    "<li>13:00 Uhr Mittagspause</li><li>14:00 Uhr Ergebnisse der Workshops und Ausblick auf das "
                    "Planungspapier</li><li>15:00 Uhr Ende</li></ul>"
                ),
                heading("Barrierefreiheit"),
                paragraph(
                    "<p>Der Saal ist stufenlos erreichbar. Wenn Sie Gebärdensprachdolmetschung oder andere "
                    "Unterstützung brauchen, geben Sie das bitte bei der Anmeldung an.</p>"
                ),
            ],
        },
        {
            "slug": "sozialraumkonferenz-rueckblick",
            "title": f"Sozialraumkonferenz {last_conference.year}",
            "start": last_conference,
            "end": last_conference + timedelta(hours=6),
            "location": f"{BUERGERHAUS}, Großer Saal",
            "network_body": bodies["sozialraumkonferenz"],
            "is_conference": True,
            "intro": "Rund 120 Fachkräfte aus allen Themenfeldern haben Ergebnisse ausgetauscht und Vorschläge für "
            "das Planungspapier erarbeitet.",
            "body": sections(
                (
                    "Ergebnisse",
                    "<p>Die Dokumentation der Workshops ist an die Lenkungsrunde Sozialplanung gegangen und floss in "
                    "das Planungspapier für die Stadtverordnetenversammlung ein.</p>",
                )
            ),
        },
    ]


def seed_body_content(pages, bodies):
    """Everything that refers to network bodies: their pages, news and events."""
    fill_body_pages(bodies)
    for item in news_items(bodies):
        child_page(pages["news"], NewsPage, **item)
    events = {item["slug"]: child_page(pages["events"], EventPage, **item) for item in event_items(bodies)}
    _register_attendees(events["sozialraumkonferenz"])


def _register_attendees(conference):
    """A few generated professionals, so the conference shows seats being taken; demo logins stay free to try."""
    attendees = (
        User.objects.filter(approval=User.Approval.APPROVED, memberships__isnull=False)
        .exclude(email__endswith="@example.org")
        .select_related("organisation")
        .distinct()
        .order_by("email")[:CONFERENCE_REGISTRATIONS]
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
