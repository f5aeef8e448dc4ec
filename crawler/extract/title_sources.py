"""Where a page states its headline and its own name: read from its tree for
:func:`crawler.extract.titles.choose_title`.

The candidates are the declarations (the linking feed entry's title, JSON-LD ``headline``,
``og:title``, ``twitter:title``, the article's ``h1``, ``<title>``); the page's other headings
are witnesses (one may state the headline whole where the ``h1`` shortens it: "... Teil 49"
over "... Teil 49 – Büssing-NAG"); the site's names come from its metadata, its own URL
(``og:url``, the canonical link: a page served from a mirror or a cache still names its
host) and the logo that links home.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dedup.tokens import match_tokens
from crawler.extract.sitenames import SITE_SEPARATORS, squash, without_site
from crawler.extract.titles import KICKER_WORDS, Candidate, kicker_of
from crawler.normalize import clean_text, fold

_ARTICLE_H1 = "//article//h1 | //main//h1"
_ARIA_H1 = "//*[@role='heading'][normalize-space(@aria-level)='1']"
# A kicker printed inside the h1 above the headline, named by its class (Tagesspiegel's
# "ts-overline", Zeit's "article-heading__kicker", heise's "a-article-teaser__kicker", the
# German "Dachzeile"/"Spitzmarke"). The headline is the rest, unless og:title, twitter:title
# or JSON-LD state the h1 whole and none the rest alone (the labels follow them).
_KICKER_CLASS = re.compile(r"kicker|overline|dachzeile|spitzmarke|topline|roofline|eyebrow"
                           r"|supertitle|category", re.IGNORECASE)
# What joins a kicker to the headline in the h1's text (often a visually hidden ": ").
_KICKER_JOINT = " :|-–—·"
# Headings a page's template repeats beside its article are many; the headline, if restated,
# is among the first (h2s and h1s alike: a page of thousands costs no more).
_HEADINGS = 12
_MICRODATA_HEADLINE = ("//body//*[not(self::meta)]"
                       "[contains(concat(' ', normalize-space(@itemprop), ' '), ' headline ')]")
# An h2 that a declaration holds as one of its separated parts has this many words at least
# to be its headline: a section or a site's name is one or two.
_MIN_PART_WORDS = 3
# Elements that break a heading's line: its words either side are apart however the
# markup joins them.
_LINE_TAGS = ("br", "div", "p")
# A heading's last element that is its subtitle, by its class.
_SUBTITLE_CLASS = re.compile(r"sub-?title|subline|sub-?headline|unterzeile|untertitel",
                             re.IGNORECASE)
# The class or id of an element holding the site's name: its logo, brand, title or masthead
# (not "site-content", nor the article's "entry-title").
_LOGO_MARK = re.compile(r"(?<![a-z])(?:logo|brand|site-?title|site-?name|sitename|masthead)"
                        r"(?![a-z])", re.IGNORECASE)
# Ancestors of an h1 whose class or id may name it the logo (div#logo > a > h1).
_LOGO_ANCESTORS = 2
# A navigation trail's marks (class, id, microdata): its last item may be an h1 of the page's
# SEO title (G+J's and Bauer's magazines, SZ's "li itemprop=child > h1", heise), while the
# article's header prints the headline as an h2.
_BREADCRUMB = re.compile(r"breadcrumb", re.IGNORECASE)
_BREADCRUMB_ATTRIBUTES = ("class", "id", "itemprop", "itemtype")
# Ancestors of an h1 that may be the trail (nav > ul.breadcrumbs > li > h1, and a wrapper).
_BREADCRUMB_ANCESTORS = 4
# A logo names a site in a few words; a longer link text is a headline linking to itself.
_MAX_NAME_WORDS = 8


def title_candidates(tree: lxml_html.HtmlElement, meta: dict[str, str],
                     ld_headline: str | None, feed_title: str | None = None,
                     names: tuple[str, ...] = ()) -> list[Candidate]:
    """The page's declared titles and its headline heading. ``names``: the site's (squashed,
    :func:`crawler.extract.sitenames.site_names`); an h2 under a kicker printed apart is
    matched against the declarations without them ("Kicker: Headline - WELT")."""
    declared = (("feed", feed_title), ("ld", ld_headline), ("md", _microdata_headline(tree)),
                ("og", meta.get("og:title")), ("twitter", meta.get("twitter:title")),
                ("title", tree.findtext(".//title")))
    found = [Candidate(source, clean_text(raw)) for source, raw in declared if clean_text(raw)]
    words = match_tokens(" ".join(c.text for c in found), None)
    h1 = _h1(tree, words, frozenset(fold(c.text) for c in found if c.source != "title"))
    # An h1 may be the site's name or its section ("DER SPIEGEL", "Politik") above an
    # article whose headline is a kicker's h2: the h2 states a declared candidate whole, so
    # it is the headline unless the h1 shares as many of the declared words. ("DER SPIEGEL"
    # ends <title>, so an h1 is not judged by whether a candidate ends with it.)
    stated = frozenset(fold(c.text) for c in found if c.source != "title")
    unsited = [without_site(c.text, names, set()) for c in found] if names else []
    kicked = _kicked_h2(tree, list(dict.fromkeys([*(c.text for c in found), *unsited])),
                        stated, _trail_h1(tree))
    if kicked is None and not (h1 and _starts(found, h1)):
        # The microdata headline may be the h2 itself: one element must not vote twice.
        kicked = _stated_h2(tree, [c.text for c in found if c.source != "md"], stated)
    if kicked and (h1 is None or len(match_tokens(h1, None) & words)
                   < len(match_tokens(kicked, None) & words)):
        h1 = kicked
    return [*found, Candidate("h1", h1)] if h1 else found


def _starts(found: list[Candidate], h1: str) -> bool:
    """Whether a declaration starts with the h1's words and goes on: the h1 names the
    article's subject ("Leslie Clio" of "Leslie Clio präsentiert das Album ..."), no section."""
    return any(fold(c.text).startswith(fold(h1) + " ") for c in found)


