"""The date an article's header shows its reader: the date line under the headline.

"29.04.2020, 12:01 Uhr", "30 septembre 2018", "Monday, 6 January 2020", a ``<time
datetime>``: what the page prints beside its byline is the day its readers (and the labels
of ``benchmarks/eval_extract.py``) take for the publication. Metadata can say otherwise: a
generic ``<meta name="date">`` a day late (neues deutschland), no metadata at all and a
reader's comment dated first in the page (regards.fr, where htmldate took the comment's).

Only the text just after the article's ``h1`` is read, and there only a date in a date-like
element (``<time>``, a class, id or itemprop naming a date, time, byline or meta line) or a
line of its own: dates in the body's sentences ("Am 21. und 22. Mai 2022 ...", "vom
9.1.-10.2.2023") and in sidebars before the headline are events and other articles. A date
labelled as an update ("Aktualisiert am", "Last modified", ``class="updated"``) is never the
publication; a numeric date that reads both ways (03/04/2020) is not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from lxml import html as lxml_html

# Characters of text after the headline that make up its header: the date line sits within
# a few hundred (a kicker, a teaser sentence, the author); the body has begun by then.
_HEADER_CHARS = 400
# A chunk of text this short is a line of its own ("| 30 septembre 2018"), not a sentence.
_LINE_CHARS = 40
# Ancestors whose class or id still speak for a text node (span < li.Date < ul.Infoline).
_ANCESTORS = 3
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})
_ARTICLE_H1 = "//article//h1 | //main//h1"

_MONTH_NAMES = (
    "januar jänner january janvier gennaio enero janeiro januari jan",
    "februar feber february février fevrier febbraio febrero fevereiro februari feb",
    "märz maerz march mars marzo março maart mar mär",
    "april avril aprile abril apr",
    "mai may maggio mayo maio mei",
    "juni june juin giugno junio junho jun",
    "juli july juillet luglio julio julho jul",
    "august août aout agosto augustus aug",
    "september septembre settembre septiembre setembro sept sep",
    "oktober october octobre ottobre octubre outubro okt oct",
    "november novembre noviembre novembro nov",
    "dezember december décembre decembre dicembre diciembre dezembro dez dec dic",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1)
           for name in names.split()}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_YEAR = r"((?:19|20)\d\d)"
# Each pattern's groups in (year, month, day) order are given by its key.
_FORMATS = (
    ("ymd", re.compile(_YEAR + r"-(\d\d)-(\d\d)")),
    ("dmy", re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?" + _YEAR + r"(?!\d)")),
    # 23.09.22: two digits each, or version numbers ("1.5.17") would pass for dates.
    ("dmy2", re.compile(r"(?<![\d.])(\d\d)\.(\d\d)\.(\d\d)(?![\d.])")),
    ("dMy", re.compile(r"(?<!\d)(\d{1,2})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(" + _MONTH
                       + r")\.?,?\s+(?:de\s+)?" + _YEAR, re.IGNORECASE)),
    ("Mdy", re.compile(r"\b(" + _MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR,
                       re.IGNORECASE)),
    ("slash", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/" + _YEAR)),
)
_DATE_LIKE = re.compile(r"date|time|datum|zeit|meta|byline|info|posted|publi|dateline|fecha",
                        re.IGNORECASE)
_NOT_THE_ARTICLES = re.compile(r"comment|kommentar|related|sidebar|widget|teaser|forum|footer"
                               r"|reply|(?<![a-z])nav", re.IGNORECASE)
_UPDATE = re.compile(r"updat|modifi|aktualisiert|geändert|mis à jour|actualizad|aggiornat"
                     r"|\bstand\b", re.IGNORECASE)
# Labels in the text ("veröffentlicht am"), and in class names ("published", "pubdate").
_PUBLISHED = re.compile(r"veröffentlicht|erschienen|published|publié|publicado|pubblicato"
                        r"|posted", re.IGNORECASE)
_PUBLICATION = re.compile(r"publi|pubdate|posted", re.IGNORECASE)


def days_in(text: str) -> list[tuple[str, str]]:
    """Every calendar day written in ``text``, in order: (``YYYY-MM-DD``, as written).
    Numeric dates are read day first (European), unless the day cannot be first
    (12/31/2020); one that reads both ways is left out."""
    found = []
    for key, pattern in _FORMATS:
        for match in pattern.finditer(text):
            day = _day(key, match.groups())
            if day is not None:
                found.append((match.start(), day, match.group(0)))
    return [(day, written) for _, day, written in sorted(found)]


def shown_date(tree: lxml_html.HtmlElement) -> tuple[str, str] | None:
    """(``YYYY-MM-DD``, as written) of the publication date the article's header shows:
    under the headline, else just above it (a date line over the h1, in its own block); the
    first marked as the publication, else the nearest not marked as an update."""
    headline = _headline(tree)
    if headline is None:
        return None
    around = frozenset(headline.iterancestors())
    return _pick(_after(headline), around) or _pick(_before(headline), around)


def _pick(texts: Iterator[tuple[str, lxml_html.HtmlElement]],
          around: frozenset[lxml_html.HtmlElement]) -> tuple[str, str] | None:
    unmarked = None
    for text, node in texts:
        for day, written in days_in(text):
            kind = _kind(node, text, around)
            if kind == "publication":
                return day, written
            if kind == "unmarked" and unmarked is None:
                unmarked = day, written
    return unmarked


def _day(key: str, groups: tuple[str, ...]) -> str | None:
    if key == "ymd":
        year, month, day = groups
    elif key in ("dmy", "dmy2"):
        day, month, year = groups
        year = f"20{year}" if len(year) == 2 else year
    elif key == "dMy":
        day, month, year = groups[0], str(_MONTHS[groups[1].lower()]), groups[2]
    elif key == "Mdy":
        month, day, year = str(_MONTHS[groups[0].lower()]), groups[1], groups[2]
    else:  # slash: day first unless it cannot be; both readable is no date
        first, second, year = groups
        if int(first) <= 12 and int(second) <= 12 and first != second:
            return None
        day, month = (second, first) if int(first) <= 12 < int(second) else (first, second)
    return _valid(int(year), int(month), int(day))


def _valid(year: int, month: int, day: int) -> str | None:
    """The day as ISO, if it exists and is not in the future (a day ahead allowed for zones):
    a page cannot have been published after it was fetched."""
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if found <= date.today() + timedelta(days=1) else None


def _headline(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The article's h1 (in ``<article>`` or ``<main>``), else the page's first with text."""
    for nodes in (tree.xpath(_ARTICLE_H1), tree.iter("h1")):
        for node in nodes:
            if node.text_content().strip():
                return node
    return None


