"""A page's texts as the date readers walk them: each with the element it belongs to (a
``<time>``'s ``datetime`` first, a date badge's parts whole), and the marks (class, id,
itemprop) of an element and its nearest ancestors that say what a date there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html

from crawler.extract.daytext import days_in

# A chunk of text this short is a line of its own ("| 30 septembre 2018"), not a sentence.
LINE_CHARS = 40
# Marks of an element that holds a date line: a date, a time, a byline, a meta line.
DATE_LIKE = re.compile(r"date|time|datum|zeit|meta|byline|info|posted|publi|dateline|fecha",
                       re.IGNORECASE)
# Ancestors whose class or id still speak for a text node (span < li.Date < ul.Infoline).
_ANCESTORS = 3
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})


def texts_of(top: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """A subtree's texts in document order, each with the element it belongs to (a
    ``<time>``'s ``datetime`` before its text, a date-like element's short text whole before
    its children's), its tail last; none from a script or the like (a parent comes before
    its children, so one set knows what lies inside one)."""
    hidden: set[lxml_html.HtmlElement] = set()
    for node in top.iter():
        parent = node.getparent()
        if not isinstance(node.tag, str) or node.tag in _SKIPPED or parent in hidden:
            hidden.add(node)
        elif node.tag == "time" and node.get("datetime"):
            yield node.get("datetime", ""), node
        elif len(node) and DATE_LIKE.search(node.get("class") or ""):
            yield from _badge(node)
        if node not in hidden and node.text and node.text.strip():
            yield node.text, node
        if node is not top and node.tail and node.tail.strip() and parent not in hidden:
            yield node.tail, parent
    if top.tail and top.tail.strip():
        yield top.tail, top.getparent()


def _badge(node: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """A date badge's text whole: day, month and year each an element of their own
    (``<span class="day">12</span><span class="month">Jun</span>...``), none naming a day
    alone; an element whose parts do (a byline and its ``<time>``) is read part by part."""
    parts: list[str] = []
    for part in node.itertext():
        parts += [part.strip()] if part.strip() else []
        if sum(map(len, parts)) > LINE_CHARS:
            return  # a container's text, not a badge: read no further (nested ones each)
    if node.find(".//time") is None and not any(days_in(part) for part in parts):
        yield " ".join(parts), node


def marks_of(node: lxml_html.HtmlElement,
             around: frozenset[lxml_html.HtmlElement] = frozenset()) -> str:
    """The class, id and itemprop of a node and its nearest ancestors, stopping at the first
    that is in ``around``."""
    chain = [node, *list(node.iterancestors())[:_ANCESTORS]]
    chain = chain[:next((i for i, n in enumerate(chain) if n in around), len(chain))]
    return " ".join(str(n.get(attr) or "") for n in chain
                    for attr in ("class", "id", "itemprop"))