def _kicked_h2(tree: lxml_html.HtmlElement, declared: list[str],
               stated: frozenset[str] = frozenset(), trail: str | None = None) -> str | None:
    """Where no h1 holds the headline (Spiegel, SZ print it as an h2 below an h1 of the site's
    name or section, or none): an h2 of a kicker's element and the headline's whose words
    together are a declared candidate's ("Bundeswehr" + "Pistorius will ..." of og:title's
    "Bundeswehr: Pistorius will ..."), or an h2 of the headline alone that a declared
    candidate states under a kicker (the kicker printed apart, above it); the headline part,
    as the page prints it apart from its kicker (an h1 would be read so). Where the
    ``trail``'s h1 (:func:`_trail_h1`) states an h2's kicker and headline together (FAZ),
    the kicker is left out only as an h1's is (``stated`` as :func:`_h1` takes it): the
    trail names the article as the page titles it."""
    folded = {fold(text) for text in declared}
    for h2 in islice(tree.iter("h2"), _HEADINGS):
        if trail and squash(heading_text(h2)) == squash(trail):
            return _without_kicker(h2, stated)
        kicked = _kicker_and_headline(h2, declared, folded)
        if kicked:
            return kicked
    return None


def _stated_h2(tree: lxml_html.HtmlElement, declared: list[str],
               stated: frozenset[str]) -> str | None:
    """The first h2 that a declared candidate states whole or as its separated part (its
    kicker left out as an h1's is): the article header's h2 under a breadcrumb's h1
    (G+J's and Bauer's magazines) or a section's ("News-Archiv" over "Vereinsheim wieder
    geöffnet", which ``<title>`` states between "News - " and " - Site")."""
    for h2 in islice(tree.iter("h2"), _HEADINGS):
        headline = "" if _is_logo(h2) else _without_kicker(h2, stated)
        if headline and any(_states(text, headline) for text in declared):
            return headline
    return None