def _after(headline: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The text after the headline in document order, as (text, the element it belongs
    to), until the header's length is read; a ``<time>``'s ``datetime`` comes first."""
    read = 0
    for text, owner in _following(headline):
        yield text, owner
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
            yield from _texts(sibling)
        node = node.getparent()


def _before(headline: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The texts just above the headline, nearest first: its earlier siblings', then its
    parent's, until half the header's length is read. No further up: there the site's
    header and sidebars begin (a blog's list of recent posts with their dates)."""
    read = 0
    for level in (headline, headline.getparent()):
        for sibling in level.itersiblings(preceding=True) if level is not None else ():
            for text, owner in reversed(list(_texts(sibling))):
                yield text, owner
                read += len(text.strip())
                if read > _HEADER_CHARS // 2:
                    return


def _texts(top: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """A subtree's texts in document order, each with the element it belongs to (a
    ``<time>``'s ``datetime`` before its text), its tail last; none from a script or the
    like."""
    for node in top.iter():
        if isinstance(node.tag, str) and not _hidden(node, top):
            if node.tag == "time" and node.get("datetime"):
                yield node.get("datetime", ""), node
            if node.text and node.text.strip():
                yield node.text, node
        parent = node.getparent()
        if node is not top and node.tail and node.tail.strip() and not _hidden(parent, top):
            yield node.tail, parent
    if top.tail and top.tail.strip():
        yield top.tail, top.getparent()


def _hidden(node: lxml_html.HtmlElement, top: lxml_html.HtmlElement) -> bool:
    """Whether the node or an ancestor of it up to ``top`` is a script, style or the like."""
    for element in (node, *node.iterancestors()):
        if element.tag in _SKIPPED:
            return True
        if element is top:
            return False
    return False


def _kind(node: lxml_html.HtmlElement, text: str,
          around: frozenset[lxml_html.HtmlElement]) -> str | None:
    """``publication``, ``update``, ``unmarked``, or ``None`` for a date that is not the
    article's (a sentence of the body, a comment, a related article). Only the marks of
    elements that hold the date and not the headline count: the article's container
    (WordPress's "post status-publish hentry") holds both and says nothing of either."""
    chain = [node, *list(node.iterancestors())[:_ANCESTORS]]
    chain = chain[:next((i for i, n in enumerate(chain) if n in around), len(chain))]
    marks = " ".join(str(n.get(attr) or "") for n in chain
                     for attr in ("class", "id", "itemprop"))
    if _NOT_THE_ARTICLES.search(marks):
        return None
    if node.tag != "time" and not _DATE_LIKE.search(marks) and len(text.strip()) > _LINE_CHARS:
        return None
    # A label in the text speaks louder than a class: WordPress marks its publication date
    # "entry-date published updated" on a post never edited.
    for source, published in ((text, _PUBLISHED), (marks, _PUBLICATION)):
        if _UPDATE.search(source) and not published.search(source):
            return "update"
        if published.search(source):
            return "publication"
    return "unmarked"
