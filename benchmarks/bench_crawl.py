"""Crawl throughput: ``policywire crawl`` vs a bare Scrapy + feedparser + trafilatura spider.

Generates a deterministic loopback site (``--seed``) in a temporary directory: ``--feeds`` RSS
and Atom feeds listing ``--pages`` article pages in all. Pages are 15-60 KB of HTML: navigation,
sidebars, teaser cards, inline scripts and a footer around 400-900 words of English or German
body text; about 15% of the stories are near-duplicates of a story in another feed (reworded
title, some sentences changed), so story merging has work to do.

The site is served by a threaded HTTP/1.1 server (keep-alive, everything in memory) on
127.0.0.1, in its own process, so it does not share the GIL with the crawler being measured.
Then, alternating the order on each repeat, it times in fresh subprocesses:

* **bare**: a small Scrapy spider (``BareSpider`` below) with the same concurrency, robots.txt
  and download settings as policywire, that fetches each feed, parses it with
  ``feedparser.parse``, fetches every article and runs ``trafilatura.extract`` on it; no
  state, normalisation, language detection or merging;
* **policywire**: ``crawler.cli.main(["crawl", "--sources", S, "--output-dir", O,
  "--state-dir", T, "--allow-private-addresses"])`` in a fresh ``python -c`` subprocess (the
  same as ``python -m crawler.cli crawl ...``), with a fresh state and output directory.

Mode (``--mode``):

* ``throughput`` (default): both crawls run with ``DOWNLOAD_DELAY = 0`` and AutoThrottle off,
  everything else as shipped in ``crawler/settings.py`` (the policywire subprocess patches the
  module's two values before calling ``crawler.cli.main``). On one loopback host the shipped
  0.25 s politeness delay alone holds any crawler to ~3 pages/s, and both sides would
  measure that delay instead of their own cost.
* ``shipped``: both crawls run with the shipped settings unchanged (delay-bound: use a small
  ``--pages``; 2,000 pages take ~12 min per crawl).

Each run reports wall time, CPU seconds (user + system of the subprocess: steadier than wall
on a machine shared with other work) and the in-process crawl time, then medians, pages/s,
the policywire/bare ratios and policywire's record count per run (one record per page).
About 4 minutes at the defaults on 2 cores. ``--serve-only --keep DIR`` serves the site and
prints the policywire command, for profiling.

    python benchmarks/bench_crawl.py [--pages 2000] [--feeds 20] [--repeats 3] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = "{{BASE}}"  # replaced by the server with http://127.0.0.1:PORT

# Settings the bare spider copies from crawler/settings.py, so both crawls download alike.
SHARED_SETTINGS = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "TELNETCONSOLE_ENABLED", "REMOTE_CONTROL_ENABLED",
    "DOWNLOAD_HANDLERS", "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "DOWNLOAD_TIMEOUT",
    "REDIRECT_MAX_TIMES", "RETRY_TIMES", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY", "CONCURRENT_ITEMS", "FEED_EXPORT_ENCODING",
)
MODES: dict[str, dict[str, Any]] = {
    "throughput": {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False},
    "shipped": {},
}

# ---------------------------------------------------------------------------------------------
# Text: security-policy news in English and German, from templates (deterministic per seed).
# ---------------------------------------------------------------------------------------------
EN = {
    "actor": [
        "NATO defence ministers", "The European Commission", "The German government",
        "The Bundeswehr", "The US State Department", "Ukraine's foreign ministry",
        "The UN Security Council", "EU foreign ministers", "The Pentagon",
        "France's armed forces ministry", "The Polish government", "Baltic defence officials",
        "The OSCE", "The British Ministry of Defence", "Finland's president",
        "Sweden's armed forces", "The Kremlin", "Officials in Beijing", "The Dutch cabinet",
        "Italy's defence minister", "The EU's foreign policy chief", "NATO's secretary general",
        "National cyber security agencies", "The International Atomic Energy Agency",
        "Lawmakers in the Bundestag", "The European Parliament", "Japan's defence ministry",
        "South Korea's national security council", "Romania's president",
        "The Czech foreign minister", "Norway's government", "Canada's defence minister",
    ],
    "topic": [
        "new air defence systems", "a joint ammunition procurement plan",
        "sanctions against Russia", "the Black Sea shipping corridor", "drone incursions",
        "cyber attacks on critical infrastructure", "a nuclear arms control treaty",
        "military aid for Ukraine", "a rapid reaction force", "export controls on dual-use goods",
        "deployments on the eastern flank", "hybrid threats", "the defence budget",
        "arms exports to the Gulf", "satellite surveillance", "undersea cable protection",
        "a ceasefire proposal", "border security", "energy security", "space security",
        "long-range missile deployments", "the reform of conscription",
        "intelligence sharing", "disinformation campaigns", "a peacekeeping mission",
        "frozen Russian assets", "the European defence fund", "fighter jet deliveries",
        "naval patrols in the Baltic Sea", "chemical weapons inspections",
        "civil protection plans", "a new security strategy", "tank production",
        "Arctic security", "ballistic missile defence", "election interference",
    ],
    "place": [
        "in Brussels", "in Berlin", "after talks in Vilnius", "at the Munich Security Conference",
        "in Warsaw", "in Kyiv", "in Washington", "in The Hague", "in Geneva", "in Helsinki",
        "ahead of the summit", "amid rising tensions", "after a closed-door meeting",
        "in Paris", "in Tallinn", "in Bucharest", "before the vote", "in Stockholm",
        "at the G7 meeting", "after weeks of talks", "in London", "in Riga", "in Prague",
    ],
    "person": [
        "Anna Kowalski", "Thomas Berger", "Maria Lindqvist", "James O'Connor", "Sophie Martin",
        "Jan de Vries", "Elena Petrova", "Markus Hoffmann", "Laura Bianchi", "David Nowak",
        "Claire Dubois", "Oleksandr Koval", "Katarzyna Zielinska", "Peter Hansen",
    ],
    "role": [
        "senior analyst", "research fellow", "former ambassador", "defence economist",
        "spokesperson", "retired general", "professor of international relations",
        "member of the defence committee", "cyber security researcher", "diplomat",
    ],
    "institution": [
        "the International Institute for Strategic Studies", "the Atlantic Council",
        "the European Council on Foreign Relations", "King's College London",
        "the Stockholm International Peace Research Institute", "the RAND Corporation",
        "Chatham House", "the Carnegie Endowment", "the Polish Institute of International Affairs",
    ],
    "month": ["January", "February", "March", "April", "May", "June", "July", "September",
              "October", "November", "December"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "update": ["Update: ", "", "", "Analysis: ", "", "Exclusive: "],
    "nav": ["World", "Europe", "Politics", "Defence", "Security", "Cyber", "Economy", "Opinion",
            "Analysis", "Interviews", "Podcasts", "Video", "Newsletter", "Subscribe", "About us",
            "Contact", "Careers", "Advertise", "Archive", "Topics", "Events", "Weather", "Sport",
            "Culture", "Science", "Technology", "Climate", "Migration", "Elections", "Data"],
    "footer": "All rights reserved. Reproduction only with written permission. Privacy policy. "
              "Cookie settings. Terms of use. Imprint. Accessibility statement. RSS feeds. ",
    "read_more": "Read more", "most_read": "Most read", "related": "Related coverage",
    "cookie": "We use cookies to improve your experience and to measure the reach of our "
              "content. You can change your preferences at any time.",
}
DE = {
    "actor": [
        "Die Bundesregierung", "Das Verteidigungsministerium", "Die NATO-Verteidigungsminister",
        "Die EU-Kommission", "Der Bundestag", "Die Bundeswehr", "Das Auswärtige Amt",
        "Der UN-Sicherheitsrat", "Die französische Regierung", "Die polnische Regierung",
        "Die EU-Außenminister", "Der Bundeskanzler", "Die Innenministerkonferenz",
        "Das Bundesamt für Sicherheit in der Informationstechnik", "Die OSZE",
        "Die Verteidigungsministerin", "Die baltischen Staaten", "Der Bundesrat",
        "Die schwedische Regierung", "Der Generalinspekteur der Bundeswehr",
        "Die Europäische Verteidigungsagentur", "Die Regierung in Kiew",
    ],
    "topic": [
        "neue Luftverteidigungssysteme", "die gemeinsame Munitionsbeschaffung",
        "Sanktionen gegen Russland", "den Schutz kritischer Infrastruktur",
        "Drohnenüberflüge über Kasernen", "Cyberangriffe auf Behörden",
        "die Militärhilfe für die Ukraine", "eine schnelle Eingreiftruppe",
        "Exportkontrollen für Rüstungsgüter", "die Stationierung an der Ostflanke",
        "hybride Bedrohungen", "den Verteidigungshaushalt", "Rüstungsexporte in die Golfregion",
        "die Überwachung aus dem All", "den Schutz von Unterseekabeln", "einen Waffenstillstand",
        "die Reform der Wehrpflicht", "den Zivilschutz", "die nationale Sicherheitsstrategie",
        "eingefrorene russische Vermögen", "den Europäischen Verteidigungsfonds",
        "die Lieferung von Kampfjets", "Marinepatrouillen in der Ostsee",
        "die Panzerproduktion", "Desinformationskampagnen", "die Sicherheit in der Arktis",
        "Mittelstreckenraketen", "den Schutz von Wahlen", "die Grenzkontrollen",
    ],
    "place": [
        "in Brüssel", "in Berlin", "nach Gesprächen in Vilnius",
        "auf der Münchner Sicherheitskonferenz", "in Warschau", "in Kiew", "in Washington",
        "in Den Haag", "in Genf", "vor dem Gipfel", "nach einer Sondersitzung", "in Paris",
        "vor der Abstimmung", "in Stockholm", "nach wochenlangen Verhandlungen", "in Wien",
    ],
    "person": [
        "Anna Kowalski", "Thomas Berger", "Katrin Lehmann", "Stefan Vogel", "Julia Schneider",
        "Markus Hoffmann", "Sabine Krüger", "Jens Albrecht", "Miriam Yilmaz", "Frank Neumann",
    ],
    "role": [
        "Sicherheitsexpertin", "Politikwissenschaftler", "ehemaliger Botschafter",
        "Verteidigungsökonom", "Sprecherin", "General a. D.", "Cyberexperte",
        "Obmann im Verteidigungsausschuss", "Diplomatin",
    ],
    "institution": [
        "der Stiftung Wissenschaft und Politik", "der Deutschen Gesellschaft für Auswärtige "
        "Politik", "der Universität der Bundeswehr", "dem Institut für Friedensforschung",
        "dem Zentrum Liberale Moderne", "der Bundesakademie für Sicherheitspolitik",
    ],
    "month": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "September",
              "Oktober", "November", "Dezember"],
    "day": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "update": ["Update: ", "", "", "Analyse: ", "", "Exklusiv: "],
    "nav": ["Welt", "Europa", "Politik", "Verteidigung", "Sicherheit", "Cyber", "Wirtschaft",
            "Meinung", "Analyse", "Interviews", "Podcasts", "Video", "Newsletter", "Abo",
            "Über uns", "Kontakt", "Karriere", "Werbung", "Archiv", "Themen", "Termine",
            "Wetter", "Sport", "Kultur", "Wissen", "Technik", "Klima", "Migration", "Wahlen"],
    "footer": "Alle Rechte vorbehalten. Vervielfältigung nur mit schriftlicher Genehmigung. "
              "Datenschutz. Cookie-Einstellungen. Nutzungsbedingungen. Impressum. "
              "Barrierefreiheit. RSS-Feeds. ",
    "read_more": "Weiterlesen", "most_read": "Meistgelesen", "related": "Mehr zum Thema",
    "cookie": "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten und die "
              "Reichweite unserer Inhalte zu messen. Sie können Ihre Auswahl jederzeit ändern.",
}
LANGS = {"en": EN, "de": DE}


def _words(text: str) -> list[str]:
    return text.split()


CITIES = [
    "Brussels", "Berlin", "Vilnius", "Munich", "Warsaw", "Kyiv", "Washington", "Geneva",
    "Helsinki", "Paris", "Tallinn", "Bucharest", "Stockholm", "London", "Riga", "Prague",
    "Vienna", "Oslo", "Copenhagen", "Rome", "Madrid", "Lisbon", "Athens", "Budapest", "Sofia",
    "Bratislava", "Zagreb", "Chisinau", "Tbilisi", "Ankara", "Ottawa", "Tokyo", "Seoul",
    "Rotterdam",
]


# Body text: sentences assembled from a large vocabulary, so that two different stories share
# almost no word 3-grams (as real, independently written articles) while a near-duplicate
# variant, which reuses most sentences, shares most of them.
GRAMMAR: dict[str, dict[str, Any]] = {
    "en": {
        "det": ["the", "a", "its", "their", "this", "another", "one", "every", "that", "our"],
        "adj": _words(
            "new joint European military national strategic additional regional nuclear "
            "digital civilian maritime Baltic Arctic eastern western controversial ambitious "
            "delayed secret public long-term bilateral multilateral defensive critical "
            "financial technical legal political diplomatic economic industrial local federal "
            "parliamentary urgent modest massive limited temporary permanent independent "
            "allied hostile foreign domestic armed airborne naval hybrid coordinated "
            "fragmented classified transparent revised preliminary final confidential"
        ),
        "noun": _words(
            "budget strategy mission treaty agreement proposal report deployment exercise "
            "alliance coalition sanction embargo ceasefire pipeline cable satellite drone "
            "missile tank frigate submarine brigade battalion command agency ministry "
            "parliament committee court summit conference delegation envoy minister general "
            "commander analyst official lawmaker diplomat researcher contractor manufacturer "
            "supplier factory shipyard border corridor port airfield base depot network "
            "system platform programme fund loan package contract tender audit investigation "
            "inquiry review assessment forecast warning threat attack incursion breach leak "
            "campaign election referendum reform law regulation directive framework roadmap "
            "timetable deadline capacity shortage stockpile inventory procurement export "
            "licence permit veto vote debate dispute compromise consensus radar convoy "
            "garrison reserve doctrine arsenal"
        ),
        "verb": _words(
            "approved rejected announced criticised expanded delayed signed proposed funded "
            "suspended reviewed questioned prepared endorsed blocked welcomed condemned "
            "examined confirmed denied postponed accelerated cancelled extended restricted "
            "tightened relaxed financed negotiated drafted published leaked challenged "
            "defended supported opposed monitored inspected upgraded replaced doubled halved"
        ),
        "title_verb": _words(
            "approves rejects announces criticises expands delays signs proposes funds "
            "suspends reviews questions prepares endorses blocks welcomes condemns examines "
            "confirms denies postpones accelerates cancels extends restricts tightens"
        ),
        "prep": _words("in near after before despite during without under against for with amid "
                "beyond across"),
        "country": _words(
            "Poland's France's Sweden's Finland's Lithuania's Estonia's Latvia's Norway's "
            "Denmark's Italy's Spain's Romania's Czechia's Austria's Japan's Canada's "
            "Britain's Germany's Belgium's Greece's Hungary's Bulgaria's Portugal's Ireland's "
            "Croatia's Ukraine's Moldova's Georgia's Turkey's Slovakia's"
        ),
        "body": ["government", "defence ministry", "foreign ministry", "parliament",
                 "armed forces", "president", "prime minister", "security council",
                 "intelligence service", "navy", "air force", "cyber agency", "general staff",
                 "interior ministry", "border guard", "coast guard"],
        "opener": [
            "According to officials,", "On Tuesday,", "In a statement,", "Earlier this week,",
            "Meanwhile,", "However,", "In response,", "As expected,", "By contrast,",
            "Late on Friday,", "For the first time,", "Behind closed doors,", "In the end,",
            "Last month,", "Until now,", "At the same time,", "In practice,", "Officially,",
        ],
        "patterns": [
            "{opener} {np} {verb} {np2} {prep} {np3}.",
            "{np} {verb} {np2}, {person} said {prep} {place}.",
            "{person}, a {role} at {institution}, said {np} {verb} {np2} {prep} {np3}.",
            "\"{np} {verb} {np2},\" {person} told reporters in {place}.",
            "The {noun} is worth {n} million euros and covers {m} {noun2} projects.",
            "{opener} {np} {verb} {np2} and {verb2} {np3}.",
            "{np} {verb} {np2} {prep} {place} on {day}.",
            "Critics say {np} {verb} {np2} {prep} {np3} without a vote.",
            "{np} was {verb} {prep} {np2}, while {np3} {verb2} {np4}.",
            "By {month}, {np} {verb} {n} {noun2}s {prep} {place}.",
        ],
    },
    "de": {
        "det": ["die", "eine", "ihre", "diese", "jede", "unsere", "keine", "jene"],
        "adj": _words(
            "neue gemeinsame europäische militärische nationale strategische zusätzliche "
            "regionale digitale zivile maritime östliche westliche umstrittene geheime "
            "öffentliche langfristige bilaterale kritische finanzielle technische rechtliche "
            "politische diplomatische wirtschaftliche industrielle dringende begrenzte "
            "vorläufige dauerhafte unabhängige verbündete ausländische bewaffnete hybride "
            "koordinierte geplante beschlossene verschobene erweiterte geänderte vertrauliche "
            "endgültige überarbeitete einheitliche schnelle teure"
        ),
        "noun": _words(
            "Strategie Mission Vereinbarung Vorlage Stationierung Übung Allianz Sanktion "
            "Waffenruhe Leitung Drohne Rakete Fregatte Brigade Behörde Kommission Delegation "
            "Regierung Ministerin Analyse Untersuchung Prüfung Warnung Bedrohung Kampagne Wahl "
            "Reform Verordnung Richtlinie Frist Kapazität Beschaffung Ausfuhr Genehmigung "
            "Abstimmung Debatte Einigung Lieferung Produktion Finanzierung Ausbildung Beratung "
            "Kontrolle Grenze Hafenanlage Kaserne Werft Fabrik Initiative Erklärung Forderung "
            "Entscheidung Planung Beteiligung Unterstützung Ausrüstung Munition Aufklärung "
            "Abwehr Sicherheit Verteidigung Zusammenarbeit Partnerschaft Obergrenze Vorschrift "
            "Anhörung Reserve Flotte Radaranlage Truppe Einheit Zentrale Agentur Anlage"
        ),
        "verb": _words(
            "billigte kritisierte erweiterte verschob unterzeichnete finanzierte prüfte "
            "bezweifelte unterstützte blockierte begrüßte verurteilte bestätigte bestritt "
            "beschleunigte stoppte verlängerte beschränkte verschärfte lockerte verhandelte "
            "veröffentlichte verteidigte überwachte ersetzte verdoppelte halbierte forderte "
            "plante beschloss"
        ),
        "title_verb": _words(
            "billigt kritisiert erweitert verschiebt unterzeichnet finanziert prüft "
            "unterstützt blockiert begrüßt verurteilt bestätigt stoppt verlängert beschränkt "
            "verschärft lockert verhandelt verteidigt überwacht ersetzt fordert plant"
        ),
        "prep": _words("in nach vor trotz während ohne unter gegen für mit wegen bei über"),
        "country": _words(
            "Polens Frankreichs Schwedens Finnlands Litauens Estlands Lettlands Norwegens "
            "Dänemarks Italiens Spaniens Rumäniens Tschechiens Österreichs Japans Kanadas "
            "Großbritanniens Deutschlands Belgiens Griechenlands Ungarns Bulgariens Portugals "
            "Irlands Kroatiens Moldaus Georgiens Slowakeis"
        ),
        "body": ["Regierung", "Armee", "Marine", "Luftwaffe", "Parlament", "Präsident",
                 "Außenministerium", "Verteidigungsministerium", "Geheimdienst", "Cyberbehörde",
                 "Generalstab", "Regierungschefin", "Grenzschutz", "Küstenwache",
                 "Innenministerium", "Sicherheitsrat"],
        "opener": [
            "Nach Angaben von Regierungsvertretern", "Am Dienstag", "In einer Mitteilung",
            "Zuvor", "Unterdessen", "Allerdings", "Als Reaktion darauf", "Wie erwartet",
            "Dagegen", "Am späten Freitag", "Zum ersten Mal", "Hinter verschlossenen Türen",
            "Am Ende", "Im vergangenen Monat", "Bislang", "Gleichzeitig", "In der Praxis",
            "Offiziell",
        ],
        "patterns": [
            "{opener} {verb} {np} {np2} {prep} {np3}.",
            "{np} {verb} {np2}, sagte {person} {prep} {place}.",
            "{person}, {role} bei {institution}, sagte, {np} {verb} {np2} {prep} {np3}.",
            "„{np} {verb} {np2}“, sagte {person} in {place}.",
            "Die {noun} hat einen Umfang von {n} Millionen Euro und umfasst {m} Projekte.",
            "{opener} {verb} {np} {np2} und {verb2} {np3}.",
            "{np} {verb} {np2} am {day} {prep} {place}.",
            "Kritiker sagen, {np} {verb} {np2} {prep} {np3} ohne Abstimmung.",
            "{np} wurde {prep} {np2} geprüft, während {np3} {np4} {verb2}.",
            "Bis {month} {verb} {np} {n} weitere {noun2} {prep} {place}.",
        ],
    },
}


@dataclass
class Story:
    lang: str
    title: str
    paragraphs: list[list[str]]
    published: datetime
    author: str
    topic: str

    def words(self) -> int:
        return sum(len(s.split()) for p in self.paragraphs for s in p)


@dataclass
class Page:
    feed: int
    slug: str
    story: Story
    duplicate_of: str | None = None


@dataclass
class Site:
    root: Path
    feeds: list[str] = field(default_factory=list)  # feed paths
    languages: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    bytes_html: int = 0

    @property
    def duplicates(self) -> int:
        return sum(p.duplicate_of is not None for p in self.pages)


def _np(rng: random.Random, gram: dict[str, Any]) -> str:
    return f"{rng.choice(gram['det'])} {rng.choice(gram['adj'])} {rng.choice(gram['noun'])}"


def _sentence(rng: random.Random, lang: str, topic: str) -> str:
    """One sentence of body text; ``topic`` (the story's subject) recurs in about a third."""
    gram, voc = GRAMMAR[lang], LANGS[lang]
    phrases = [_np(rng, gram) for _ in range(4)]
    if rng.random() < 0.35:
        phrases[rng.randrange(4)] = topic
    sentence = rng.choice(gram["patterns"]).format(
        opener=rng.choice(gram["opener"]), np=phrases[0], np2=phrases[1], np3=phrases[2],
        np4=phrases[3], verb=rng.choice(gram["verb"]), verb2=rng.choice(gram["verb"]),
        prep=rng.choice(gram["prep"]), noun=rng.choice(gram["noun"]),
        noun2=rng.choice(gram["noun"]), place=rng.choice(voc["place"]).split(" ")[-1],
        person=rng.choice(voc["person"]), role=rng.choice(voc["role"]),
        institution=rng.choice(voc["institution"]), month=rng.choice(voc["month"]),
        day=rng.choice(voc["day"]), n=rng.randint(2, 950), m=rng.randint(3, 40),
    )
    return sentence[0].upper() + sentence[1:]


def _topic(rng: random.Random, lang: str) -> str:
    gram = GRAMMAR[lang]
    return f"{rng.choice(gram['adj'])} {rng.choice(gram['noun'])}"


def _title(rng: random.Random, lang: str, topic: str) -> str:
    """A headline: who does what about the story's topic, and a detail; varied enough that
    two different stories rarely share more than two of its words."""
    voc, gram = LANGS[lang], GRAMMAR[lang]
    if rng.random() < 0.3:
        actor = rng.choice(voc["actor"])
    else:
        actor = f"{rng.choice(gram['country'])} {rng.choice(gram['body'])}"
    detail = f"{rng.choice(gram['prep'])} {rng.choice(gram['adj'])} {rng.choice(gram['noun'])}"
    return f"{actor} {rng.choice(gram['title_verb'])} {topic} {detail} in {rng.choice(CITIES)}"


def new_story(rng: random.Random, lang: str, published: datetime) -> Story:
    voc = LANGS[lang]
    topic = _topic(rng, lang)
    target = rng.randint(400, 900)
    paragraphs: list[list[str]] = []
    words = 0
    while words < target:
        paragraph = [_sentence(rng, lang, topic) for _ in range(rng.randint(2, 5))]
        words += sum(len(s.split()) for s in paragraph)
        paragraphs.append(paragraph)
    return Story(lang, _title(rng, lang, topic), paragraphs, published,
                 rng.choice(voc["person"]), topic)


def variant(rng: random.Random, story: Story) -> Story:
    """The same story as another outlet tells it: title and some sentences reworded."""
    voc = LANGS[story.lang]
    title = rng.choice(voc["update"]) + story.title
    if rng.random() < 0.5:
        title = title.rsplit(" ", 1)[0] + " " + rng.choice(CITIES)  # another dateline
    paragraphs = []
    for paragraph in story.paragraphs:
        changed = [
            _sentence(rng, story.lang, story.topic) if rng.random() < 0.15 else sentence
            for sentence in paragraph if rng.random() > 0.05
        ]
        paragraphs.append(changed or paragraph)
    if rng.random() < 0.5:
        paragraphs.append([_sentence(rng, story.lang, story.topic) for _ in range(3)])
    published = story.published + timedelta(minutes=rng.randint(5, 600))
    return Story(story.lang, title, paragraphs, published, rng.choice(voc["person"]),
                 story.topic)


# ---------------------------------------------------------------------------------------------
# HTML and feeds
# ---------------------------------------------------------------------------------------------
def _site_name(feed: int, lang: str) -> str:
    names = {"en": ["Defence Daily", "Security Monitor", "The Policy Wire", "Atlantic Brief",
                    "Euro Security Review", "Strategy Post"],
             "de": ["Sicherheitsreport", "Verteidigung Aktuell", "Die Lage", "Politik Kompakt",
                    "Ostsee Kurier", "Strategie Heute"]}[lang]
    return f"{names[feed % len(names)]} {feed:02d}"


def _teaser_card(rng: random.Random, lang: str, feed: int, n: int) -> str:
    voc = LANGS[lang]
    topic = _topic(rng, lang)
    return (
        f'<div class="card card--teaser" data-id="{rng.randint(10**6, 10**7)}">'
        f'<a class="card__link" href="/s{feed:02d}/teaser/{n}-{rng.randint(1000, 9999)}.html">'
        f'<picture><source srcset="/img/{n}-640.webp 640w, /img/{n}-1280.webp 1280w" '
        f'type="image/webp"><img src="/img/{n}.jpg" alt="" loading="lazy" width="640" '
        f'height="360"></picture><span class="card__kicker">{escape(rng.choice(voc["nav"]))}'
        f'</span><h3 class="card__title">{escape(_title(rng, lang, topic))}</h3>'
        f'<p class="card__teaser">{escape(_sentence(rng, lang, topic))}</p></a>'
        f'<span class="card__meta">{rng.randint(1, 59)} min</span></div>\n'
    )


def _script_blob(rng: random.Random, size: int) -> str:
    """A client-side state blob, as news sites ship them (``__NEXT_DATA__`` and friends)."""
    items = []
    total = 0
    while total < size:
        item = json.dumps({"id": rng.randint(10**8, 10**9), "slot": f"ad-{rng.randint(1, 99)}",
                           "targeting": {"kw": [f"k{rng.randint(1, 500)}" for _ in range(6)],
                                         "pos": rng.choice(["top", "mid", "bottom"])},
                           "tracking": f"https://metrics.example/{rng.getrandbits(64):x}"})
        items.append(item)
        total += len(item) + 1
    return ('<script>window.__APP_STATE__ = {"slots": [' + ",".join(items) + "]};</script>\n")


def render_page(rng: random.Random, page: Page, site_name: str, feed_path: str) -> str:
    story, voc = page.story, LANGS[page.story.lang]
    url = f"{BASE}/s{page.feed:02d}/{page.slug}.html"
    target = rng.randint(15_000, 60_000)
    iso = story.published.isoformat().replace("+00:00", "Z")
    teaser = " ".join(story.paragraphs[0][:2])
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
        "datePublished": iso, "dateModified": iso, "author": [{"@type": "Person",
                                                              "name": story.author}],
        "publisher": {"@type": "Organization", "name": site_name}, "inLanguage": story.lang,
        "mainEntityOfPage": url,
    }, ensure_ascii=False)
    nav = "".join(
        f'<li class="nav__item"><a href="/s{page.feed:02d}/{escape(item.lower())}/">'
        f"{escape(item)}</a></li>" for item in voc["nav"]
    )
    subnav = "".join(
        f'<li><a href="/s{page.feed:02d}/topic/{i}">{escape(rng.choice(voc["topic"]))}'
        "</a></li>"
        for i in range(rng.randint(8, 20))
    )
    body = "\n".join(
        "<p>" + escape(" ".join(paragraph)) + "</p>" for paragraph in story.paragraphs
    )
    # Mid-article boilerplate, as CMSs insert it: a related link box and an ad slot.
    paragraphs = body.split("\n")
    if len(paragraphs) > 3:
        related = _title(rng, story.lang, _topic(rng, story.lang))
        paragraphs.insert(3, f'<aside class="inline-related"><strong>{voc["related"]}</strong>'
                             f'<a href="/s{page.feed:02d}/x/{rng.randint(1, 9999)}.html">'
                             f'{escape(related)}</a></aside>'
                             '<div class="ad ad--inline" data-slot="mid"></div>')
    body = "\n".join(paragraphs)
    most_read = "".join(
        f'<li><a href="/s{page.feed:02d}/m/{i}.html">'
        f'{escape(_title(rng, story.lang, _topic(rng, story.lang)))}</a></li>'
        for i in range(10)
    )
    head = (
        f'<!DOCTYPE html>\n<html lang="{story.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(story.title)} | {escape(site_name)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="description" content="{escape(teaser)}">'
        f'<meta property="og:title" content="{escape(story.title)}">'
        f'<meta property="og:site_name" content="{escape(site_name)}">'
        f'<meta property="og:description" content="{escape(teaser)}">'
        f'<meta property="og:url" content="{url}"><meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{iso}">'
        f'<meta name="author" content="{escape(story.author)}">'
        f'<meta name="keywords" content="{escape(story.topic)}, {voc["nav"][4]}">'
        f'<link rel="canonical" href="{url}">'
        f'<link rel="alternate" type="application/rss+xml" href="{BASE}{feed_path}">'
        '<link rel="stylesheet" href="/static/main.css">'
        f'<script type="application/ld+json">{ld}</script>'
        "<style>.nav__item{display:inline-block;padding:0 .5rem}.card{display:flex}"
        ".card__title{font-size:1.1rem}.footer{background:#222;color:#eee}</style>"
        "</head>\n"
    )
    header = (
        '<body class="page page--article"><div id="cookie-banner" class="cookie">'
        f'<p>{escape(voc["cookie"])}</p><button>OK</button></div>'
        f'<header class="site-header"><a class="logo" href="/">{escape(site_name)}</a>'
        f'<nav class="nav nav--main"><ul>{nav}</ul></nav>'
        f'<nav class="nav nav--topics"><ul>{subnav}</ul></nav>'
        '<form class="search" action="/search"><input name="q"><button>Search</button></form>'
        "</header>\n"
    )
    article = (
        '<main id="content"><article class="article">'
        f'<nav class="breadcrumb"><a href="/">{escape(site_name)}</a> › '
        f'<a href="/s{page.feed:02d}/politics/">{voc["nav"][2]}</a></nav>'
        f'<h1 class="article__title">{escape(story.title)}</h1>'
        f'<p class="byline">{escape(story.author)} · <time datetime="{iso}">'
        f'{story.published:%d.%m.%Y %H:%M}</time></p>'
        f'<div class="article__body">\n{body}\n</div>'
        '<div class="share"><a href="#">Facebook</a><a href="#">X</a><a href="#">E-Mail</a>'
        "</div></article>\n"
    )
    sidebar = (f'<aside class="sidebar"><h2>{voc["most_read"]}</h2><ol>{most_read}</ol>'
               "</aside>\n")
    footer = (
        '</main><footer class="footer">'
        + "".join(f'<a href="/s{page.feed:02d}/legal/{i}">{escape(w)}</a> '
                  for i, w in enumerate(voc["footer"].split(". ")))
        + f"<p>© 2025 {escape(site_name)}. {escape(voc['footer'])}</p></footer>\n"
        '<script src="/static/app.js" defer></script></body></html>\n'
    )
    fixed = len(head) + len(header) + len(article) + len(sidebar) + len(footer)
    deficit = max(0, target - fixed)
    cards: list[str] = [f'<section class="related"><h2>{voc["related"]}</h2>']
    size = 0
    n = 0
    while size < deficit // 2:
        card = _teaser_card(rng, story.lang, page.feed, n)
        cards.append(card)
        size += len(card)
        n += 1
    cards.append("</section>\n")
    blob = _script_blob(rng, deficit - size) if deficit - size > 500 else ""
    return head + header + article + "".join(cards) + sidebar + blob + footer