def _states(declared: str, headline: str) -> bool:
    """Whether ``declared`` is ``headline``, or holds it as a part between separators and
    it is no label of a word or two (a section's "Wirtschaft" in "Headline - Wirtschaft -
    Site", a site's name in its header's h2)."""
    if fold(declared) == fold(headline):
        return True
    if len(headline.split()) < _MIN_PART_WORDS:
        return False
    mark = SITE_SEPARATORS.pattern
    return re.search(rf"(?:^|{mark}){re.escape(headline)}(?:{mark}|$)", declared) is not None


def _kicker_and_headline(h2: lxml_html.HtmlElement, declared: list[str],
                         folded: set[str]) -> str | None:
    """The headline of an h2 of a kicker and a headline that a declaration states together
    (:func:`_kicked_h2`'s first two shapes)."""
    parts = [heading_text(child) for child in h2.iterchildren() if isinstance(child.tag, str)]
    parts = [part for part in parts if part.strip(_KICKER_JOINT)]
    if len(parts) >= 2 and len(parts[0].split()) <= KICKER_WORDS and \
            fold(" ".join(parts)) in folded:
        return " ".join(parts[1:])
    whole = heading_text(h2)
    return whole if whole and any(kicker_of(text, whole) for text in declared) else None


def _microdata_headline(tree: lxml_html.HtmlElement) -> str | None:
    """The first visible element microdata marks ``itemprop="headline"``, unless it is an
    h1 (the h1 is a candidate already, and one element must not vote twice): TYPO3's news
    and Joomla print the article's headline as an h3 or h2 so marked under a page h1 of the
    section ("Aktuelles"), which the section's h1 would otherwise outvote. Not a ``<meta
    itemprop="headline">``: that is a search title ("... - CNN" on CNN, whose h1 and JSON-LD
    state the headline), as ``<title>`` is."""
    found = tree.xpath(_MICRODATA_HEADLINE)
    return heading_text(found[0]) if found and found[0].tag != "h1" else None


def page_headings(tree: lxml_html.HtmlElement, tag: str = "h2") -> tuple[str, ...]:
    """The texts of the page's first ``h2`` (or ``tag``) headings, in order, whole: an h1's
    kicker and subtitle kept (the body may restate it so)."""
    found = (heading_text(node) for node in tree.iter(tag))
    return tuple(islice((text for text in found if text), _HEADINGS))


def heading_text(node: lxml_html.HtmlElement) -> str:
    """A heading's words, a line break read as the space it shows: ``text_content`` joins
    "Ukraine-Krieg<br>Selenskyj trifft Macron" into "Ukraine-KriegSelenskyj ...", and a
    heading set in lines of ``<div>``s or ``<p>``s ("<div>Land will Kommunen</div><div>beim
    Katastrophenschutz helfen</div>", a block each) into "Kommunenbeim". An ``<svg>``'s text
    is left out: its ``<title>`` names an icon the page draws (SPIEGEL+'s "SPIEGEL+" flag
    before the kicker), no word it prints."""
    if not any(True for _ in node.iter(*_LINE_TAGS, "svg")):  # the common case: no walk
        return clean_text(node.text_content())
    parts = []
    icons = 0  # depth inside an <svg>: its <title> names an icon (SPIEGEL+'s flag), unprinted
    for event, element in etree.iterwalk(node, events=("start", "end")):
        line = " " if element.tag in _LINE_TAGS and element is not node else ""
        if event == "start":
            icons += element.tag == "svg"
            parts.append(line)
            parts.append(element.text or "" if isinstance(element.tag, str) and not icons
                         else "")
        else:
            icons -= element.tag == "svg"
            if element is not node and not icons:
                parts.append(line + (element.tail or ""))
    return clean_text("".join(parts))


def own_url(tree: lxml_html.HtmlElement, meta: dict[str, str]) -> str | None:
    """The URL the page gives itself: ``og:url``, else its canonical link."""
    if meta.get("og:url"):
        return meta["og:url"]
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return str(link.get("href"))
    return None


def logo_names(tree: lxml_html.HtmlElement) -> list[str]:
    """Texts of the links a page marks as going home (``rel="home"``) and of an ``h1`` that
    is wholly a link to a site's root: a logo, the site's name ("Four Years Remaining")."""
    names = [clean_text(a.text_content()) for a in tree.xpath("//a[@rel='home']")]
    names += [clean_text(h1.text_content()) for h1 in tree.iter("h1") if _is_logo(h1)]
    names += _logo_images(tree)
    return [n for n in dict.fromkeys(names) if n and len(n.split()) <= _MAX_NAME_WORDS]


