"""The demo network of Teltow: Themenfelder, bodies, organisations and people.

Every record is keyed on a slug or an e-mail address, so a second run finds what the first
one made and changes nothing. People are generated from a fixed random seed for the same
reason. Names, addresses and domains are fictional; contacts are functional example.org
addresses, never the personal contacts printed in the Sozialraumkonzept.
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

from . import access
from .models import ApprovedDomain, Membership, NetworkBody, Organisation, Themenfeld, User

DEMO_PASSWORD = "teltow-demo-2026"
# Public on purpose: one secret for every demo account that must log in with TOTP.
# 32 base32 characters (20 bytes), the length authenticator apps and allauth expect.
DEMO_TOTP_SECRET = "TELTOWDEMOSOZIALRAUMNETZWERKTOTP"
RANDOM_SEED = 2021
POSTCODE = "14513"

CITY_CONTACT = "Stadt Teltow, Sachgebiet Soziales und Sport, sozialraum@example.org"


THEMENFELDER = [
    (
        "bildung",
        "Bildung",
        "Frühkindliche und schulische Bildung; abgedeckt von den Fokusgruppen Kita und Schule.",
    ),
    (
        "soziale-infrastruktur",
        "Soziale Infrastruktur",
        "Beratungsstellen, Selbsthilfegruppen und Familienzentrum; die Fokusgruppe Prävention bündelt den Austausch.",
    ),
    (
        "freizeit-und-leben",
        "Freizeit und Leben",
        "Kultur und Freizeit, freiwilliges Engagement und Jugendarbeit – mit je einer eigenen Fokusgruppe.",
    ),
    (
        "integration-und-migration",
        "Integration und Migration",
        "Austausch aller, die Menschen mit Migrationsgeschichte in Teltow begleiten.",
    ),
    (
        "gesundheit-und-pflege",
        "Gesundheit und Pflege",
        "Gesundheitsförderung, Pflege und Unterstützung im Alter.",
    ),
    (
        "inklusion",
        "Inklusion",
        "Teilhabe von Menschen mit Behinderung in allen Lebensbereichen; eine Fokusgruppe ist in Planung.",
    ),
]


@dataclass(frozen=True)
class BodyData:
    slug: str
    name: str
    short_name: str
    kind: str
    themenfeld: str | None
    purpose: str
    contact: str
    status: str = NetworkBody.Status.ACTIVE
    visibility: str = NetworkBody.Visibility.PROFESSIONALS


def _focus_group_purpose(field_text, members_text):
    return (
        f"Die Fokusgruppe bündelt den fachlichen Austausch {field_text}. "
        f"In ihr arbeiten {members_text} zusammen. Sie nimmt eine Bestandsaufnahme in ihrem Themengebiet vor, "
        "erarbeitet Zielvorschläge für ihr Handlungsfeld und gibt ihre Ergebnisse mit Unterstützung der "
        "Sozialraumkoordination an die anderen Gruppen weiter."
    )


# The Sozialraumkoordination is deliberately not a body here although DOMAIN.md lists it under
# "Other bodies": it is one office, not a circle of members with a forum. On the platform it is
# the role (Django group) of the same name, and it moderates the Lenkungsrunde, the conference
# and the working groups below.
BODIES = [
    BodyData(
        "fg-kita",
        "Fokusgruppe Kita",
        "FG Kita",
        NetworkBody.Kind.FOKUSGRUPPE,
        "bildung",
        _focus_group_purpose(
            "zur frühkindlichen Bildung, Betreuung und Erziehung",
            "Leitungen und Fachkräfte der Kitas in kommunaler und freier Trägerschaft",
        ),
        "Kita-Eigenbetrieb der Stadt Teltow, Werkleitung, fg-kita@example.org",
    ),
    BodyData(
        "fg-schule",
        "Fokusgruppe Schule",
        "FG Schule",
        NetworkBody.Kind.FOKUSGRUPPE,
        "bildung",
        _focus_group_purpose(
            "zu schulischer Bildung, Horten und den Übergängen von der Kita in die Schule und in den Beruf",
            "Schulleitungen, Lehrkräfte, Horte und Schulsozialarbeit",
        ),
        "Stadt Teltow, Sachgebiet Soziales und Sport, fg-schule@example.org",
    ),
    BodyData(
        "fg-praevention",
        "Fokusgruppe Prävention",
        "FG Prävention",
        NetworkBody.Kind.FOKUSGRUPPE,
        "soziale-infrastruktur",
        _focus_group_purpose(
            "zur sozialen Infrastruktur und zur Prävention",
            "Beratungsstellen, Selbsthilfegruppen und das Familienzentrum",
        ),
        "Stadt Teltow, Sachgebiet Soziales und Sport, fg-praevention@example.org",
        visibility=NetworkBody.Visibility.MEMBERS,
    ),
    BodyData(
        "fg-kultur-und-freizeit",
        "Fokusgruppe Kultur und Freizeit",
        "FG Kultur und Freizeit",
        NetworkBody.Kind.FOKUSGRUPPE,
        "freizeit-und-leben",
        _focus_group_purpose(
            "zu Kultur- und Freizeitangeboten in Teltow",
            "das Bürgerhaus, Kultureinrichtungen, Sportvereine und Kulturschaffende",
        ),
        "Stadt Teltow, Sachgebiet Öffentlichkeitsarbeit, Stadtmarketing, Tourismus und Kultur, "
        "fg-kultur@example.org",
    ),
    BodyData(
        "fg-freiwilliges-engagement",
        "Fokusgruppe Freiwilliges Engagement",
        "FG Freiwilliges Engagement",
        NetworkBody.Kind.FOKUSGRUPPE,
        "freizeit-und-leben",
        _focus_group_purpose(
            "zum freiwilligen Engagement und Ehrenamt",
            "Vereine, Initiativen und die Freiwilligenagentur",
        ),
        "Stadt Teltow, Sachgebiet Soziales und Sport, ehrenamt@example.org",
    ),
    BodyData(
        "fg-jugendarbeit",
        "Fokusgruppe Jugendarbeit",
        "FG Jugendarbeit",
        NetworkBody.Kind.FOKUSGRUPPE,
        "freizeit-und-leben",
        _focus_group_purpose(
            "der offenen und mobilen Jugendarbeit",
            "Jugendfreizeiteinrichtungen, mobile Jugendarbeit und Schulsozialarbeit",
        ),
        "Stadt Teltow, Sachgebiet Soziales und Sport, kinder-jugend@example.org",
    ),
    BodyData(
        "fg-integration-und-migration",
        "Fokusgruppe Integration und Migration",
        "FG Integration und Migration",
        NetworkBody.Kind.FOKUSGRUPPE,
        "integration-und-migration",
        _focus_group_purpose(
            "zu Integration und Migration",
            "Migrationsberatung, Willkommensinitiativen, Sprachkursträger, Schulen und Kitas",
        ),
        "Stadt Teltow, Sachgebiet Soziales und Sport, integration@example.org",
    ),
    BodyData(
        "fg-gesundheit-und-pflege",
        "Fokusgruppe Gesundheit und Pflege",
        "FG Gesundheit und Pflege",
        NetworkBody.Kind.FOKUSGRUPPE,
        "gesundheit-und-pflege",
        _focus_group_purpose(
            "zu Gesundheit, Pflege und Unterstützung im Alter",
            "Pflegedienste, Senioreneinrichtungen, der Pflegestützpunkt und Selbsthilfegruppen",
        ),
        "Stadt Teltow, Sachgebiet Soziales und Sport, gesundheit-pflege@example.org",
    ),
    BodyData(
        "fg-inklusion",
        "Fokusgruppe Inklusion",
        "FG Inklusion",
        NetworkBody.Kind.FOKUSGRUPPE,
        "inklusion",
        "In Planung: Die Fokusgruppe soll den Austausch zur Teilhabe von Menschen mit Behinderung in allen "
        "Lebensbereichen bündeln – von der Kita über Schule und Arbeit bis zu Freizeit und Wohnen. Wie die "
        "anderen Fokusgruppen wird sie eine Bestandsaufnahme vornehmen und Zielvorschläge erarbeiten. "
        "Interessierte Fachkräfte können sich schon jetzt anschließen.",
        CITY_CONTACT,
        status=NetworkBody.Status.PLANNED,
    ),
    BodyData(
        "lenkungsrunde-sozialplanung",
        "Lenkungsrunde Sozialplanung",
        "Lenkungsrunde",
        NetworkBody.Kind.LENKUNGSRUNDE,
        None,
        "Die stadtweite, formal eingesetzte Steuerungsgruppe des Sozialraumkonzepts. Sie berät und begleitet die "
        "Fokusgruppen und ergänzenden Arbeitsstrukturen, bewertet und priorisiert deren Ergebnisse, bereitet die "
        "Sozialraumkonferenz vor und erarbeitet jährlich das Planungspapier für die Stadtverordnetenversammlung. "
        "Ihre Mitglieder kommen aus den Fokusgruppen und der Stadtverwaltung; die Regionalkoordination (REKO) des "
        "Landkreises Potsdam-Mittelmark nimmt teil.",
        "Sozialraumkoordination der Stadt Teltow, sozialraum@example.org",
        visibility=NetworkBody.Visibility.MEMBERS,
    ),
    BodyData(
        "sozialraumkonferenz",
        "Sozialraumkonferenz",
        "Sozialraumkonferenz",
        NetworkBody.Kind.KONFERENZ,
        None,
        "Einmal im Jahr lädt der Bürgermeister alle im Sozialraum wirkenden Akteure zur Sozialraumkonferenz ein. "
        "Sie ist der Rahmen für Vernetzung, inhaltliche Abstimmung und den Austausch von Wissen und Erfahrungen. "
        "Die Fokusgruppen bringen ihre Ergebnisse ein; daraus entstehen Impulse für die Teltower Stadtpolitik und "
        "die Weiterentwicklung des Sozialraumkonzepts.",
        "Sozialraumkoordination der Stadt Teltow, sozialraum@example.org",
    ),
    BodyData(
        "ag-familienfreundliche-stadt",
        "Arbeitsgruppe Familienfreundliche Stadt",
        "AG Familienfreundliche Stadt",
        NetworkBody.Kind.ARBEITSGRUPPE,
        None,
        "Ergänzende Arbeitsstruktur zur Vorbereitung des geplanten Familienforums: Die Arbeitsgruppe trägt "
        "zusammen, was für Familien in Teltow bereits umgesetzt wurde, greift Bedarfe aus der Bevölkerung auf und "
        "bringt Vorschläge für eine familiengerechte Stadt in die Lenkungsrunde Sozialplanung ein.",
        "Sozialraumkoordination der Stadt Teltow, familie@example.org",
    ),
    BodyData(
        "ag-kinderrechte",
        "Arbeitsgruppe Tag der Kinderrechte",
        "AG Kinderrechte",
        NetworkBody.Kind.ARBEITSGRUPPE,
        None,
        "Ergänzende Arbeitsstruktur, die gemeinsam mit Kitas, Schulen und Jugendeinrichtungen die jährliche Aktion "
        "zum Tag der Kinderrechte am 20. November vorbereitet, um Kinder, Eltern, Fachkräfte und die Öffentlichkeit "
        "auf die besonderen Rechte von Kindern aufmerksam zu machen.",
        "Stadt Teltow, Sachgebiet Soziales und Sport, kinder-jugend@example.org",
    ),
    BodyData(
        "seniorenbeirat",
        "Seniorenbeirat der Stadt Teltow",
        "Seniorenbeirat",
        NetworkBody.Kind.BEIRAT,
        None,
        "Der Seniorenbeirat vertritt seit 2012 die Interessen und gesellschaftlichen Belange der etwa 6.000 "
        "Teltower Senior*innen. Er fördert die aktive Teilnahme der älteren Generation am gesellschaftlichen, "
        "kulturellen und politischen Leben und nimmt gegenüber der Stadtverordnetenversammlung und ihren "
        "Fachausschüssen zu allen Maßnahmen Stellung, die Senior*innen betreffen.",
        "Vorsitz des Seniorenbeirates, seniorenbeirat@example.org",
    ),
    BodyData(
        "jugendbeirat",
        "Jugendbeirat bzw. Kinder- und Jugendparlament",
        "Jugendbeirat",
        NetworkBody.Kind.BEIRAT,
        None,
        "In Planung: Ein Jugendbeirat bzw. Kinder- und Jugendparlament soll Jugendlichen Einblick in "
        "kommunalpolitische Entscheidungsverfahren geben. Seine Mitglieder sollen Teilnahme- und Rederecht in der "
        "Stadtverordnetenversammlung und ihren Ausschüssen erhalten und in Angelegenheiten, die Kinder und "
        "Jugendliche betreffen, Anträge stellen können.",
        "Stadt Teltow, Sachgebiet Soziales und Sport, kinder-jugend@example.org",
        status=NetworkBody.Status.PLANNED,
    ),
]


@dataclass(frozen=True)
class OrganisationData:
    slug: str
    name: str
    kind: str
    street: str
    domain: str
    mailbox: str = "info"
    parent: str | None = None
    focus: str | None = None  # the body its people join first
    description: str = ""
    shared_domain: bool = False  # several organisations under one domain get a path each

    @property
    def email(self):
        return f"{self.mailbox}@{self.domain}"

    @property
    def website(self):
        return f"https://{self.domain}/{self.slug}/" if self.shared_domain else f"https://{self.domain}/"


K = Organisation.Kind

# Parents come before their facilities so that one pass can link them.
ORGANISATIONS = [
    OrganisationData(
        "stadt-teltow-soziales", "Stadt Teltow – Sachgebiet Soziales und Sport", K.VERWALTUNG, "Marktplatz 1-3",
        "teltow.example.org", mailbox="soziales", shared_domain=True,
        description="Sozialplanung, Sozialraumkoordination und Förderung von Vereinen und Sport.",
    ),
    OrganisationData(
        "stadt-teltow-kultur",
        "Stadt Teltow – Sachgebiet Öffentlichkeitsarbeit, Stadtmarketing, Tourismus und Kultur",
        K.VERWALTUNG, "Marktplatz 1-3", "teltow.example.org", mailbox="kultur", shared_domain=True,
        focus="fg-kultur-und-freizeit",
        description="Öffentlichkeitsarbeit der Stadt, Kulturförderung und das Projekt „Helfende Hände“.",
    ),
    OrganisationData(
        "landkreis-reko", "Landkreis Potsdam-Mittelmark – Regionalkoordination Teltow (REKO)", K.VERWALTUNG,
        "Potsdamer Straße 40", "reko-pm.example.org", mailbox="teltow", focus="lenkungsrunde-sozialplanung",
        description="Verbindet die Sozialplanung der Stadt mit der des Landkreises.",
    ),
    OrganisationData(
        "kita-eigenbetrieb", "Kita-Eigenbetrieb der Stadt Teltow", K.TRAEGER, "Ritterstraße 14",
        "kita-teltow.example.org", mailbox="werkleitung", focus="fg-kita",
        description="Träger der kommunalen Kindertagesstätten in Teltow.",
    ),
    OrganisationData(
        "teltower-jugendhilfe", "Teltower Kinder- und Jugendhilfe gGmbH", K.TRAEGER, "Lichterfelder Allee 12",
        "jugendhilfe-teltow.example.org", focus="fg-jugendarbeit",
        description="Freier Träger der Jugendarbeit, Schulsozialarbeit und Familienbildung.",
    ),
    OrganisationData(
        "sozialwerk-kanalaue", "Sozialwerk Kanalaue e. V.", K.TRAEGER, "Oderstraße 23",
        "sozialwerk-kanalaue.example.org", focus="fg-praevention",
        description="Freier Träger von Beratungsangeboten für Familien, Suchtkranke und Zugewanderte.",
    ),
    OrganisationData(
        "kinderwelt-teltow", "Kinderwelt Teltow e. V.", K.TRAEGER, "Mahlower Straße 61",
        "kinderwelt-teltow.example.org", focus="fg-kita",
        description="Elterninitiative und freier Träger von Kindertagesstätten.",
    ),
    OrganisationData(
        "kita-sonnenblume", "Kita Sonnenblume", K.KITA, "Jahnstraße 8", "kita-teltow.example.org",
        mailbox="sonnenblume", parent="kita-eigenbetrieb", focus="fg-kita", shared_domain=True,
        description="Kommunale Kita mit 140 Plätzen für Kinder von einem Jahr bis zum Schuleintritt.",
    ),
    OrganisationData(
        "kita-regenbogen", "Kita Regenbogen", K.KITA, "Warthestraße 5", "kita-teltow.example.org",
        mailbox="regenbogen", parent="kita-eigenbetrieb", focus="fg-kita", shared_domain=True,
        description="Kommunale Kita mit Schwerpunkt Sprachbildung.",
    ),
    OrganisationData(
        "kita-spatzennest", "Kita Spatzennest", K.KITA, "Ruhlsdorfer Straße 33", "kita-teltow.example.org",
        mailbox="spatzennest", parent="kita-eigenbetrieb", focus="fg-kita", shared_domain=True,
        description="Kommunale Kita mit integrativen Gruppen.",
    ),
    OrganisationData(
        "kita-kanalpiraten", "Kita Kanalpiraten", K.KITA, "Elbstraße 19", "kinderwelt-teltow.example.org",
        mailbox="kanalpiraten", parent="kinderwelt-teltow", focus="fg-kita", shared_domain=True,
        description="Kita in freier Trägerschaft am Teltowkanal.",
    ),
    OrganisationData(
        "grundschule-am-stadtpark", "Grundschule am Stadtpark", K.SCHULE, "Iserstraße 2",
        "gs-stadtpark.example.org", mailbox="sekretariat", focus="fg-schule",
        description="Verlässliche Halbtagsgrundschule mit Hort in der Nachbarschaft.",
    ),
    OrganisationData(
        "grundschule-ruhlsdorfer-feld", "Grundschule Ruhlsdorfer Feld", K.SCHULE, "Ruhlsdorfer Platz 4",
        "gs-ruhlsdorf.example.org", mailbox="sekretariat", focus="fg-schule",
        description="Grundschule mit Ganztagsangebot und Schulsozialarbeit.",
    ),
    OrganisationData(
        "oberschule-am-teltowkanal", "Oberschule am Teltowkanal", K.SCHULE, "Zehlendorfer Straße 27",
        "os-teltowkanal.example.org", mailbox="sekretariat", focus="fg-schule",
        description="Oberschule mit Schwerpunkt Berufsorientierung.",
    ),
    OrganisationData(
        "gesamtschule-seehof", "Gesamtschule Seehof", K.SCHULE, "Lichterfelder Allee 88",
        "gesamtschule-seehof.example.org", mailbox="sekretariat", focus="fg-schule",
        description="Gesamtschule mit gymnasialer Oberstufe.",
    ),
    OrganisationData(
        "familienzentrum-teltow-mitte", "Familienzentrum Teltow-Mitte", K.BERATUNG, "Breite Straße 10",
        "jugendhilfe-teltow.example.org", mailbox="familienzentrum", parent="teltower-jugendhilfe",
        focus="fg-praevention", shared_domain=True,
        description="Offener Treff, Elternberatung und Familienbildung unter einem Dach.",
    ),
    OrganisationData(
        "erziehungsberatung-teltow", "Erziehungs- und Familienberatungsstelle Teltow", K.BERATUNG,
        "Oderstraße 23", "sozialwerk-kanalaue.example.org", mailbox="erziehungsberatung",
        parent="sozialwerk-kanalaue", focus="fg-praevention", shared_domain=True,
        description="Kostenfreie Beratung für Eltern, Kinder und Jugendliche.",
    ),
    OrganisationData(
        "suchtberatung-teltow", "Sucht- und Drogenberatung Teltow", K.BERATUNG, "Oderstraße 23",
        "sozialwerk-kanalaue.example.org", mailbox="suchtberatung", parent="sozialwerk-kanalaue",
        focus="fg-praevention", shared_domain=True,
        description="Beratung für Betroffene und Angehörige, auch anonym.",
    ),
    OrganisationData(
        "migrationsberatung-teltow", "Migrationsberatung Teltow", K.BERATUNG, "Potsdamer Straße 18",
        "sozialwerk-kanalaue.example.org", mailbox="migrationsberatung", parent="sozialwerk-kanalaue",
        focus="fg-integration-und-migration", shared_domain=True,
        description="Beratung für zugewanderte Erwachsene zu Sprache, Arbeit und Aufenthalt.",
    ),
    OrganisationData(
        "jugendclub-kanalwerk", "Jugendclub Kanalwerk", K.JUGEND, "Hoher Steinweg 9",
        "jugendhilfe-teltow.example.org", mailbox="kanalwerk", parent="teltower-jugendhilfe",
        focus="fg-jugendarbeit", shared_domain=True,
        description="Offene Jugendfreizeiteinrichtung mit Werkstatt und Bandraum.",
    ),
    OrganisationData(
        "jugendtreff-seehof", "Jugendtreff Seehof", K.JUGEND, "Lichterfelder Allee 90",
        "jugendhilfe-teltow.example.org", mailbox="seehof", parent="teltower-jugendhilfe",
        focus="fg-jugendarbeit", shared_domain=True,
        description="Treffpunkt für Kinder und Jugendliche im Ortsteil Seehof.",
    ),
    OrganisationData(
        "mobile-jugendarbeit-teltow", "Mobile Jugendarbeit Teltow", K.JUGEND, "Hoher Steinweg 9",
        "jugendhilfe-teltow.example.org", mailbox="mobil", parent="teltower-jugendhilfe",
        focus="fg-jugendarbeit", shared_domain=True,
        description="Streetwork und aufsuchende Arbeit an Treffpunkten Jugendlicher.",
    ),
    OrganisationData(
        "buergerhaus-am-markt", "Bürgerhaus am Markt", K.SONSTIGE, "Ritterstraße 2",
        "buergerhaus-teltow.example.org", parent="stadt-teltow-kultur", focus="fg-kultur-und-freizeit",
        description="Veranstaltungsort für Kultur, Vereine und Begegnung.",
    ),
    OrganisationData(
        "sv-blau-weiss-teltow", "SV Blau-Weiß Teltow e. V.", K.VEREIN, "Jahnstraße 30",
        "blau-weiss-teltow.example.org", mailbox="vorstand", focus="fg-kultur-und-freizeit",
        description="Breitensportverein mit Angeboten für alle Altersgruppen.",
    ),
    OrganisationData(
        "heimat-und-kulturverein", "Heimat- und Kulturverein Teltow e. V.", K.VEREIN, "Hoher Steinweg 15",
        "heimatverein-teltow.example.org", mailbox="vorstand", focus="fg-kultur-und-freizeit",
        description="Stadtgeschichte, Ausstellungen und Stadtführungen.",
    ),
    OrganisationData(
        "freiwilligenagentur-teltow", "Freiwilligenagentur Teltow e. V.", K.VEREIN, "Breite Straße 14",
        "freiwillig-teltow.example.org", focus="fg-freiwilliges-engagement",
        description="Vermittelt Menschen, die sich engagieren wollen, an Vereine und Einrichtungen.",
    ),
    OrganisationData(
        "willkommensinitiative-teltow", "Willkommensinitiative Teltow e. V.", K.VEREIN, "Potsdamer Straße 18",
        "willkommen-teltow.example.org", focus="fg-integration-und-migration",
        description="Ehrenamtliche Sprachpatenschaften, Begleitung und Begegnungscafé.",
    ),
    OrganisationData(
        "teltow-fuer-alle", "Teltow für alle – Verein für Inklusion e. V.", K.VEREIN, "Mahlower Straße 12",
        "teltow-fuer-alle.example.org", focus="fg-inklusion",
        description="Setzt sich für Barrierefreiheit und inklusive Angebote in der Stadt ein.",
    ),
    OrganisationData(
        "pflegestuetzpunkt-teltow", "Pflegestützpunkt Teltow", K.PFLEGE, "Potsdamer Straße 40",
        "pflegestuetzpunkt-teltow.example.org", focus="fg-gesundheit-und-pflege",
        description="Neutrale Beratung rund um Pflege für Pflegebedürftige und Angehörige.",
    ),
    OrganisationData(
        "pflegedienst-lindenhof", "Ambulanter Pflegedienst Lindenhof", K.PFLEGE, "Lankeweg 7",
        "pflege-lindenhof.example.org", focus="fg-gesundheit-und-pflege",
        description="Ambulante Kranken- und Altenpflege in Teltow und Umgebung.",
    ),
    OrganisationData(
        "seniorenzentrum-am-teltowkanal", "Seniorenzentrum am Teltowkanal", K.PFLEGE, "Elbstraße 40",
        "seniorenzentrum-teltow.example.org", focus="fg-gesundheit-und-pflege",
        description="Tagespflege, betreutes Wohnen und offener Seniorentreff.",
    ),
    OrganisationData(
        "shg-pflegende-angehoerige", "Selbsthilfegruppe Pflegende Angehörige Teltow", K.SELBSTHILFE,
        "Breite Straße 10", "selbsthilfe-teltow.example.org", mailbox="angehoerige",
        focus="fg-gesundheit-und-pflege", shared_domain=True,
        description="Monatliches Treffen für Menschen, die Angehörige pflegen.",
    ),
    OrganisationData(
        "shg-gemeinsam-stark", "Selbsthilfegruppe „Gemeinsam stark“", K.SELBSTHILFE, "Breite Straße 10",
        "selbsthilfe-teltow.example.org", mailbox="gemeinsam-stark", focus="fg-inklusion", shared_domain=True,
        description="Eltern von Kindern mit Behinderung unterstützen sich gegenseitig.",
    ),
]

# Sign-ups from these domains are approved at once (ApprovedDomain), so the approvals page
# only shows people from the remaining organisations.
APPROVED_DOMAINS = {
    "teltow.example.org": "stadt-teltow-soziales",
    "kita-teltow.example.org": "kita-eigenbetrieb",
    "jugendhilfe-teltow.example.org": "teltower-jugendhilfe",
    "sozialwerk-kanalaue.example.org": "sozialwerk-kanalaue",
}

# Bodies that people of a kind of organisation tend to join, with weights; an
# organisation's own focus body is added on top.
BODY_AFFINITY = {
    K.KITA: {"fg-kita": 10, "fg-schule": 3, "fg-praevention": 2, "fg-inklusion": 2, "ag-kinderrechte": 2},
    K.SCHULE: {
        "fg-schule": 10,
        "fg-jugendarbeit": 4,
        "fg-integration-und-migration": 3,
        "fg-kita": 2,
        "fg-inklusion": 2,
        "ag-kinderrechte": 2,
    },
    K.BERATUNG: {
        "fg-praevention": 10,
        "fg-integration-und-migration": 3,
        "fg-gesundheit-und-pflege": 3,
        "ag-familienfreundliche-stadt": 3,
    },
    K.JUGEND: {
        "fg-jugendarbeit": 10,
        "fg-kultur-und-freizeit": 3,
        "fg-praevention": 3,
        "fg-schule": 2,
        "ag-kinderrechte": 2,
    },
    K.VEREIN: {"fg-freiwilliges-engagement": 10, "fg-kultur-und-freizeit": 5, "fg-integration-und-migration": 3},
    K.PFLEGE: {
        "fg-gesundheit-und-pflege": 10,
        "seniorenbeirat": 4,
        "fg-inklusion": 2,
        "fg-freiwilliges-engagement": 1,
    },
    K.SELBSTHILFE: {"fg-praevention": 6, "fg-gesundheit-und-pflege": 6, "fg-inklusion": 4},
    K.VERWALTUNG: {
        "fg-praevention": 3,
        "fg-integration-und-migration": 3,
        "fg-kultur-und-freizeit": 3,
        "ag-familienfreundliche-stadt": 3,
    },
    K.TRAEGER: {
        "fg-jugendarbeit": 4,
        "fg-praevention": 4,
        "fg-kita": 4,
        "fg-freiwilliges-engagement": 2,
        "ag-familienfreundliche-stadt": 2,
    },
    K.SONSTIGE: {"fg-kultur-und-freizeit": 10, "fg-freiwilliges-engagement": 4},
}
FOCUS_WEIGHT = 12

JOB_TITLES = {
    K.KITA: [("Erzieherin", "Erzieher"), ("Kita-Leiterin", "Kita-Leiter"), ("Heilpädagogin", "Heilpädagoge")],
    K.SCHULE: [("Schulleiterin", "Schulleiter"), ("Lehrerin", "Lehrer"), ("Hortleiterin", "Hortleiter")],
    K.BERATUNG: [("Beraterin", "Berater"), ("Sozialpädagogin", "Sozialpädagoge"), ("Leiterin", "Leiter")],
    K.JUGEND: [("Jugendsozialarbeiterin", "Jugendsozialarbeiter"), ("Einrichtungsleiterin", "Einrichtungsleiter")],
    K.VEREIN: [("Vorsitzende", "Vorsitzender"), ("Ehrenamtskoordinatorin", "Ehrenamtskoordinator")],
    K.PFLEGE: [("Pflegedienstleiterin", "Pflegedienstleiter"), ("Pflegeberaterin", "Pflegeberater")],
    K.SELBSTHILFE: [("Gruppensprecherin", "Gruppensprecher")],
    K.VERWALTUNG: [("Sachbearbeiterin", "Sachbearbeiter"), ("Sozialplanerin", "Sozialplaner")],
    K.TRAEGER: [("Geschäftsführerin", "Geschäftsführer"), ("Fachbereichsleiterin", "Fachbereichsleiter")],
    K.SONSTIGE: [("Leiterin", "Leiter"), ("Veranstaltungsmanagerin", "Veranstaltungsmanager")],
}

FIRST_NAMES = (
    [
        "Anna", "Katrin", "Sabine", "Julia", "Nadine", "Claudia", "Petra", "Sandra", "Lena", "Miriam", "Aylin",
        "Swetlana", "Fatma", "Ewa", "Nicole", "Ulrike", "Birgit", "Franziska", "Mareike", "Sophie", "Leyla",
        "Heike", "Andrea", "Doreen", "Amira", "Tanja", "Kerstin", "Johanna",
    ],
    [
        "Thomas", "Michael", "Stefan", "Jan", "Tobias", "Sebastian", "Markus", "Jens", "Dirk", "Florian",
        "Mehmet", "Andrzej", "Karim", "Ralf", "Uwe", "Daniel", "Philipp", "Timo", "Lukas", "Oliver", "Yusuf",
        "Matthias", "Frank", "Nils",
    ],
)
LAST_NAMES = [
    "Müller", "Schulz", "Schmidt", "Krüger", "Lehmann", "Neumann", "Schröder", "Wolff", "Hoffmann", "Köhler",
    "Richter", "Fischer", "Zimmermann", "Braun", "Hartmann", "Lange", "Krause", "Werner", "Kaya", "Nowak",
    "Yılmaz", "Kowalski", "Petrović", "Haddad", "Vogel", "Friedrich", "Baumann", "Schäfer", "Winkler",
    "Bergmann", "Ludwig", "Kühn", "Pohl", "Engel", "Jung", "Brandt", "Seidel", "Hahn", "Voigt", "Ziegler",
]
GENERATED_PEOPLE = 60

# Verified but not yet approved: their domains are not on the allow-list.
PENDING_SIGNUPS = [
    ("m.gruber@heimatverein-teltow.example.org", "Monika Gruber", "heimat-und-kulturverein", "Schriftführerin", 2),
    ("k.osei@willkommen-teltow.example.org", "Kwame Osei", "willkommensinitiative-teltow", "Sprachpate", 4),
    ("s.albrecht@pflege-lindenhof.example.org", "Silke Albrecht", "pflegedienst-lindenhof", "Pflegefachkraft", 6),
    ("r.demir@gs-ruhlsdorf.example.org", "Rukiye Demir", "grundschule-ruhlsdorfer-feld", "Schulsozialarbeiterin", 9),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    organisation: str
    job_title: str
    role: str  # shown in the printed table
    groups: tuple = ()
    moderates: tuple = ()
    member_of: tuple = ()
    superuser: bool = False


BODY_SHORT_NAMES = {body.slug: body.short_name for body in BODIES}

FG_MODERATORS = [
    ("kita", "Carola Brenner", "kita-eigenbetrieb", "Werkleiterin Kita-Eigenbetrieb", "fg-kita"),
    ("schule", "Henrik Albers", "stadt-teltow-soziales", "Sachbearbeiter Schulen und Horte", "fg-schule"),
    ("praevention", "Matthias Reuter", "stadt-teltow-soziales", "Sozialplaner", "fg-praevention"),
    (
        "kultur",
        "Ines Hagedorn",
        "stadt-teltow-kultur",
        "Sachbearbeiterin Kultur",
        "fg-kultur-und-freizeit",
    ),
    (
        "engagement",
        "Benjamin Roth",
        "stadt-teltow-soziales",
        "Sachbearbeiter Ehrenamt",
        "fg-freiwilliges-engagement",
    ),
    ("jugend", "Derya Öztürk", "stadt-teltow-soziales", "Kinder- und Jugendbeauftragte", "fg-jugendarbeit"),
    (
        "integration",
        "Samira Nasser",
        "stadt-teltow-soziales",
        "Integrationsbeauftragte",
        "fg-integration-und-migration",
    ),
    (
        "gesundheit",
        "Gudrun Falk",
        "stadt-teltow-soziales",
        "Sachbearbeiterin Senioren und Pflege",
        "fg-gesundheit-und-pflege",
    ),
]

DEMO_LOGINS = [
    DemoLogin(
        "koordination@example.org",
        "Jana Lindner",
        "stadt-teltow-soziales",
        "Sozialraumkoordinatorin",
        "Sozialraumkoordination",
        groups=(access.COORDINATION_GROUP,),
        moderates=(
            "lenkungsrunde-sozialplanung",
            "sozialraumkonferenz",
            "ag-familienfreundliche-stadt",
            "ag-kinderrechte",
            "fg-inklusion",
            "seniorenbeirat",
            "jugendbeirat",
        ),
    ),
    DemoLogin(
        "redaktion@example.org",
        "Paul Reimann",
        "stadt-teltow-kultur",
        "Redaktion Internetauftritt",
        "Redaktion",
        groups=(access.EDITORS_GROUP,),
    ),
    *[
        DemoLogin(
            f"moderation-{key}@example.org",
            name,
            organisation,
            job_title,
            f"Moderation {BODY_SHORT_NAMES[body]}",
            moderates=(body,),
            member_of=("lenkungsrunde-sozialplanung", "sozialraumkonferenz"),
        )
        for key, name, organisation, job_title, body in FG_MODERATORS
    ],
    DemoLogin(
        "fachkraft@example.org",
        "Lisa Hartung",
        "kita-sonnenblume",
        "Erzieherin",
        "Fachkraft (FG Kita, FG Schule)",
        member_of=("fg-kita", "fg-schule"),
    ),
    DemoLogin(
        "admin@example.org",
        "Administration",
        "stadt-teltow-soziales",
        "Technische Administration",
        "Administration (Superuser)",
        superuser=True,
    ),
]


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
    """The professionals of the demo network; depends only on the data above, never on the database."""
    rng = random.Random(RANDOM_SEED)
    # Every organisation has at least one person, so every one shows up with members.
    org_cycle = ORGANISATIONS + [rng.choice(ORGANISATIONS) for _ in range(GENERATED_PEOPLE - len(ORGANISATIONS))]
    used_names, used_emails = set(), set()
    people = []
    for org in org_cycle:
        while True:
            gender = rng.randrange(2)
            first, last = rng.choice(FIRST_NAMES[gender]), rng.choice(LAST_NAMES)
            if (first, last) not in used_names:
                used_names.add((first, last))
                break
        weights = dict(BODY_AFFINITY[org.kind])
        if org.focus:
            weights[org.focus] = weights.get(org.focus, 0) + FOCUS_WEIGHT
        count = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
        email = f"{_ascii(first)[0]}.{_ascii(last)}@{org.domain}"
        if email in used_emails:
            email = f"{_ascii(first)}.{_ascii(last)}@{org.domain}"
        used_emails.add(email)
        people.append(
            Person(
                email=email,
                first_name=first,
                last_name=last,
                organisation=org.slug,
                job_title=rng.choice(JOB_TITLES[org.kind])[gender],
                joined=date(2021, 4, 1) + timedelta(days=rng.randrange(1600)),
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


def _sync(model, lookup, values):
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
        self._password_hash = functools.cache(lambda: make_password(DEMO_PASSWORD))

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
        result = {}
        for order, (slug, name, description) in enumerate(THEMENFELDER, start=1):
            result[slug] = _sync(
                Themenfeld, {"slug": slug}, {"name": name, "description": description, "sort_order": order}
            )
        return result

    def _organisations(self):
        for data in ORGANISATIONS:
            self.organisations[data.slug] = _sync(
                Organisation,
                {"slug": data.slug},
                {
                    "name": data.name,
                    "kind": data.kind,
                    "parent": self.organisations.get(data.parent),
                    "street": data.street,
                    "postcode": POSTCODE,
                    "city": "Teltow",
                    "website": data.website,
                    "email": data.email,
                    "description": data.description,
                },
            )
        for domain, organisation in APPROVED_DOMAINS.items():
            _sync(ApprovedDomain, {"domain": domain}, {"organisation": self.organisations[organisation]})

    def _bodies(self, themenfelder):
        for data in BODIES:
            # A new body gets its CMS page from the post_save signal (cms.signals).
            self.bodies[data.slug] = _sync(
                NetworkBody,
                {"slug": data.slug},
                {
                    "name": data.name,
                    "short_name": data.short_name,
                    "kind": data.kind,
                    "themenfeld": themenfelder.get(data.themenfeld),
                    "status": data.status,
                    "visibility": data.visibility,
                    "purpose": data.purpose,
                    "contact": data.contact,
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
        for email, name, organisation, job_title, days_ago in PENDING_SIGNUPS:
            first, last = name.split(" ", 1)
            self._user(
                email,
                approved=False,
                joined=timezone.now() - timedelta(days=days_ago),
                first_name=first,
                last_name=last,
                display_name=name,
                organisation=self.organisations[organisation],
                job_title=job_title,
            )

    def _demo_logins(self):
        since = date(2021, 4, 1)
        for login in DEMO_LOGINS:
            first, _, last = login.name.partition(" ")
            user = self._user(
                login.email,
                joined=_aware(since),
                first_name=first,
                last_name=last,
                display_name=login.name,
                organisation=self.organisations[login.organisation],
                job_title=login.job_title,
                is_staff=login.superuser,
                is_superuser=login.superuser,
            )
            for name in login.groups:
                user.groups.add(Group.objects.get(name=name))
            for body in login.moderates:
                self._join(user, body, since, role=Membership.Role.MODERATOR)
            for body in login.member_of:
                self._join(user, body, since)

    def _second_factors(self):
        """The site forces staff, coordination and moderators to TOTP; give them the demo secret."""
        for user in User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]):
            access.forget_cached_roles(user)
            has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            if access.requires_second_factor(user) and not has_totp:
                TOTP.activate(user, DEMO_TOTP_SECRET)


def seed_network():
    """Create the demo network; returns the bodies by slug for the CMS content that refers to them."""
    return Seeder().run()


def demo_login_rows():
    """(e-mail, role, whether TOTP is set up) for every demo login, in the order of DEMO_LOGINS."""
    with_totp = set(
        Authenticator.objects.filter(
            type=Authenticator.Type.TOTP, user__email__in=[login.email for login in DEMO_LOGINS]
        ).values_list("user__email", flat=True)
    )
    return [(login.email, login.role, login.email in with_totp) for login in DEMO_LOGINS]


def demo_totp_uri():
    """otpauth:// URI of the shared demo secret, labelled with the coordination's account."""
    user = User(email=DEMO_LOGINS[0].email)
    return get_mfa_adapter().build_totp_url(user, DEMO_TOTP_SECRET)


def current_demo_totp_code():
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
