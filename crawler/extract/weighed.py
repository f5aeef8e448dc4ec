"""Whether htmldate's day is one the page states for itself.

htmldate (inside trafilatura) reports a day wherever it finds one, and with
``extensive_search`` it finds days the page never states as its own:

- a year or a month alone, completed to its first day: a footer's "© 2025" reported as
  2025-01-01, an archive heading's "März 2025" as 2025-03-01, a century added to "0001";
- a day read the wrong way round from a date that reads both ways: Drupal's default
  "Fr, 05/03/2024 - 14:12" is 3 May, htmldate reads 5 March;
- an edit's day: a page that writes "Zuletzt aktualisiert: 10. Juni 2024" first and
  "Erstellt: 03. Mai 2024" after it (Joomla's ``dl.article-info``, a town's "Stand:" line),
  where the publication's line is none htmldate knows;
- another article's day, or a reader's: told to prefer the original date it takes the oldest
  it sees, and where the page declares none, that is a comment's, a teaser's in the "Mehr
  zum Thema" box, a WordPress "Neueste Beiträge" widget (``<aside class="widget
  widget_recent_entries">`` with its ``<span class="post-date">``), a tagDiv theme's
  ``td-related`` block, Spiegel's and Zeit's related-article lists: each such box dates
  the articles it links to, and so does a plain list under a heading that introduces them
  ("Mehr zum Thema", "Weitere Meldungen", "Related stories");
- a picture's day: "/2022/08/17/vereinsheim.jpg" in an ``<img>``'s address is its upload's;
- a customer review's, a comment's or an event's day in its microdata item, and the day a
  print footer was rendered (:mod:`crawler.extract.items`);
- a forum member's day ("Registriert: Sa 3. Mär 2018" in a post's profile box), a period's
  start or end ("Betriebsurlaub: 22.12.2025 bis 06.01.2026"), a deadline ("bis zum
  30.04.2025 an das Pfarrbüro"), and a side column's coming dates (Jimdo's ``#cc-sidecol``).

A day the page writes only there, or nowhere, is no publication's: no date is better than
an invented one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree
from lxml import html as lxml_html

from crawler.extract.dates import invented_century, url_day
from crawler.extract.daytext import (
    EVENT_LABEL,
    MEMBER_LABEL,
    PUBLICATION_LABEL,
    UPDATE_LABEL,
    days_at,
    days_in,
)
from crawler.extract.items import RELATED_HEADING, cell_label, not_the_page
from crawler.extract.otherdays import deadlines_only, periods_only, ticketed

# Containers of other articles' teasers: by element (a sidebar, a menu, the site's footer;
# not an article's own ``<footer>``, where WordPress themes put "Posted on <time>") or by a
# class or id naming them: WordPress's "widget-area" and "widget_recent_entries" (not any
# "widget": Blogger sets the post itself in a "widget Blog", Elementor each block in an
# "elementor-widget"), "related", "recent", "popular", "sidebar", German "weitere",
# "mehr-zum-thema", "empfehlung". Not "teaser": German CMSs call an article's lead so.
_TEASER_TAGS = ("aside", "nav", "footer")
# Readers' comments date themselves (WordPress's ``#comments`` > ``ol.comment-list`` >
# ``li.comment`` with its ``<time>``; Disqus's "dsq-comment"; German "kommentar"): htmldate
# took a comment's day on regards.fr where the page has none of its own.
_TEASER_NAMES = re.compile(r"related|sidebar|sidecol|(?<![\w-])widget[_-]|recent|popular|weitere"
                           r"|mehr-?zum|empfehl|recommend|comment|kommentar", re.IGNORECASE)
# A list of links to other documents, each perhaps with its day ("Information der
# Verbraucherzentrale NRW vom 02.01.2016" under its link in a federal ministry's
# ``ul.links``, the Government Site Builder's; "linklist", "link-list", "weblinks"): the
# day is the linked document's. Lists only: German sites name a left column "links".
_LINK_LISTS = re.compile(r"(?<![a-z])(?:links|link-?list|weblinks)(?![a-z])", re.IGNORECASE)
# The elements a line of an announcement is, and how long such a line runs.
_LINES = ("p", "li", "dd", "dt", "td", "span", "strong", "b")
_LINE_CHARS = 120
# Elements that wrap a line's label ("<strong>Termin:</strong> 21.06.2025"), and how far
# into a line its label starts.
_LABELS = frozenset({"strong", "b", "span"})
_LABEL_CHARS = 20
_ISO = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")
_SKIPPED = frozenset({"script", "style", "noscript", "template"})
_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
# Elements that show a picture, and the attributes that give its address.
_PICTURES = ("img", "source", "video")
_PICTURE_URLS = ("src", "srcset", "data-src", "data-srcset", "poster")


def unfounded(day: str | None, markup: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether htmldate's ``day`` is none the page states as its own: a century it added,
    the first of a month or year the page never writes as a day, a day written only in
    other articles' teasers, or only as the page's edit."""
    if not day:
        return False
    return invented_century(day, markup) or _completed(day[:10], markup) or \
        _guessed(day[:10], markup) or _teasers_only(day[:10], tree) or \
        _edits_only(day[:10], tree) or _pictures_only(day[:10], markup, tree) or \
        periods_only(day[:10], tree) or deadlines_only(day[:10], tree) or \
        ticketed(day[:10], tree)


