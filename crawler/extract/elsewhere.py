"""Where a date on a page is something else's than the article's, whatever its label: a
picture's, another article's teaser's, a box of other articles', the site's footer's.

:func:`crawler.extract.shown.shown_date` reads the text around the headline; a short
article brings these within its reach, and their days are not the publication.
"""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract.daytext import days_in

# A picture and its caption: their dates are the photo's (an archive picture's day).
_FIGURES = frozenset({"figure", "figcaption"})
# Ancestors of a date that may be its picture's (span < figcaption < figure).
_FIGURE_ANCESTORS = 3
_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
# A table's or a list's rows, and how many of them, each with a day of its own, make a
# schedule (a parish's services, a club's fixtures, an archive): three, as a date line's
# list holds one day and a "published / updated" pair two.
_ROWS = {"table": ".//tr", "tbody": "./tr", "ul": "./li", "ol": "./li"}
_SCHEDULE_DAYS = 3


def elsewhere(node: lxml_html.HtmlElement, around: frozenset[lxml_html.HtmlElement]) -> bool:
    """Whether the date in ``node`` belongs elsewhere than the article whose headline has
    the ancestors ``around``: a picture's, another article's, a titled aside's, the site's
    footer's."""
    return _in_figure(node, around) or _other_article(node, around) or \
        _site_footer(node) or _titled_aside(node, around) or _in_schedule(node, around)


def _in_schedule(node: lxml_html.HtmlElement,
                 around: frozenset[lxml_html.HtmlElement]) -> bool:
    """Whether the date is a row of a schedule: a table or list (not holding the headline)
    whose rows write three days or more, each its own ("So, 30.11.2025 | 10:00 Uhr |
    Gottesdienst", "So, 07.12.2025 | ..."): each row's day is its entry's."""
    for table in (a for a in [node, *node.iterancestors()] if a.tag in _ROWS):
        if table in around:
            return False
        days: set[str] = set()
        for row in table.iterfind(_ROWS[table.tag]):
            found = days_in(" ".join(row.itertext()))
            days.update(day for day, _ in found[:1])
            if len(days) >= _SCHEDULE_DAYS:
                return True
    return False


def _in_figure(node: lxml_html.HtmlElement, around: frozenset[lxml_html.HtmlElement]) -> bool:
    """Whether the date is a picture's: in a ``<figure>`` or its ``<figcaption>`` under the
    headline ("Archivbild vom 2. Mai 2023"), the day the photo was taken."""
    chain = [node, *list(node.iterancestors())[:_FIGURE_ANCESTORS]]
    return any(n.tag in _FIGURES for n in chain if n not in around)


def _other_article(node: lxml_html.HtmlElement,
                   around: frozenset[lxml_html.HtmlElement]) -> bool:
    """Whether the date is in an ``<article>`` that does not hold the headline and whose
    first heading links elsewhere: a teaser of another article after the page's own (a
    video page's "Mehr zur Sicherheitspolitik" box, each teaser an ``<article>`` with its
    linked h3 and its day). Not an article without a heading (Drupal prints the node's
    title block as an h1 above the ``<article>`` that holds its date line and body), nor
    one whose headings are its own sections (SZ's h1 above ``article#sitecontent``)."""
    for ancestor in node.iterancestors("article"):
        heading = next(ancestor.iter("h1", "h2", "h3", "h4", "h5", "h6"), None)
        if ancestor not in around and heading is not None and \
                heading.find(".//a[@href]") is not None:
            return True
    return False


def _titled_aside(node: lxml_html.HtmlElement,
                  around: frozenset[lxml_html.HtmlElement]) -> bool:
    """Whether the date is in an ``<aside>`` beside the headline (not holding it) with a
    heading of its own: a box of other articles under a title that
    :data:`crawler.extract.items.RELATED_HEADING` does not name (SZ-Magazin's "Aus dem
    Heft"), reached under a short article's last lines. An aside without a heading may be
    the article's meta box."""
    return any(a not in around and next(a.iter(*_SUBHEADINGS), None) is not None
               for a in node.iterancestors("aside"))


def _site_footer(node: lxml_html.HtmlElement) -> bool:
    """Whether the date is in the site's ``<footer>`` (one in no ``<article>``: WordPress
    themes put "Posted on" in the article's own), reached under a short article's last
    lines: "Seite erstellt am 20.11.2025 03:12", the page's render time."""
    footers = (a for a in [node, *node.iterancestors()] if a.tag == "footer")
    return any(next(f.iterancestors("article"), None) is None for f in footers)