def render_rss(site_name: str, feed_path: str, lang: str, pages: list[Page]) -> str:
    items = []
    for page in pages:
        story = page.story
        link = f"{BASE}/s{page.feed:02d}/{page.slug}.html"
        teaser = " ".join(story.paragraphs[0][:2])
        items.append(
            f"<item><title>{escape(story.title)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{page.slug}</guid>'
            f"<pubDate>{format_datetime(story.published)}</pubDate>"
            f"<dc:creator>{escape(story.author)}</dc:creator>"
            f"<category>{escape(story.topic)}</category>"
            f"<description>{escape('<p>' + escape(teaser) + '</p>')}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{escape(site_name)}</title><link>{BASE}/</link>"
        f'<atom:link href="{BASE}{feed_path}" rel="self" type="application/rss+xml"/>'
        f"<description>{escape(site_name)}</description><language>{lang}</language><ttl>15"
        "</ttl>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def render_atom(site_name: str, feed_path: str, lang: str, pages: list[Page]) -> str:
    entries = []
    for page in pages:
        story = page.story
        link = f"{BASE}/s{page.feed:02d}/{page.slug}.html"
        iso = story.published.isoformat().replace("+00:00", "Z")
        teaser = " ".join(story.paragraphs[0][:2])
        entries.append(
            f"<entry><title>{escape(story.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{link}"/>'
            f"<id>tag:bench.invalid,2025:{page.slug}</id><published>{iso}</published>"
            f"<updated>{iso}</updated><author><name>{escape(story.author)}</name></author>"
            f'<category term="{escape(story.topic)}"/>'
            f'<summary type="html">{escape("<p>" + escape(teaser) + "</p>")}</summary></entry>'
        )
    updated = max(p.story.published for p in pages).isoformat().replace("+00:00", "Z")
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xml:lang="{lang}"><title>{escape(site_name)}</title>'
        f'<link rel="self" href="{BASE}{feed_path}"/><link rel="alternate" href="{BASE}/"/>'
        f"<id>{BASE}{feed_path}</id><updated>{updated}</updated>\n"
        + "\n".join(entries) + "\n</feed>\n"
    )


