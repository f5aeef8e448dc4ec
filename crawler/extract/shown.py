"""The date a page shows its reader as its publication: the date line by the headline.

"29.04.2020, 12:01 Uhr", "30 septembre 2018", "Monday, 6 January 2020", a ``<time
datetime>``: what the page prints beside its byline is the day its readers (and the labels
of ``benchmarks/eval_extract.py``) take for the publication. Metadata can say otherwise: a
generic ``<meta name="date">`` a day late (neues deutschland), no metadata at all and a
reader's comment dated first in the page (regards.fr, where htmldate took the comment's).

The text just after the article's ``h1`` is read, else just above it within its own block,
and there only a date in a date-like element (``<time>``, a class, id or itemprop naming a
date, time, byline or meta line) or a line of its own: dates in the body's sentences ("Am
21. und 22. Mai 2022 ...", "vom 9.1.-10.2.2023") and in sidebars and menus before the
article are events, other articles and the site's "today". A date labelled as an update
("Aktualisiert am", "Last modified", ``class="updated"``) is never the publication. Where the
header shows none, a date the page labels as its publication ("Veröffentlicht am ...")
anywhere but in its comments, or in its description, is taken.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, tzinfo
from functools import cached_property

from lxml import html as lxml_html

from crawler.extract.daytext import (
    EVENT_LABEL,
    MEMBER_LABEL,
    days_in,
    opens_with_dateline,
    reads_both_ways,
    slash_order,
)
from crawler.extract.elsewhere import elsewhere
from crawler.extract.items import RELATED_HEADING, cell_label, foreign_item
from crawler.extract.pagetext import DATE_LIKE, LINE_CHARS, marks_of, texts_of
from crawler.extract.title_sources import heading_text
from crawler.extract.titles import KICKER_WORDS
from crawler.extract.zones import zoned_day
from crawler.normalize import fold

# Characters of text after the headline that make up its header: the date line sits within
# a few hundred (a kicker, a teaser sentence, the author); the body has begun by then.
_HEADER_CHARS = 400
# A lead's marks (``itemprop="description"``, "teaser-detail", "lead", "intro"): a date line
# may follow it, however long it runs, up to this many characters.
_LEAD = re.compile(r"description|teaser|lead|intro|standfirst|summary|excerpt", re.IGNORECASE)
_LEAD_CHARS = 1500
_ARTICLE_H1 = "//article//h1 | //main//h1"
_VISIBLE = "//body//text()[not(ancestor::script or ancestor::style)]"
# Headings of each rank read for the one stating the title: a page's headline is among the
# first (as in :mod:`crawler.extract.title_sources`).
_HEADINGS = 12
# An event's date under an announcement's headline, by its label (:data:`EVENT_LABEL`) or
# by the marks of an events calendar (schema.org Event's startDate, "event-meta").
_EVENT_MARKS = re.compile(r"(?<![a-z])event|startdate|enddate", re.IGNORECASE)
_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Elements whose earlier siblings are outside the article: the site's header, its menus.
_SECTIONS = frozenset({"article", "main", "body", "section"})

_NOT_THE_ARTICLES = re.compile(r"comment|kommentar|related|sidebar|widget|teaser|forum|footer"
                               r"|caption"
                               r"|reply|(?<![a-z])nav", re.IGNORECASE)
# An edit's labels: "Aktualisiert", "Stand:", a CMS's "Letzte Änderung", "Zuletzt
# bearbeitet", "Korrigiert", "Ergänzt", "Last edited", "Revised".
_UPDATE = re.compile(r"updat|modifi|aktualisiert|geändert|änderung|bearbeitet|korrigiert"
                     r"|ergänzt|edited|revised|corrected|mis à jour|actualizad|aggiornat"
                     r"|\bstand\b", re.IGNORECASE)
# Labels in the text ("veröffentlicht am", Swiss "Publiziert:", a publication's
# "Erscheinungsdatum"), and in class names ("published", "pubdate").
_PUBLISHED = re.compile(r"veröffentlich|publiziert|erschienen|erscheinungs|erstellt|published"
                        r"|publié|publicado|pubblicato|posted", re.IGNORECASE)
_PUBLICATION = re.compile(r"publi|pubdate|posted", re.IGNORECASE)
# A definition list's term for the publication ("Publikationsdatum", "Erscheinungsdatum",
# "Publication date").
_DEFINED = re.compile(rf"{_PUBLISHED.pattern}|publikation|publication", re.IGNORECASE)
_COMMENTS = re.compile(r"comment|kommentar|forum|reply", re.IGNORECASE)
# A publication label at the start of a line or after "(", "|", "•", a dash or a colon.
_LABEL = re.compile(r"(?:^|[(\[|•·–—:]\s*)(?:veröffentlicht|publiziert|erschienen"
                    r"|erscheinungsdatum|erstellt|beitrag vom|published|publié"
                    r"|publicado|pubblicato|posted|pressemitteilung|meldung|notizia"
                    r"|comunicato)\b", re.IGNORECASE)
# Characters a label's date may start after it ("am Montag, ", "on ", ": 2:00am, ").
_LABEL_GAP = 16
# A release's number between its label and its day ("Pressemitteilung Nr. 45/2025 vom 21.
# Mai 2025", a court's or ministry's numbering): no gap, the number is the label's.
_NUMBERED = re.compile(r"\s*(?:nr\.?|no\.?|nummer|number)\s*\d+(?:[/.-]\d+)?", re.IGNORECASE)
# Room for the longest written date ("30 de septiembre de 2020", 24 characters) and slack.
_LONGEST_DATE = 30


def shown_date(tree: lxml_html.HtmlElement, description: str | None = None,
               zone: tzinfo | None = None, title: str | None = None,
               base: date | None = None) -> tuple[str, str] | None:
    """(``YYYY-MM-DD``, as written) of the publication date the page shows its reader: in
    the article's header, under the headline, else just above it (a date line over the
    h1, in its own block), the first marked as the publication, else the nearest not marked
    as an update; else the first date the page labels as its publication, wherever it
    stands, or its ``description`` does. A ``<time datetime>`` written in UTC names its
    day in the publisher's ``zone`` (:mod:`crawler.extract.zones`); a day without its year
    ("12. Juni, 14:03 Uhr") is read against ``base`` (:func:`days_in`). The headline is the
    heading that states the page's ``title``, else (or where none is read by that one) the
    article's h1 as before: Blogger prints its date line three levels above the post's h3,
    within reach of the blog's h1 only."""
    reading = _Reading(zone, base, tree)
    anchors = (_titled(tree, title), _headline(tree))
    for headline in dict.fromkeys(node for node in anchors if node is not None):
        around = frozenset(headline.iterancestors())
        found = (_pick(_after(headline), around, reading)
                 or _pick(_kickers(headline), around, reading, lines=True)
                 or _pick(_before(headline), around, reading))
        if found is not None:
            return found
    return _labelled(tree, description) or _defined(tree) or _bookmarked(tree)