def _logo_images(tree: lxml_html.HtmlElement) -> list[str]:
    """The ``alt`` of an image that is all of a link to the site's root: the logo of a
    club's or a town's TYPO3 or Joomla site, whose name is nowhere else but in the
    ``<title>`` before the headline ("Feuerwehrverein Musterstadt: ...")."""
    names = []
    for link in tree.xpath("//a[@href][img[@alt]]"):
        images = link.findall("img")
        if len(images) == 1 and not clean_text(link.text_content()) and _goes_home(link):
            names.append(clean_text(images[0].get("alt")))
    return names


def _h1(tree: lxml_html.HtmlElement, declared: frozenset[str],
        stated: frozenset[str] = frozenset()) -> str | None:
    """Of the page's h1s (a kicker inside left out, logos passed over), the one sharing the
    most words with the ``declared`` candidates; in a tie the article's own (in
    ``<article>`` or ``<main>``), then the first. A site's header often holds its name in an
    h1 above the article ("Attac France"), a ministry's its name and its section
    ("Verbraucherportal") before the article's own. ``stated``: the declarations but
    ``<title>``, folded (:func:`_without_kicker`)."""
    # Without an h1, an element ARIA makes one (``<div role="heading" aria-level="1">``: a
    # script-rendered page's headline, styled and announced as the h1 it is not).
    nodes = dict.fromkeys([*tree.xpath(_ARTICLE_H1), *tree.iter("h1")]) or dict.fromkeys(
        tree.xpath(_ARIA_H1))
    texts = [text for node in islice(nodes, _HEADINGS)
             if not _is_logo(node) and not _in_breadcrumb(node)
             and (text := _without_kicker(node, stated))]
    if not texts:
        return None
    return max(texts, key=lambda text: len(match_tokens(text, None) & declared))


def _trail_h1(tree: lxml_html.HtmlElement) -> str | None:
    """The text of an h1 that is an item of the page's navigation trail, if any."""
    return next((heading_text(h1) for h1 in islice(tree.iter("h1"), _HEADINGS)
                 if _in_breadcrumb(h1)), None)


def _in_breadcrumb(node: lxml_html.HtmlElement) -> bool:
    """Whether ``node`` is an item of the page's navigation trail (an ancestor's class, id or
    microdata names a breadcrumb): the trail's h1 is the page's name for search engines
    ("Adele 10 Kilo abgenommen: Sie zeigt sich schlanker denn je!"), not the headline the
    article's header prints ("10 Kilo abgenommen: Adele zeigt sich ...")."""
    ancestors = list(islice(node.iterancestors(), _BREADCRUMB_ANCESTORS))
    # An item of the trail's list: a theme's header wrapper named for its trail
    # ("breadcrumbs-wrapper") may hold the article's own h1 beside the trail.
    return any(a.tag == "li" for a in ancestors) and any(
        _BREADCRUMB.search(a.get(name) or "") for a in ancestors
        for name in _BREADCRUMB_ATTRIBUTES)


def _without_kicker(h1: lxml_html.HtmlElement, stated: frozenset[str] = frozenset()) -> str:
    """The h1's headline: without a kicker that a child element prints before it, where
    the child's class names a kicker and the declarations do not keep it
    (:func:`_declared_whole`), or where it is the h1's first element, of a kicker's
    few words, and a declaration (``stated``: og:title, JSON-LD, the feed's title, folded)
    states the rest alone and none the h1 whole. Publishers whose kicker spans carry hashed
    or neutral classes (t-online's ``css-...``, Spiegel's utility classes, Welt's and
    Tagesspiegel's CMS) declare the headline so in og:title, the labels' convention
    (Tagesspiegel: the kicker left out; FAZ, whose og:title carries it: kept)."""
    text = heading_text(h1)
    # Its children only: a kicker sits beside the headline, and a page nesting thousands of
    # spans in an h1 must not cost their text once each.
    for index, node in enumerate(h1.iterchildren()):
        kicker = heading_text(node) if isinstance(node.tag, str) else ""
        if not kicker or not text.startswith(kicker):
            continue
        rest = text[len(kicker):].lstrip(_KICKER_JOINT)
        if (_KICKER_CLASS.search(node.get("class") or "")
                and not _declared_whole(h1, rest, stated)) or (
                index == 0 and _declared_apart(h1, kicker, rest, stated)):
            return _without_subtitle(h1, rest) if rest else text
    return _without_subtitle(h1, text)