def _guessed(day: str, markup: str) -> bool:
    """Whether htmldate read ``day`` from a Drupal date line that reads both ways and
    the page writes it in no form that reads one way only. Drupal's default formats write
    the month first and the time after a dash ("Fr, 05/03/2024 - 14:12", 3 May, a German
    site's as much as an American's); htmldate reads such a date day first (5 March).
    Other dates that read both ways ("Stand: 01/03/2025") keep htmldate's reading."""
    year, month, dom = day.split("-")
    if month == dom or int(month) > 12 or int(dom) > 12:
        return False
    drupal = re.compile(rf"(?<!\d)0?{int(dom)}/0?{int(month)}/{year} - \d\d:\d\d")
    if drupal.search(markup) is None:
        return False
    forms = (day, f"{year}/{month}/{dom}", f"{year}{month}{dom}", f"{year}.{month}.{dom}")
    if any(form in markup for form in forms):
        return False
    return all(found != day for found, _ in days_in(markup))


def _completed(day: str, markup: str) -> bool:
    """A first of the month the page writes in no form (ISO, compact "20250301", German or
    English): htmldate filled in a month's or a year's day."""
    if not day.endswith("-01"):
        return False
    year, month, _ = day.split("-")
    # Forms :func:`days_in` leaves out: compact, and both ways readable ("01/03/2025").
    forms = (day, f"{year}/{month}/01", f"{year}{month}01", f"01/{month}/{year}",
             f"{month}/01/{year}", f"1/{int(month)}/{year}", f"{int(month)}/1/{year}")
    if any(form in markup for form in forms):
        return False
    return all(found != day for found, _ in days_in(markup))


