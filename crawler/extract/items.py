"""Parts of a page that are not the page: microdata items of another thing, an event's
marked day, and what only a printout shows.

- A shop's product page dates each customer review (Shopware's "Kundenbewertungen":
  ``<div itemtype="http://schema.org/Review">`` > ``<meta itemprop="datePublished"
  content="2014-12-29">``), a blog each comment, an events calendar each event (The Events
  Calendar's ``itemtype="http://schema.org/Event"`` > ``itemprop="startDate"``): the day a
  reader wrote or the day the event takes place, not the day the page went up.
- A print footer (``<p id="footer_print" class="print">Stand: 08.05.2019, 05:02 Uhr</p>``,
  ``<div id="printFooter">gedruckt am: Freitag, 7. Oktober 2016</div>``) states the day the
  page was rendered or printed: the day it was fetched, not its publication.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html

# schema.org types whose dates are their own (a review's, a comment's, an answer's, an
# event's), by the last part of ``itemtype``; "...Event" takes its subtypes (MusicEvent,
# SportsEvent). Not a media object: a podcast's page dates its episode by its AudioObject's
# ``uploadDate`` (ndr.de, labelled), which is the page's day.
_FOREIGN_TYPES = re.compile(r"(?:review|comment|usercomments|answer|\w*event|rating)",
                            re.IGNORECASE)
# A class or id naming what only a printout shows: "print", "footer_print", "printFooter",
# "print-only", Bootstrap's "visible-print"/"d-print-block", German "druckfuss"; not what a
# printout hides ("no-print", "noprint", "hidden-print", "d-print-none") nor "printable"
# (an article's own wrapper on some sites).
_PRINT_ONLY = re.compile(r"(?<![a-z])(?<!no-)(?<!no_)(?<!hidden-)(?<!hide-)(?<!non-)"
                         r"(?:print|druck)(?:[-_]?(?:only|footer|header|info|url|fuss|fuß|kopf))?"
                         r"(?![a-zß])(?![-_]?(?:none|hide|hidden|no\b))", re.IGNORECASE)


# Headings that introduce other articles' teasers, at the heading's start ("Mehr zum Thema",
# "Weitere Meldungen", "Related stories"): what follows them up to the next heading of their
# rank dates other articles. Not "Mehr zur ...": an article's own section ("Mehr zur
# Geschichte") as often as a box of others.
RELATED_HEADING = re.compile(r"(?:mehr zum thema|mehr aus |weitere (?:artikel"
                             r"|meldungen|nachrichten|beiträge|themen|news|videos|audios"
                             r"|podcasts|folgen)|mehr (?:videos|audios|podcasts)|das könnte sie"
                             r"|auch interessant|lesen sie auch|passend zum thema|ähnliche "
                             r"(?:artikel|beiträge)|verwandte|meistgelesen|related|more (?:from"
                             r"|on|stories|news)|you (?:may|might) also|recommended|most read"
                             r"|read (?:more|next))", re.IGNORECASE)


# A class or id naming an event ("event-date", "event-meta", "tribe-events-schedule",
# German "termin"): an events calendar's or an announcement's day of the event. The date line
# reader passes such marks over too (``shown._EVENT_MARKS``).
_EVENT_NAMES = re.compile(r"(?<![a-z])(?:event|termin)", re.IGNORECASE)


# A value's cell and the cells that label it: a table row's header ("<th>Beginn</th><td>Sa.,
# 17.01.2026</td>"), a definition list's term ("<dt>Anmeldeschluss</dt><dd>...</dd>").
_VALUE_CELLS = frozenset({"td", "dd"})
_LABEL_CELLS = frozenset({"th", "td", "dt"})


def cell_label(element: lxml_html.HtmlElement) -> str:
    """The words that label the value in ``element``: for a table's or a definition list's
    value cell, the cell before it ("Beginn", "Anmeldeschluss", "Publiziert am"); else
    none."""
    cell = next((e for e in (element, *element.iterancestors()) if e.tag in _VALUE_CELLS),
                None)
    before = cell.getprevious() if cell is not None else None
    return before.text_content().strip() if before is not None and \
        before.tag in _LABEL_CELLS else ""


def foreign_item(element: lxml_html.HtmlElement) -> bool:
    """Whether ``element`` belongs to a microdata item of another thing than the page: its
    nearest ``itemscope`` (itself or an ancestor) is a review, comment, event, picture..."""
    for node in (element, *element.iterancestors()):
        if node.get("itemscope") is not None:
            return _is_foreign(node)
    return False


def not_the_page(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The elements of foreign items, of an event's marks and of print-only blocks, each
    with all inside it; never one that holds an h1 (a review article set as a ``Review``
    item is the page, an announcement's whole ``div.event`` too)."""
    holders = {a for h1 in tree.iter("h1") for a in h1.iterancestors()}
    for element in tree.iter():
        if not isinstance(element.tag, str) or element in holders:
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if (element.get("itemscope") is not None and _is_foreign(element)) or \
                _PRINT_ONLY.search(names) or _EVENT_NAMES.search(names):
            yield from element.iter()


def _is_foreign(node: lxml_html.HtmlElement) -> bool:
    kinds = [kind.rstrip("/").rsplit("/", 1)[-1] for kind in (node.get("itemtype") or "").split()]
    return any(_FOREIGN_TYPES.fullmatch(kind) for kind in kinds)