@dataclass(frozen=True)
class _Reading:
    """How the header's dates are read: a UTC stamp in the publisher's ``zone``; a day
    written without its year against ``base``, one that reads both ways in the page's
    ``order`` (:func:`days_in`)."""

    zone: tzinfo | None
    base: date | None
    page: lxml_html.HtmlElement

    @cached_property
    def order(self) -> str | None:
        """Read once, and only for a page whose header has a date that reads both ways."""
        return slash_order(" ".join(self.page.xpath(_VISIBLE)))


def _labelled(tree: lxml_html.HtmlElement, description: str | None) -> tuple[str, str] | None:
    """The first date a label names the publication of: "VERÖFFENTLICHT AM 07.06.2019" in
    an article's info box (sonntag-sachsen.de, whose header shows only the site's today),
    "(Notizia del 14 Gennaio 2020)" in a press release's description (parcoabruzzo.it). The
    label starts its line, or follows a bracket or separator: mid-sentence, "a study
    published on 5 March" dates another publication. Comments are not read."""
    body = tree.find("body")
    texts = texts_of(body) if body is not None else iter(())
    for text, node in itertools.chain(texts, [(description or "", None)]):
        line = text.strip()
        for label in _LABEL.finditer(line):
            number = _NUMBERED.match(line, label.end())
            end = number.end() if number else label.end()
            rest = line[end:end + _LABEL_GAP + _LONGEST_DATE]
            days = days_in(rest)
            if days and rest.find(days[0][1]) <= _LABEL_GAP and (
                    node is None or not _COMMENTS.search(marks_of(node))):
                return days[0]
    return None


def _defined(tree: lxml_html.HtmlElement) -> tuple[str, str] | None:
    """The day a definition list's publication term names: a publication's meta list below
    its abstract ("<dt>Publikationsdatum</dt><dd>25.06.2025</dd>", BICC), where the header
    shows none and no line labels one. Not an update's term, nor a list in the comments."""
    for term in tree.iter("dt"):
        label = " ".join(term.text_content().split())
        value = term.getnext()
        if value is None or value.tag != "dd" or not _DEFINED.search(label) or \
                _UPDATE.search(label) or _COMMENTS.search(marks_of(term)):
            continue
        days = days_in(" ".join(value.text_content().split()))
        if days:
            return days[0]
    return None


