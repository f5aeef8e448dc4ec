"""Days a page's text writes as another thing's than its publication: a period's start or
end, a deadline, a ticket's event (:func:`crawler.extract.weighed.unfounded` asks)."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from crawler.extract.daytext import days_at, days_in

# What joins a period's two days ("22.12.2025 bis 06.01.2026", "12 June – 14 June 2025",
# "du 3 au 5 mai 2025"), and how far apart the days stand around it.
_UNTIL = re.compile(r"^\s*(?:bis(?: zum)?|to|until|till|au|–|—|-)\s*$", re.IGNORECASE)
_GAP = 12


def _body_text(tree: lxml_html.HtmlElement) -> str:
    body = tree.find("body")
    return etree.tostring(body, method="text", encoding=str) if body is not None else ""


def periods_only(day: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether the page writes ``day`` and each time as a period's start or end (a
    company's "Betriebsurlaub: 22.12.2025 bis 06.01.2026", a road's closure, a holiday):
    the period's days are no publication's."""
    text = _body_text(tree)
    found = days_at(text) if day[:4] in text else []
    ends = [(at, at + len(written), found_day) for at, found_day, written in found]
    mine = [(start, end) for start, end, found_day in ends if found_day == day]
    if not mine:
        return False
    return all(any(_UNTIL.match(text[end:o_start]) or _UNTIL.match(text[o_end:start])
                   for o_start, o_end, _ in ends
                   if 0 <= o_start - end <= _GAP or 0 <= start - o_end <= _GAP)
               for start, end in mine)


# What puts a deadline's day after it: "Beiträge ... bis zum 30.04.2025 an das Pfarrbüro",
# "spätestens am", "Anmeldeschluss:", "until", "jusqu'au". Right before the day, as a
# publication's label never is.
_DEADLINE = re.compile(r"(?:\bbis(?:\s+(?:zum|spätestens))?|\bspätestens(?:\s+(?:am|zum|bis))?"
                       r"|schluss:?|\bfrist:?|\buntil|\bdeadline:?|\bjusqu'(?:au|à))\s*$",
                       re.IGNORECASE)
_DEADLINE_REACH = 30


def deadlines_only(day: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether the page writes ``day`` and each time as a deadline (a parish newsletter's
    "Beiträge für die nächste Ausgabe bitte bis zum 30.04.2025"): a day by which readers
    are to do something is no publication's."""
    text = _body_text(tree)
    found = days_at(text) if day[:4] in text else []
    mine = [at for at, found_day, _ in found if found_day == day]
    return bool(mine) and all(
        _DEADLINE.search(text[max(0, at - _DEADLINE_REACH):at]) for at in mine)


# A ticket shop's <title>: "Community First Aid Evening Tickets, Sat 14 Mar 2026 at 19:00 |
# Eventhub" (Eventbrite's form), "... Tickets | 14.03.2026": the day after "Tickets" (and
# perhaps its weekday) is the event's.
_TICKETS = re.compile(r"\b(?:tickets?|karten|billets?)\b[\s,|:\-–]*(?:[^\W\d]{2,10}\.?,?\s+)?$",
                      re.IGNORECASE)
_TICKET_REACH = 24


def ticketed(day: str, tree: lxml_html.HtmlElement) -> bool:
    """Whether ``day`` is written in the page's ``<title>`` only as a ticket's (after
    "Tickets") and nowhere in its body with its year: a ticket shop's event day."""
    title = tree.findtext(".//title") or ""
    mine = [at for at, found, _ in days_at(title) if found == day]
    if not mine or not all(_TICKETS.search(title[max(0, at - _TICKET_REACH):at])
                           for at in mine):
        return False
    text = _body_text(tree)
    return all(found != day for found, _ in days_in(text))