def _teasers_only(day: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether every place the page writes ``day`` lies in a teaser box (and it writes it
    in one: a day htmldate read in the URL or a script is not judged here). The boxes are
    read first: most pages' day is in none, and the whole page is read only where it is."""
    teasers = set(_teaser_elements(tree))
    if day not in _days(teasers, teasers):
        return False
    outside = (element for element in tree.iter() if element not in teasers)
    return day not in _days(outside, teasers)


def _days(elements: Iterable[lxml_html.HtmlElement],
          teasers: set[lxml_html.HtmlElement]) -> set[str]:
    """The days written in ``elements``' text or ``datetime``/``content`` attributes, and in
    the tails (their parent's text) of those whose parent is as much in a box as they are."""
    found: set[str] = set()
    for element in elements:
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            continue
        for value in (element.get("datetime"), element.get("content")):
            if value and _ISO.match(value.strip()):
                found.add(value.strip()[:10])
        boxed = element in teasers
        # A tail is its parent's text: outside the box where the element is the box.
        tail = element.tail if (element.getparent() in teasers) == boxed else None
        for text in (element.text, tail):
            if text and any(c.isdigit() for c in text):
                found.update(day for day, _ in days_in(text))
    return found


def _teaser_elements(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    yield from _boxes(tree)
    yield from not_the_page(tree)
    yield from _event_lines(tree)
    yield from _under_related_headings(tree)


def _under_related_headings(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """What follows a heading that introduces other articles ("Mehr zum Thema", "Das
    könnte Sie auch interessieren", "Related stories") up to the next heading of its rank
    or higher: a list of teasers, each with its day, that no class names (a plain ``<ul>``
    of a small CMS, a "teaser-list", which is no box's name: German CMSs call a lead so)."""
    for heading in tree.iter(*_SUBHEADINGS):
        if RELATED_HEADING.match(" ".join(heading.text_content().split())) is None:
            continue
        rank = int(heading.tag[1])
        # A heading alone in its wrapper ("<div class="title"><h3>...</h3></div>"): its
        # wrapper's siblings follow it.
        start = heading if heading.getnext() is not None or heading.getparent() is None \
            else heading.getparent()
        for sibling in start.itersiblings():
            if sibling.tag in _SUBHEADINGS and int(sibling.tag[1]) <= rank:
                break
            yield from sibling.iter()


def _pictures_only(day: str, markup: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether ``day`` is written only in a picture's address ("/2024/05/03/sirene.jpg" in
    an ``<img>``'s ``src`` or ``srcset``, a ``<source>``'s, a video's poster), which htmldate
    reads: the day the picture was uploaded, often an archive picture's, not the page's."""
    year, month, dom = day.split("-")
    # The day as an address writes it, looked for in the markup first: most pages have none.
    if re.search(rf"/{year}[/-]0?{int(month)}[/-]0?{int(dom)}(?:/|\D)", markup) is None:
        return False
    if not any(day in _url_days(element) for element in tree.iter(*_PICTURES)):
        return False
    return day not in _days(tree.iter(), set())


def _url_days(element: lxml_html.HtmlElement) -> set[str]:
    values = (element.get(name) or "" for name in _PICTURE_URLS)
    return {found for value in values for part in value.split()
            if (found := url_day(part)) is not None}


def _event_lines(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The lines that start with an event's label ("Termin: 21.06.2025, 11 Uhr",
    "<strong>Wann:</strong> Samstag, 21. Juni": the label's own element and its line): a
    club's or a town's announcement; the day it takes place is not the day the page went
    up. (Not an edit's line: a wiki's "zuletzt am 29. Januar 2020 geändert" is its only
    date, and labels take it.)"""
    for element in tree.iter(*_LINES):
        start = f"{cell_label(element)} {(element.text or '').lstrip()}".lstrip()[:_LABEL_CHARS]
        if EVENT_LABEL.match(start) is None and MEMBER_LABEL.match(start) is None:
            continue
        parent = element.getparent()
        line = parent if element.tag in _LABELS and parent is not None else element
        if len(line.text_content()) <= _LINE_CHARS:
            yield from line.iter()


def _boxes(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    # A box that holds an h1 holds the article (rnz.de sets its article in an <aside>).
    holders = {a for h1 in tree.iter("h1") for a in h1.iterancestors()}
    for element in tree.iter(*_TEASER_TAGS, "div", "section", "ul", "ol", "li"):
        if element in holders:
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        own = element.tag == "footer" and next(element.iterancestors("article"), None) is not None
        links = element.tag in ("ul", "ol") and _LINK_LISTS.search(names)
        if (element.tag in _TEASER_TAGS and not own) or _TEASER_NAMES.search(names) or links:
            yield from element.iter()


def in_box(element: lxml_html.HtmlElement) -> bool:
    """Whether ``element`` stands in a box of other articles' teasers (:func:`_boxes`'s: a
    sidebar, a menu, the site's footer, a related or recent posts' list) that holds no h1:
    a theme's sidebar widget before the article dates each post it lists with microdata
    (``<article itemscope itemtype="http://schema.org/BlogPosting">`` > ``<meta
    itemprop="datePublished">``), which is not the page's declaration."""
    for node in (element, *element.iterancestors()):
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        own = node.tag == "footer" and next(node.iterancestors("article"), None) is not None
        boxed = (node.tag in _TEASER_TAGS and not own) or _TEASER_NAMES.search(names)
        if boxed and node.find(".//h1") is None:
            return True
    return False


# The labels' words as the body's text is searched for them, in lower case (faster than a
# case-blind search), each a word's start: a script's "dateModified" is no label.
_UPDATE_WORDS = re.compile(r"(?<![a-zäöü])(?:" + UPDATE_LABEL.pattern + ")")
_PUBLICATION_WORDS = re.compile(r"(?<![a-zäöü])(?:" + PUBLICATION_LABEL.pattern + ")")
# The elements whose stamp (``datetime``, ``content``) names a given day.
_STAMPED = etree.XPath("//*[starts-with(normalize-space(@datetime), $day)"
                       " or starts-with(normalize-space(@content), $day)]")
# Characters before a day read for its label ("Zuletzt aktualisiert am Montag, ").
_LABEL_REACH = 40
# The marks of an element whose stamp is an edit's (``<time class="updated">``,
# ``itemprop="dateModified"``, ``<meta name="last-modified">``).
_EDIT_MARKS = re.compile(r"updat|modifi|last-?mod", re.IGNORECASE)


def _edits_only(day: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether the page writes ``day`` and each time as an edit's (under an update's label
    in its text, "Zuletzt aktualisiert: 10. Juni 2024", "Stand: 10.06.2024", or in a stamp
    marked as a modification or labelled so in the text before it) and labels another day
    as its publication ("Erstellt: 03. Mai 2024"): the edit is never the publication. A
    page whose only date is its "Stand:" keeps it (a wiki's "zuletzt geändert", an
    authority's page: labels take it), and a day htmldate read from the URL is not judged."""
    body = tree.find("body")
    visible = etree.tostring(body, method="text", encoding=str).lower() if body is not None else ""
    if _UPDATE_WORDS.search(visible) is None or _PUBLICATION_WORDS.search(visible) is None:
        return False  # most pages label no edit, or no publication: read no further
    if not (any(_EDIT_MARKS.search(_marks(e)) for e in _STAMPED(tree, day=day)) or any(
            found == day for label in _UPDATE_WORDS.finditer(visible)
            for found, _ in days_in(visible[label.end():label.end() + _LABEL_REACH]))):
        return False  # the day under no edit's label
    text, stamps = _flattened(day, tree)
    labelled = list(_labelled_days(text))
    labels = [label for found, label in labelled if found == day]
    labels += ["updated" if _EDIT_MARKS.search(marks) else text[max(0, at - _LABEL_REACH):at]
               for at, marks in stamps]
    published = any(found != day and _is_publication(label) for found, label in labelled)
    return published and bool(labels) and all(_is_edit(label) for label in labels)


def _is_edit(label: str) -> bool:
    return UPDATE_LABEL.search(label) is not None and PUBLICATION_LABEL.search(label) is None


def _is_publication(label: str) -> bool:
    return PUBLICATION_LABEL.search(label) is not None and UPDATE_LABEL.search(label) is None


def _labelled_days(text: str) -> Iterator[tuple[str, str]]:
    """Each day written in ``text`` with its label: the words before it, back to the date
    before it at most (a line of both: "Erstellt: 03.05.2024, geändert: 10.06.2024"). A day
    read from text another day's reading overlaps is left out: looked up as written after
    that one, each such day searched the rest of the page (quadratic: 5 s of CPU for a
    570 KB page of them, tests/test_security_pages.py)."""
    end = 0
    for at, found, written in days_at(text):
        if at < end:
            continue
        yield found, text[max(end, at - _LABEL_REACH):at]
        end = at + len(written)


def _flattened(day: str, tree: lxml_html.HtmlElement) -> tuple[str, list[tuple[int, str]]]:
    """The page's visible text as one string, and its elements' ``datetime``/``content``
    stamps of ``day``, each with where in that text it stands and its element's marks
    (class, itemprop, name, property)."""
    parts: list[str] = []
    size = 0
    stamps: list[tuple[int, str]] = []
    hidden = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        skipped = element.tag in _SKIPPED if isinstance(element.tag, str) else False
        if event == "start":
            hidden += skipped
            own = [element.text] if isinstance(element.tag, str) else []
            if not hidden and isinstance(element.tag, str):
                stamps += [(size, _marks(element)) for value in
                           (element.get("datetime"), element.get("content"))
                           if value and value.strip()[:10] == day]
        else:
            hidden -= skipped
            own = [element.tail]
        for piece in own if not hidden else ():
            if piece:
                parts.append(piece)
                size += len(piece) + 1
    return " ".join(parts), stamps


def _marks(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.get(a) or "" for a in ("class", "itemprop", "name", "property"))