def _bookmarked(tree: lxml_html.HtmlElement) -> tuple[str, str] | None:
    """The date that is the whole text of a link to the post itself (``rel="bookmark"``, the
    microformats' permalink: WordPress's "posted-on", Blogger themes' "blog_links" after the
    post, plentylife.blogspot.com's "Mai 03, 2017"), where the header shows none; not in a
    box of other posts or in the comments (:data:`_NOT_THE_ARTICLES`)."""
    for link in tree.xpath("//a[@rel='bookmark']"):
        text = " ".join(link.text_content().split())
        days = days_in(text)
        if len(days) == 1 and len(days[0][1]) >= len(text) - 1 and not (
                _NOT_THE_ARTICLES.search(marks_of(link)) or any(
                    node.tag in ("aside", "nav") for node in link.iterancestors())):
            return days[0]
    return None


def _pick(texts: Iterator[tuple[str, lxml_html.HtmlElement]],
          around: frozenset[lxml_html.HtmlElement],
          reading: _Reading, lines: bool = False) -> tuple[str, str] | None:
    """The first date of the texts marked as the publication, else the first unmarked;
    ``lines``: each text is a line of its own, however long (a kicker's)."""
    unmarked = None
    for text, node in texts:
        # Once a text, not once a date (a 1 MB line of dates took minutes); its whitespace
        # runs as one space, as shown: the markup's indentation is no length of the line.
        line = " ".join(text.split())
        for day, written, label in _labelled_days(text, node, reading):
            kind = _kind(node, label, "" if lines or opens_with_dateline(line, written) else line,
                         around)
            if kind == "publication":
                return day, written
            if kind == "unmarked" and unmarked is None:
                unmarked = day, written
    return unmarked


def _days(text: str, node: lxml_html.HtmlElement,
          reading: _Reading) -> list[tuple[str, str]]:
    """The days written in ``text``; a ``<time>``'s ``datetime`` names its day written as
    the whole stamp, a UTC one the day it falls on in the publisher's zone (FAZ's
    "2024-07-11T22:40:12Z" over "12.07.2024, 00:40")."""
    stamp = text.strip()
    days = days_in(text, reading.base, reading.order if reads_both_ways(text) else None)
    if node.tag == "time" and stamp == (node.get("datetime") or "").strip() and days:
        # The stamp whole, so its time of day reaches the record.
        return [(zoned_day(stamp, reading.zone) or days[0][0], stamp)]
    return days


def _labelled_days(text: str, node: lxml_html.HtmlElement,
                   reading: _Reading) -> list[tuple[str, str, str]]:
    """The days of ``text`` (:func:`_days`), each with the words that label it: a
    ``<time>``'s own (:func:`_labelled_by`); in a line of text, the words from the day
    before it up to it. A line states its dates each under its label ("Aktualisiert am
    13.06.2024, erstmals veröffentlicht am 12.06.2024"): the whole line's labels read for
    each day made the update the publication, or the publication an update."""
    days = _days(text, node, reading)
    if node.tag == "time":
        return [(day, written, _labelled_by(node, text)) for day, written in days]
    found, start = [], 0
    for day, written in days:
        at = text.find(written, start)
        # A day matched twice over one stretch (two formats) keeps the whole line's labels.
        label = text if at < 0 else text[start:at]
        start = start if at < 0 else at + len(written)
        found.append((day, written, label))
    return found


def _labelled_by(node: lxml_html.HtmlElement, text: str) -> str:
    """The words a date's labels are read in: a ``<time>``'s ``datetime`` is labelled by the
    element's own words and those just before it (Zeit's ``<time datetime=...>Aktualisiert
    am 12. Juni 2024</time>``, "Aktualisiert: <time ...>", Merkur's ``<span>Stand:</span>
    <time ...>``), not by the stamp alone."""
    if node.tag != "time":
        return text
    previous, parent = node.getprevious(), node.getparent()
    if previous is not None:  # "<span>Stand:</span> <time ...>": the label's own element too
        before = f"{previous.text_content()} {previous.tail or ''}".strip()
    else:
        before = (parent.text or "") if parent is not None else ""
    return f"{before[-_LABEL_GAP:]} {node.text_content()} {text}"