def _declared_whole(h1: lxml_html.HtmlElement, rest: str, stated: frozenset[str]) -> bool:
    """Whether the declarations keep the h1's kicker: one states the h1 whole (its start,
    a site's name perhaps after it) and none the rest alone. The labels follow what the
    page declares for sharing (FAZ's kicker kept as its og:title keeps it, Tagesspiegel's
    "ts-overline" left out as its og:title leaves it out), whatever the kicker's class says."""
    whole = squash(heading_text(h1))
    return fold(rest) not in stated and any(squash(s).startswith(whole) for s in stated)


def _declared_apart(h1: lxml_html.HtmlElement, kicker: str, rest: str,
                    stated: frozenset[str]) -> bool:
    """Whether the h1's first element is a kicker the declarations leave out: a few words
    before any text of the h1, the rest stated alone (or under another kicker, printed
    apart: a paywall badge's "Plus" in the h1, og:title's "Ramstein: Headline"), the whole
    h1 stated nowhere (whatever marks join it: og:title's "Kicker: Headline" states the
    spans' "KickerHeadline")."""
    folded = fold(rest)
    alone = folded in stated or any(
        s.endswith(f" {folded}") and len(s[:-len(folded)].split()) <= KICKER_WORDS
        for s in stated)
    return not (h1.text or "").strip() and len(kicker.split()) <= KICKER_WORDS and \
        alone and squash(heading_text(h1)) not in {squash(s) for s in stated}


def _without_subtitle(h1: lxml_html.HtmlElement, text: str) -> str:
    """``text`` without the subtitle that ends the h1: a ``<small>`` (Bootstrap's "Heading
    <small>Secondary text</small>"), an element whose class says subtitle, or a second line
    set in an element of its own (``<br><span style=...>...</span>``); a line break followed
    by text is one headline over two lines."""
    last = h1[-1] if len(h1) and isinstance(h1[-1].tag, str) else None
    if last is None or (last.tail or "").strip():
        return text
    previous = last.getprevious()
    second_line = previous is not None and previous.tag == "br" and not (
        previous.tail or "").strip()
    if last.tag != "small" and not _SUBTITLE_CLASS.search(last.get("class") or "") and \
            not second_line:
        return text
    subtitle = heading_text(last)
    rest = text[:-len(subtitle)].rstrip(_KICKER_JOINT) if subtitle and text.endswith(
        subtitle) else ""
    return rest or text


def _is_logo(h1: lxml_html.HtmlElement) -> bool:
    """An h1 whose text is all one link home (:func:`_goes_home`), or that sits in (or is)
    the element a template names its logo or brand (``<div id="logo"><h1>Stadt
    Musterstadt</h1>``: an old municipal or club site's name above its article's h2)."""
    chain = [h1, *list(h1.iterancestors())[:_LOGO_ANCESTORS]]
    if any(_LOGO_MARK.search(f"{n.get('class') or ''} {n.get('id') or ''}") for n in chain):
        return True
    links = h1.xpath(".//a[@href]")
    if len(links) != 1:
        return False
    link = links[0]
    return _goes_home(link) and clean_text(link.text_content()) == clean_text(h1.text_content())


def _goes_home(link: lxml_html.HtmlElement) -> bool:
    """A link marked ``rel="home"`` or to a site's root (``/``, ``https://host``; not ``#``
    or ``?page``, which stay on the page)."""
    href = urlsplit(link.get("href").strip())
    return "home" in (link.get("rel") or "").lower().split() or (
        href.path in ("", "/") and bool(href.netloc or href.path))