def generate_site(root: Path, pages: int, feeds: int, seed: int,
                  duplicate_share: float = 0.15) -> Site:
    """Write the site under ``root``; deterministic for a seed (dates: the last 7 days)."""
    rng = random.Random(seed)
    site = Site(root)
    # Dates relative to today (midnight UTC), so a real story index's window keeps them all.
    anchor = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    site.languages = ["de" if f % 5 in (1, 3) else "en" for f in range(feeds)]
    per_feed = [pages // feeds + (1 if f < pages % feeds else 0) for f in range(feeds)]
    originals: dict[str, list[tuple[int, Page]]] = {"en": [], "de": []}
    by_feed: list[list[Page]] = [[] for _ in range(feeds)]
    # Round-robin over feeds so near-duplicates can come from any other feed.
    for slot in range(max(per_feed, default=0)):
        for f in range(feeds):
            if slot >= per_feed[f]:
                continue
            lang = site.languages[f]
            slug = f"{slot:04d}-{rng.getrandbits(32):08x}"
            others = [(g, p) for g, p in originals[lang][-400:] if g != f]
            if others and rng.random() < duplicate_share:
                _, source_page = rng.choice(others)
                page = Page(f, slug, variant(rng, source_page.story),
                            duplicate_of=f"s{source_page.feed:02d}/{source_page.slug}")
            else:
                published = anchor - timedelta(minutes=rng.randint(60, 7 * 24 * 60))
                page = Page(f, slug, new_story(rng, lang, published))
                originals[lang].append((f, page))
            by_feed[f].append(page)
            site.pages.append(page)
    for f in range(feeds):
        lang = site.languages[f]
        name = _site_name(f, lang)
        atom = f % 2 == 1
        feed_path = f"/feeds/s{f:02d}.{'atom' if atom else 'rss'}"
        folder = root / f"s{f:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for page in by_feed[f]:
            html_text = render_page(rng, page, name, feed_path)
            data = html_text.encode("utf-8")
            site.bytes_html += len(data)
            (folder / f"{page.slug}.html").write_bytes(data)
        feed_pages = sorted(by_feed[f], key=lambda p: p.story.published, reverse=True)
        render = render_atom if atom else render_rss
        (root / "feeds").mkdir(exist_ok=True)
        (root / feed_path.lstrip("/")).write_text(render(name, feed_path, lang, feed_pages),
                                                  encoding="utf-8")
        site.feeds.append(feed_path)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return site


def write_sources(site: Site, base: str, path: Path) -> None:
    lines = []
    for f, feed_path in enumerate(site.feeds):
        lines += ["[[sources]]", f'name = "bench-s{f:02d}"', f'url = "{base}{feed_path}"',
                  'kind = "feed"', f'language = "{site.languages[f]}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The server (own process): every file in memory, HTTP/1.1 keep-alive, threads.
# ---------------------------------------------------------------------------------------------
_TYPES = {".rss": "application/rss+xml; charset=utf-8",
          ".atom": "application/atom+xml; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


def serve(root: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files: dict[str, tuple[bytes, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            found = files.get(self.path.split("?", 1)[0])
            body, ctype = found if found else (b"not found", "text/plain")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}".encode()
    for path in root.rglob("*"):
        if path.is_file():
            body = path.read_bytes().replace(BASE.encode(), base)
            ctype = _TYPES.get(path.suffix, "application/octet-stream")
            files["/" + path.relative_to(root).as_posix()] = (body, ctype)
    print(base.decode(), flush=True)
    server.serve_forever()


# ---------------------------------------------------------------------------------------------
# The bare spider (own process): feedparser + trafilatura.extract, nothing else.
# ---------------------------------------------------------------------------------------------
def bare_settings(mode: str) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import crawler.settings as shipped

    settings = {name: getattr(shipped, name) for name in SHARED_SETTINGS if hasattr(shipped, name)}
    settings.update(MODES[mode])
    settings["LOG_LEVEL"] = "WARNING"  # as `policywire crawl` without --log-level
    return settings


def run_bare(sources: Path, mode: str) -> None:
    import feedparser
    import scrapy
    import trafilatura
    from scrapy.crawler import CrawlerProcess

    feeds = [s["url"] for s in tomllib.loads(sources.read_text("utf-8"))["sources"]]
    counts = {"entries": 0, "articles": 0, "chars": 0}

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):  # type: ignore[no-untyped-def]
            for url in feeds:
                yield scrapy.Request(url, callback=self.parse_feed, dont_filter=True)

        def parse_feed(self, response):  # type: ignore[no-untyped-def]
            parsed = feedparser.parse(io.BytesIO(response.body),
                                      response_headers={"content-location": response.url})
            for entry in parsed.entries:
                counts["entries"] += 1
                if entry.get("link"):
                    yield scrapy.Request(entry["link"], callback=self.parse_article,
                                         dont_filter=True)

        def parse_article(self, response):  # type: ignore[no-untyped-def]
            text = trafilatura.extract(response.text, url=response.url)
            counts["articles"] += 1
            counts["chars"] += len(text or "")
            yield {"url": response.url, "chars": len(text or "")}

    # Timed like policywire's main(): from the crawler process's creation to its end.
    start = time.perf_counter()
    process = CrawlerProcess(bare_settings(mode))
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    print(json.dumps({**counts, "items": crawler.stats.get_value("item_scraped_count", 0),
                      "crawl_seconds": time.perf_counter() - start}))


# The policywire side: `crawler.cli.main` after (in throughput mode) patching the settings
# module's politeness values; prints the in-process time of main() as its last stderr line.
POLICYWIRE_BOOT = """
import json, sys, time
import crawler.settings as settings
for key, value in json.loads(sys.argv[1]).items():
    setattr(settings, key, value)
from crawler.cli import main
start = time.perf_counter()
code = main(sys.argv[2:])
print("BENCH " + json.dumps({"crawl_seconds": time.perf_counter() - start}), file=sys.stderr)
sys.exit(code)
"""


# ---------------------------------------------------------------------------------------------
# The runner
# ---------------------------------------------------------------------------------------------
@dataclass
class Run:
    kind: str
    wall: float  # the subprocess, start to exit
    cpu: float  # its user + system CPU seconds (robust when other work shares the machine)
    crawl: float  # in-process: from the crawl's set-up to its end (no interpreter, imports)
    info: dict[str, Any]


def _timed(cmd: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=ROOT,
                          check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, wall, cpu


def _env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(ROOT) not in paths:
        paths.append(str(ROOT))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["POLICYWIRE_ALLOW_PRIVATE_ADDRESSES"] = "1"
    return env


def time_bare(sources: Path, mode: str) -> Run:
    cmd = [sys.executable, __file__, "--_bare", str(sources), "--mode", mode]
    proc, wall, cpu = _timed(cmd)
    if proc.returncode != 0:
        sys.exit(f"bare spider failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    return Run("bare", wall, cpu, info.pop("crawl_seconds"), info)


def policywire_command(sources: Path, out: Path, state: Path, mode: str) -> list[str]:
    return [sys.executable, "-c", POLICYWIRE_BOOT, json.dumps(MODES[mode]), "crawl",
            "--sources", str(sources), "--output-dir", str(out), "--state-dir", str(state),
            "--allow-private-addresses"]


def time_policywire(sources: Path, work: Path, mode: str, number: int) -> Run:
    out, state = work / f"out-{number}", work / f"state-{number}"
    proc, wall, cpu = _timed(policywire_command(sources, out, state, mode))
    bench = [line for line in proc.stderr.splitlines() if line.startswith("BENCH ")]
    if proc.returncode not in (0, 1) or not bench:
        sys.exit(f"policywire crawl failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    info = _count_output(out)
    info["exit_code"] = proc.returncode
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    return Run("policywire", wall, cpu, json.loads(bench[-1][6:])["crawl_seconds"], info)


def _count_output(out: Path) -> dict[str, Any]:
    counts: dict[str, Any] = {"records": 0, "rejects": 0, "duplicates": 0, "stories": 0}
    stories = set()
    for path in out.rglob("records-*.jsonl"):
        for line in path.read_bytes().splitlines():
            record = json.loads(line)
            counts["records"] += 1
            counts["duplicates"] += record.get("duplicate_of") is not None
            stories.add(record.get("story_id"))
    for path in out.rglob("rejects-*.jsonl"):
        for line in path.read_bytes().splitlines():
            counts["rejects"] += 1
            reasons = counts.setdefault("reject_reasons", {})
            reason = json.loads(line).get("reason")
            reasons[reason] = reasons.get(reason, 0) + 1
    counts["stories"] = len(stories)
    return counts


def start_server(root: Path) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen([sys.executable, __file__, "--_serve", str(root)],
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    base = server.stdout.readline().strip()
    if not base.startswith("http://127.0.0.1:"):
        server.kill()
        sys.exit("the benchmark server did not start")
    return server, base


def _median(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages in all (2000)")
    parser.add_argument("--feeds", type=int, default=20, help="feeds (20)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each crawler (3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=sorted(MODES), default="throughput",
                        help="throughput: no politeness delay on either side (default); "
                             "shipped: crawler/settings.py as is (delay-bound)")
    parser.add_argument("--keep", metavar="DIR", help="generate the site into DIR and keep it")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--serve-only", action="store_true",
                        help="generate and serve the site, write sources.toml, print the "
                             "policywire command and wait (for profiling); stop with Ctrl-C")
    parser.add_argument("--_serve", help=argparse.SUPPRESS)
    parser.add_argument("--_bare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._serve:
        serve(Path(args._serve))
        return 0
    if args._bare:
        run_bare(Path(args._bare), args.mode)
        return 0

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    work.mkdir(parents=True, exist_ok=True)
    log = sys.stderr
    try:
        started = time.perf_counter()
        site = generate_site(work / "site", args.pages, args.feeds, args.seed)
        print(f"site: {len(site.pages)} pages in {len(site.feeds)} feeds, "
              f"{site.bytes_html / len(site.pages) / 1024:.1f} KB/page on average, "
              f"{site.duplicates} near-duplicates; generated in "
              f"{time.perf_counter() - started:.1f} s", file=log)
        server, base = start_server(work / "site")
        try:
            sources = work / "sources.toml"
            write_sources(site, base, sources)
            if args.serve_only:
                command = policywire_command(sources, work / "out", work / "state", args.mode)
                print(f"serving {base}; sources: {sources}\nPYTHONPATH={_env()['PYTHONPATH']}"
                      f" {' '.join(map(shlex.quote, command))}", file=log, flush=True)
                with contextlib.suppress(KeyboardInterrupt):
                    server.wait()
                return 0
            runs: dict[str, list[Run]] = {"bare": [], "policywire": []}
            load_before = os.getloadavg()[0]
            for number in range(args.repeats):
                order = ("bare", "policywire") if number % 2 == 0 else ("policywire", "bare")
                for kind in order:
                    run = (time_bare(sources, args.mode) if kind == "bare"
                           else time_policywire(sources, work, args.mode, number))
                    runs[kind].append(run)
                    print(f"  run {number + 1} {kind:10s} wall {run.wall:6.1f} s  "
                          f"cpu {run.cpu:6.1f} s  in-process {run.crawl:6.1f} s  "
                          f"{json.dumps(run.info)}", file=log, flush=True)
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    result = summarise(site, runs, args, (load_before, load_after))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_result(result)
    return 0


def summarise(site: Site, runs: dict[str, list[Run]], args: argparse.Namespace,
              load: tuple[float, float]) -> dict[str, Any]:
    pages = len(site.pages)
    result: dict[str, Any] = {
        "pages": pages, "feeds": len(site.feeds), "repeats": args.repeats, "mode": args.mode,
        "seed": args.seed, "kb_per_page": round(site.bytes_html / pages / 1024, 1),
        "near_duplicates": site.duplicates, "cores": os.cpu_count(),
        "load_average_1min": [round(x, 2) for x in load],
    }
    for kind, kind_runs in runs.items():
        wall = _median(kind_runs, "wall")
        result[kind] = {
            "wall_s": round(wall, 2), "cpu_s": round(_median(kind_runs, "cpu"), 2),
            "in_process_s": round(_median(kind_runs, "crawl"), 2),
            "pages_per_s": round(pages / wall, 1),
            "walls": [round(r.wall, 2) for r in kind_runs],
            "cpus": [round(r.cpu, 2) for r in kind_runs],
            "last": kind_runs[-1].info,
        }
    for key in ("wall_s", "cpu_s", "in_process_s"):
        result[f"ratio_{key[:-2]}"] = round(result["policywire"][key] / result["bare"][key], 2)
    records = [r.info["records"] for r in runs["policywire"]]
    result["policywire_records"] = records
    result["one_record_per_page"] = all(n == pages for n in records)
    return result


def print_result(result: dict[str, Any]) -> None:
    pages = result["pages"]
    print(f"{pages} pages, {result['feeds']} feeds, {result['kb_per_page']} KB/page, "
          f"{result['near_duplicates']} near-duplicates, mode {result['mode']}, "
          f"median of {result['repeats']}")
    for kind in ("bare", "policywire"):
        r = result[kind]
        print(f"  {kind:10s} wall {r['wall_s']:6.1f} s  ({r['pages_per_s']:5.1f} pages/s)  "
              f"cpu {r['cpu_s']:6.1f} s  in-process {r['in_process_s']:6.1f} s")
    print(f"  ratio policywire/bare: {result['ratio_wall']:.2f}x wall, "
          f"{result['ratio_cpu']:.2f}x cpu, {result['ratio_in_process']:.2f}x in-process "
          "(target <= 1.3x)")
    last = result["policywire"]["last"]
    verdict = "one record per page" if result["one_record_per_page"] else "RECORD COUNT MISMATCH"
    print(f"  policywire records per run: {result['policywire_records']} ({verdict}); last run: "
          f"{last['rejects']} rejects, {last['duplicates']} marked duplicate, "
          f"{last['stories']} stories; bare extracted {result['bare']['last']['articles']} "
          "articles")
    print(f"  load average (1 min) before/after: {result['load_average_1min']} on "
          f"{result['cores']} cores (> ~2 means other work competed: trust cpu over wall)")


if __name__ == "__main__":
    sys.exit(main())