def _titled(tree: lxml_html.HtmlElement, title: str | None) -> lxml_html.HtmlElement | None:
    """The first h1, else h2 or h3, that states ``title`` (after a kicker, perhaps): the
    article's headline where a site's name (Blogger's blog title) holds the page's h1, or
    the headline is an h2 (Spiegel, SZ) or an h3 (Blogger's post title)."""
    wanted = fold(title or "")
    if not wanted:
        return None
    for tags in (("h1",), ("h2", "h3")):
        for node in itertools.islice(tree.iter(*tags), _HEADINGS):
            text = fold(heading_text(node))
            if text.endswith(wanted) and len(text) <= 2 * len(wanted):
                return node
    return None


def _headline(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The article's h1 (in ``<article>`` or ``<main>``), else the page's first with text."""
    for nodes in (tree.xpath(_ARTICLE_H1), tree.iter("h1")):
        for node in nodes:
            if node.text_content().strip():
                return node
    return None


def _after(headline: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The text after the headline in document order, as (text, the element it belongs
    to), until the header's length is read or a heading introduces other articles; a
    ``<time>``'s ``datetime`` comes first."""
    read = lead = 0
    for text, owner in _following(headline):
        if owner.tag in _SUBHEADINGS and RELATED_HEADING.match(" ".join(text.split())):
            return  # "Mehr zur Sicherheitspolitik": other articles' teasers, each dated
        yield text, owner
        if _LEAD.search(marks_of(owner)) and lead < _LEAD_CHARS:
            lead += len(text.strip())  # a lead before the date line (rnz.de, 600 characters)
        else:
            read += len(text.strip())
        if read > _HEADER_CHARS:
            return


def _following(headline: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """Texts after the headline's subtree: its tail, its later siblings' subtrees, then
    the same from each ancestor up."""
    node = headline
    while node.getparent() is not None:
        if node.tail and node.tail.strip():
            yield node.tail, node.getparent()
        for sibling in node.itersiblings():
            yield from texts_of(sibling)
        node = node.getparent()


def _kickers(headline: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The texts of the kicker that opens the headline's element, an element's few words
    before the headline's own ("<h1><span>Verteidigung/Antwort - 14.06.2024 (hib
    412/2024)</span> Headline</h1>": the Bundestag's "heute im bundestag", a press office's
    "15.06.2024 - Pressemitteilung"): a kicker is a line of its own, its day the page's.
    Not an element after the headline's first words ("Gemeinderat tagt am <b>12.06.</b>"):
    that day is the headline's, an event's."""
    if not len(headline) or (headline.text or "").strip():
        return
    for text, owner in texts_of(headline[0]):
        words = sum(any(c.isalpha() for c in word) for word in text.split())
        if owner is not headline and words <= KICKER_WORDS:
            yield text, owner


def _before(headline: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The texts just above the headline, nearest first: its earlier siblings', then its
    parent's unless that parent is the article itself (or the page's main or body: what
    stands before it is the site's header), until half the header's length is read. No
    further up: there the site's header and sidebars begin (a blog's recent posts)."""
    parent = headline.getparent()
    levels = [headline]
    if parent is not None and parent.tag not in _SECTIONS:
        levels.append(parent)
    read = 0
    for level in levels:
        for sibling in level.itersiblings(preceding=True):
            for text, owner in reversed(list(texts_of(sibling))):
                yield text, owner
                read += len(text.strip())
                if read > _HEADER_CHARS // 2:
                    return


def _kind(node: lxml_html.HtmlElement, text: str, line: str,
          around: frozenset[lxml_html.HtmlElement]) -> str | None:
    """``publication``, ``update``, ``unmarked``, or ``None`` for a date that is not the
    article's (a sentence of the body, a comment, a related article): ``text`` the words
    labelling the date, ``line`` the whole text holding it, stripped. Only the marks of
    elements that hold the date and not the headline count: the article's container
    (WordPress's "post status-publish hentry") holds both and says nothing of either."""
    marks = marks_of(node, around)
    text = f"{cell_label(node)} {text}"  # "<th>Beginn</th><td>Sa., 17.01.2026</td>"
    if _NOT_THE_ARTICLES.search(marks) or elsewhere(node, around) or \
            EVENT_LABEL.search(text) or MEMBER_LABEL.search(f"{text} {marks}") or \
            _EVENT_MARKS.search(marks) or foreign_item(node):
        return None  # foreign_item: a customer review's "Am: 14.03.2024" under a product
    if node.tag != "time" and not DATE_LIKE.search(marks) and \
            len(line) > LINE_CHARS:
        return None
    # A label in the text speaks louder than a class: WordPress marks its publication date
    # "entry-date published updated" on a post never edited.
    for source, published in ((text, _PUBLISHED), (marks, _PUBLICATION)):
        if _UPDATE.search(source) and not published.search(source):
            return "update"
        if published.search(source):
            return "publication"
    return "unmarked"
