"""Authors, and the header lines that are not body: bylines and date lines.

A page names its authors in JSON-LD, in an author ``<meta>``, or only in its byline, which
trafilatura's author search reads as it can: "Matthias Wyssuwa; Washington" (FAZ's byline
with its dateline city), "Veröffentlicht" or "Mittwoch" (a date line's first word, where a
class says author and date at once). So a part that is a date's word or a place after a
person's name is no author.

The body trafilatura gives starts with the header it kept: "Von Matthias Gebauer und
Konstantin von Hammerstein" (Spiegel), the author's name and "19.03.2025, 17:42 Uhr" under a
lead (a styled-components template whose classes say nothing). A byline that names the
record's authors, and a date line, among the body's first lines (or a byline as its last)
is the header's, not the article's words. A byline whose names no declaration states gives
the record its authors, the names as the page prints them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html

from crawler.extract.headlines import is_dateline
from crawler.extract.sitenames import host_labels, is_site, squash
from crawler.normalize import clean_text, fold

_AUTHOR_METAS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
# The body's first lines that may still be its header: a lead, the author, the date line.
_HEAD_LINES = 4
# A name's words: capitalised, or a nobiliary particle ("Konstantin von Hammerstein").
_NAME_WORD = r"(?:[A-ZÄÖÜ][\w'’.-]*|von|van|de|der|den|zu|la|le|di|da|del|bin|al)"
_NAME = rf"[A-ZÄÖÜ][\w'’.-]*(?:\s+{_NAME_WORD}){{0,3}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|&|\bund\b|\band\b)\s*{_NAME})*"
# "Von X und Y", "Ein Kommentar von X", "By X", "Autorin: X", perhaps with a dateline place
# or an agency after a comma ("Von Anna Schmidt, Washington", "Von Anna Schmidt, dpa").
_BYLINE = re.compile(
    rf"^(?i:(?:ein|eine)\s+(?:kommentar|analyse|gastbeitrag|essay|kolumne|reportage|bericht"
    rf"|interview)\s+von|von|by|text:?|autor:|autorin:)\s+(?P<names>{_NAMES})"
    rf"(?:\s*[,|/]\s*[\w.-]+)?\s*$")
# A byline's names part by part: "X und Y", "X, Y & Z".
_JOINS = re.compile(r"\s*(?:;|,|\bund\b|\band\b|&)\s*")
# A reading time on a line of its own, beside the date line: "2 Min. Lesezeit" (Wix),
# "Lesedauer: 3 Minuten", "5 min read".
_READING_TIME = re.compile(
    r"^(?:(?:lesedauer|lesezeit|reading time)\s*:?\s*)?(?:ca\.\s*|etwa\s*|~\s*)?\d{1,3}"
    r"\s*(?:min\.?|minuten|minutes?|mins?)(?![\w])\.?\s*(?:lesezeit|lesedauer|read"
    r"|reading time|zum lesen|lesen)?\.?$", re.IGNORECASE)
# A part of an author string that is a date line's word, not a name.
_DATE_WORDS = frozenset({
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "veröffentlicht", "aktualisiert", "erstellt", "geändert", "stand", "datum",
    "published", "updated", "posted", "modified"})
# A one-word part in title case after a person's name is a place (a dateline's "Washington",
# trafilatura's "Munich", "Germany" of a publisher's address) or an agency, not a co-author:
# a person is named with two words at least.
_FIGURE = re.compile(r"(?<![\w.])\d+(?![\w])")
# A label some templates put in the author field itself, before the names: "By X" (Daily
# Mail's JSON-LD), "Par X" (French), "Auteur X", WordPress's "View all posts by X". Not
# "Von": a name may start so ("Von der Leyen"), and the body's "Von X" is _BYLINE's.
_LABEL = re.compile(r"^(?:view all posts by|posts by|written by|posted by|by|par|auteur"
                    r"|autor|autorin|author)\s*:?\s+(?=\S)", re.IGNORECASE)
_PLACE = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{2,}$")
# A social handle beside a name ("Williams Perdomo @wperdomod") or for it ("@NatGeoUK" in
# article:author): an account, not a name.
_HANDLE = re.compile(r"(?:^|\s+)@\w+$")
# A CMS's login as the name (WordPress makes "majainfos_zlfca4v6" for an account created by
# a plugin or a host's installer, and Yoast prints it as the Person's name): lower-case
# words joined by "_" ending in a random part of letters and digits. Not a chosen handle
# ("Herr_Rein", labelled on tafelblog.de), which has capitals or no figure.
_LOGIN = re.compile(r"^[a-z0-9]+(?:[._][a-z0-9]+)*_(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{6,}$")
# What no name holds, which trafilatura's author search picks up beside one: a share
# widget's label ("so Artikel empfehlen:", sonntag-sachsen.de), a web address (a
# ``<meta name="creator">`` "Medianotions, www.medianotions.de", printed "Www Medianotions
# De"). Not a comment's "stephangoeldi said": "Said" is a surname too (Edward Said).
_NO_NAME = re.compile(r"(?i:\b(?:empfehlen|teilen|share|tweet)$|^www\b|\bwww\.)")
# The JSON-LD types of an organisation, which publishers put in ``author`` for themselves.
_ORGANIZATIONS = frozenset({
    "organization", "newsmediaorganization", "corporation", "ngo", "governmentorganization",
    "educationalorganization", "localbusiness", "onlinebusiness", "website", "brand"})
# A publication's article before its name ("DIE ZEIT" on zeit.de, "The Guardian"): no given
# name, the name is the site's.
_ARTICLES = frozenset({"der", "die", "das", "the", "le", "la", "les", "el", "il", "lo", "de",
                       "het"})
# Where a page prints names that are not its article's authors, by a class or id of the
# element or an ancestor: its comments (WordPress's ``li.comment``, ``div.comment-author``, a
# "Recent Comments" widget's ``span.comment-author-link``, Jetpack's
# ``recentcommentsavatar``, Disqus) and its theme's or builder's credit
# (``span.theme-author`` "Catch Themes", "powered by", ``site-info``, ``colophon``).
# trafilatura's author search reads "stephangoeldi said" and "flappy bird" so.
_ASIDE = re.compile(r"^(?:comments?|commentlist|recent-?comments.*|comment[-_].+|disqus.*"
                    r"|respond|.*powered.*|theme-(?:author|name|credit).*|site-info"
                    r"|.*credits?|colophon)$", re.IGNORECASE)
# A company's legal form ends its name: "wegewerk GmbH", the agency that built a TYPO3 site
# and filled its author <meta>; a person's name never ends so.
_LEGAL_FORM = re.compile(r"\s(?:GmbH|mbH|AG|UG|KG|SE|e\.\s?V\.|Ltd\.?|Inc\.?|LLC)$")


def declared_authors(ld: list[dict[str, object]], meta: dict[str, str],
                     nodes: dict[str, dict[str, object]] | None = None) -> tuple[str, ...]:
    """The authors JSON-LD names (``author``: a name, a Person, a list, a reference to a
    Person node among ``nodes`` by its ``@id``), else an author ``<meta>`` (not a profile's
    URL), split into names. An Organization is no author: news sites name themselves so
    ("futurezone.at", "SPIEGEL ONLINE", "National Geographic") where no person signs."""
    names: list[str] = []
    for item in _author_items(ld, nodes):
        if isinstance(item, dict) and _is_organization(item):
            continue
        name = item.get("name") if isinstance(item, dict) else item
        # A profile's URL as the name (frolleinherr.com's JSON-LD) names no one.
        if isinstance(name, str) and not name.strip().startswith(("http://", "https://")):
            names.append(_HANDLE.sub("", _LABEL.sub("", clean_text(name), count=1)))
    if not names:
        raw = next((meta[key] for key in _AUTHOR_METAS if meta.get(key)), None)
        return split_authors(raw) if raw and not raw.startswith("http") else ()
    return tuple(dict.fromkeys(n for n in names if n))


def people(ld: list[dict[str, object]],
           nodes: dict[str, dict[str, object]] | None = None) -> frozenset[str]:
    """The authors JSON-LD types ``Person`` (squashed): a person whose site bears their name
    ("Julia" of crazy-julia.de, Yoast's ``["Person", "Organization"]``) is still its author."""
    return frozenset(squash(item["name"]) for item in _author_items(ld, nodes)
                     if isinstance(item, dict) and isinstance(item.get("name"), str)
                     and "person" in _types(item))


def organizations(nodes: dict[str, dict[str, object]]) -> frozenset[str]:
    """The names (squashed) of the JSON-LD nodes typed an organisation and not a person: the
    site's publisher as its ``@graph`` declares it ("The Planetary Press"), whose name a
    theme's author box may print where the author's login is its display name."""
    return frozenset(squash(str(node["name"])) for node in nodes.values()
                     if _is_organization(node))


def _author_items(ld: list[dict[str, object]],
                  nodes: dict[str, dict[str, object]] | None) -> Iterator[object]:
    """Each ``author`` item of the article's nodes, a reference read from ``nodes``."""
    for node in ld:
        for given in _flat(node.get("author")):
            yield nodes.get(str(given.get("@id")), given) if (
                isinstance(given, dict) and "name" not in given and nodes) else given


def _flat(value: object) -> list[object]:
    """An ``author`` value's items, a list of lists too (Spiegel's ``[[{...}]]``)."""
    if not isinstance(value, list):
        return [value]
    return [item for part in value for item in _flat(part)]


def _is_organization(node: dict[str, object]) -> bool:
    """Typed an organisation and not a person: Yoast SEO types a one-person site's owner
    ``["Person", "Organization"]``."""
    names = _types(node)
    return bool(names & _ORGANIZATIONS) and "person" not in names


def _types(node: dict[str, object]) -> set[str]:
    types = node.get("@type")
    return {t.casefold() for t in (types if isinstance(types, list) else [types])
            if isinstance(t, str)}


def without_publishers(authors: tuple[str, ...], names: tuple[str, ...],
                       *urls: str | None, persons: frozenset[str] = frozenset()
                       ) -> tuple[str, ...]:
    """``authors`` without those naming the site (``names``: squashed, as
    :func:`crawler.extract.sitenames.site_names` gives them; and the hosts of ``urls``, short
    ones too: "NDR" of ndr.de): a publisher fills its author ``<meta>`` with its own name
    where no person signs ("El Comercio Perú", "Süddeutsche.de GmbH"), or adds it after
    the person's ("Rob Picheta, CNN"). Not one of ``persons`` (:func:`people`). Nor a
    login (:data:`_LOGIN`): the page then names no author, rather than the one trafilatura's
    search would make of the login ("Majainfos Zlfca")."""
    hosts = {squash(label) for url in urls if url for label in host_labels(url)}
    authors = tuple(_without_site_word(a, {*names, *hosts}) for a in authors
                    if not _LOGIN.match(a))
    return tuple(a for a in authors if squash(a) in persons or _surnamed(a, names) or (
        not is_site(a, names) and squash(a) not in hosts and not _agency(a, {*names, *hosts})))


def _without_site_word(author: str, names: set[str]) -> str:
    """``author`` without a last word in small letters that is the site's name ("Daniel
    Hentschel ebrosia" of ebrosia.de's author <meta>): a name's words are capitalised."""
    words = author.split()
    last = words[-1] if len(words) >= 3 else ""
    return " ".join(words[:-1]) if last.islower() and squash(last) in names else author


def _agency(author: str, names: set[str]) -> bool:
    """A company that is not the site ("wegewerk GmbH" on zdh.de: the web agency): a
    publisher signing with its legal name ("EnBW Energie Baden-Württemberg AG" on enbw.com)
    is its author, and names the site."""
    squashed = squash(author)
    return bool(_LEGAL_FORM.search(author)) and not any(
        len(n) >= 3 and n in squashed for n in names)


def searched_authors(raw: str | None, tree: lxml_html.HtmlElement, names: tuple[str, ...],
                     *urls: str | None, publishers: frozenset[str] = frozenset()
                     ) -> tuple[str, ...]:
    """The names trafilatura's author search found (``raw``) that are the article's: not a
    name the page prints only in its comments or its theme's credit (:data:`_ASIDE`), nor an
    agency's or a site's name run into a person's (:func:`without_publishers`' word rules),
    nor an organisation the page's JSON-LD declares (``publishers``, :func:`organizations`).
    The site's own name otherwise stays: a blog named after its author ("surfguard",
    "MoritzMeyer"), an organisation signing its own page ("Wikimedia Foundation", "Attac
    France": neither declares itself an Organization node)."""
    hosts = {squash(label) for url in urls if url for label in host_labels(url)}
    known = {*names, *hosts}
    found = (_without_site_word(a, known) for a in split_authors(raw))
    return tuple(a for a in found if squash(a) not in publishers
                 and not _agency(a, known) and not _printed_only_aside(tree, a))


def _printed_only_aside(tree: lxml_html.HtmlElement, name: str) -> bool:
    """Whether every text of the page holding ``name``'s first word (trafilatura capitalises
    what it found: "Stephangoeldi Said") sits in a comment or a credit; ``False`` where no
    text holds it (an attribute's name)."""
    word = name.split(maxsplit=1)[0].casefold()
    # A text is its element's, a tail its parent's.
    places = [owner for node in tree.iter() if isinstance(node.tag, str)
              for text, owner in ((node.text, node), (node.tail, node.getparent()))
              if text and owner is not None and word in text.casefold()]
    return bool(places) and all(_aside(node) for node in places)


def _aside(node: lxml_html.HtmlElement) -> bool:
    for element in (node, *node.iterancestors()):
        marks = f"{element.get('class') or ''} {element.get('id') or ''}".split()
        if any(_ASIDE.match(mark) for mark in marks):
            return True
    return False


def _surnamed(author: str, names: tuple[str, ...]) -> bool:
    """Whether ``author`` is a name whose last word alone is the site's ("Jan Stern" on
    stern.de, "Anna Welt" on welt.de): :func:`is_site` counts a site's name filling half of
    a text, which a short surname does, but a publisher puts its name first ("Stern Online",
    "Süddeutsche.de GmbH") or alone."""
    words = author.split()
    return (len(words) >= 2 and squash(words[-1]) in names and squash(author) not in names
            and not is_site(" ".join(words[:-1]), names)
            and not all(w.casefold() in _ARTICLES for w in words[:-1]))


def split_authors(raw: str | None) -> tuple[str, ...]:
    """An author string's names: split at ";", ",", "und", "and", "&"; without a date
    line's words, figures ("On August 3"; not "mix1.de Redaktion"), and a place or agency
    after a person's name."""
    if not raw:
        return ()
    parts = [_HANDLE.sub("", p) for p in _JOINS.split(_LABEL.sub("", clean_text(raw), count=1))]
    parts = [p for p in parts if p]
    kept = []
    for index, part in enumerate(parts):
        after_a_name = any(len(p.split()) >= 2 for p in parts[:index])
        if part.casefold() in _DATE_WORDS or _FIGURE.search(part) or _NO_NAME.search(part) or (
                after_a_name and _PLACE.match(part)) or _LOGIN.match(part):
            continue
        kept.append(part)
    return tuple(dict.fromkeys(kept))


def header_lines_removed(text: str | None,
                         authors: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """``text`` without the byline, the date line and the reading time among its first
    lines, nor a byline as its last; and the authors, those of a byline where none were
    known."""
    if not text:
        return text, authors
    lines = text.split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        head = index < _HEAD_LINES and len(lines) > index + 1
        tail = index == len(lines) - 1 and index > 0
        names = _byline_names(line, authors) if head or tail else None
        if names is not None:
            authors = authors or names
            continue
        if head and (is_dateline(line) or _READING_TIME.match(line.strip())):
            continue
        kept.append(line)
    return "\n".join(kept).strip() or None, authors


def _byline_names(line: str, authors: tuple[str, ...]) -> tuple[str, ...] | None:
    """The names of a byline ("Von X und Y", or the authors' names alone) that are the
    record's ``authors`` (or any, where none are known); ``None`` for any other line."""
    stripped = line.strip()
    found = _BYLINE.match(stripped)
    names = split_authors(found["names"]) if found else ()
    known = {fold(a) for a in authors}
    if not found:
        # The authors' names alone on a line ("Jana Beispiel"), as the byline prints them.
        parts = {fold(p) for p in _JOINS.split(stripped) if p}
        return authors if known and parts == known else None
    if not known:
        # No author declared: the byline names them, if its names are people's (two words
        # at least: "Von Kiew" is no byline).
        return names if names and all(len(n.split()) >= 2 for n in names) else None
    return names if names and {fold(n) for n in names} <= known else None
