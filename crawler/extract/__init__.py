"""Article extraction: body text with trafilatura, metadata with our own preferences on top.

trafilatura is imported here and nowhere else. It finds body text well; its titles often carry
the site's name and its dates miss structured data, so the page's own declarations win:
JSON-LD ``headline``/``datePublished``, ``og:title``, ``article:published_time``, the ``h1``.
"""

from __future__ import annotations

import re
from datetime import datetime

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html
from lxml.etree import ParserError, XMLSyntaxError
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import Document

from crawler.extract.bylines import (
    declared_authors,
    header_lines_removed,
    organizations,
    people,
    searched_authors,
    without_publishers,
)
from crawler.extract.dates import choose_date, dated_url, latest_day, url_day
from crawler.extract.daytext import LEGAL_TEXT
from crawler.extract.depth import cut_short, flattened
from crawler.extract.headlines import leading_headline, strip_headlines
from crawler.extract.items import foreign_item
from crawler.extract.jsonld import (
    describes_the_page,
    first,
    foreign_days,
    is_article_type,
    is_live,
    is_product,
    job_posted,
    json_ld_articles,
    named_nodes,
    other_days,
    page_media,
)
from crawler.extract.shown import shown_date
from crawler.extract.sitenames import is_site, site_names, strip_site_name
from crawler.extract.title_sources import logo_names, own_url, page_headings, title_candidates
from crawler.extract.titles import choose_title
from crawler.extract.weighed import in_box, unfounded
from crawler.extract.zones import page_zone
from crawler.htmltags import uncrowded
from crawler.models import Page
from crawler.normalize import canonical_url, clean_body, clean_text, fold

__all__ = ["discover_feeds", "extract_page", "feed_links", "strip_headlines", "strip_site_name"]

_DECLARED_ARTICLE = ("//meta[@property='og:type'][translate(normalize-space(@content),"
                     " 'ARTICLE', 'article')='article']"
                     " | //meta[@property='article:published_time']")
# A permalink's /2019/10/slug or /2019/10/21/slug; not an archive's /2019/10/ or /2019/10/21/,
# nor its further pages (WordPress's /2019/10/page/2/), its feed (/2019/10/feed/) or its AMP
# view: their last word is no slug, and such a listing read as one article would be one record.
_DATED_PATH = re.compile(r"^https?://[^/]+(?:/[^/]+)*?/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/"
                         r"(?:\d{1,2}/)?(?!page/\d|(?:feed|amp)/?(?:[?#]|$))"
                         r"[^/?#]*[a-z][^/?#]*", re.IGNORECASE)
_DATE_METAS = (
    "article:published_time", "og:article:published_time", "datePublished", "date",
    "dc.date", "dc.date.issued", "dcterms.created", "pubdate", "publishdate", "sailthru.date",
    "parsely-pub-date", "publication_date", "dcterms.date", "dcterms.issued",
)
_MODIFIED_METAS = ("article:modified_time", "og:updated_time", "datemodified",
                   "og:article:modified_time", "last-modified", "revision_date")
_PUBLISHED_TIME = ("//time[@datetime][@itemprop='datePublished' or @pubdate"
                   " or contains(@class, 'publish')]"
                   # Microdata puts a machine-readable value in any element's content.
                   " | //*[@itemprop='datePublished'][@content]"
                   # Blogger's classic templates: <abbr class="published" title="...">18:12</abbr>.
                   " | //abbr[@title][@itemprop='datePublished' or contains(@class, 'published')]"
                   # RDFa: Drupal 7's node "submitted" line (not its comments' own).
                   " | //*[contains(concat(' ', normalize-space(@property), ' '), ' dc:created ')]"
                   "[@content][not(ancestor::*[contains(@class, 'comment')])]")
_UTF8_PARSER = lxml_html.HTMLParser(encoding="utf-8")
# The elements jusText splits a page into paragraphs at (justext.core.PARAGRAPH_TAGS).
_BLOCK_TAGS = ("blockquote", "caption", "center", "col", "colgroup", "dd", "div", "dl", "dt",
               "fieldset", "form", "legend", "optgroup", "option", "p", "pre", "table", "td",
               "textarea", "tfoot", "th", "thead", "tr", "ul", "li",
               "h1", "h2", "h3", "h4", "h5", "h6")
# Above this many block elements trafilatura runs without its readability/jusText fallback:
# jusText's revision of short paragraphs (``_get_neighbour``) is quadratic in a run of them,
# so a page of 8,000 short headings held extraction ~6 s and one of 40,000 for minutes. The
# most on the 166 real pages of eval_extract.py is 2,264; a hostile page at this bound costs
# ~2 s in the fallback.
_FALLBACK_MAX_BLOCKS = 5000


def extract_page(markup: str, url: str, feed_title: str | None = None) -> Page:
    """Extract an article page; an unparseable page yields an empty :class:`Page`.
    ``feed_title``: the title of the feed or sitemap entry that linked the page, one more
    candidate in the title's vote."""
    markup = uncrowded(markup)  # as parsed twice below, by us and by trafilatura
    parsed = _parse(markup)
    if parsed is not None and cut_short(parsed[0]):
        markup = flattened(markup)  # the parser dropped all below its depth limit
        parsed = _parse(markup)
    if parsed is None:
        return Page()
    tree, readable = parsed
    meta = _metas(tree)
    ld = sorted(json_ld_articles(tree), key=describes_the_page)
    doc = _document(markup, url, _blocks(readable)) if readable is not None else None
    site_name = meta.get("og:site_name") or first(ld, "publisher_name")
    own = own_url(tree, meta)
    names = site_names([meta.get("og:site_name"), meta.get("application-name"),
                        first(ld, "publisher_name"), *logo_names(tree)], url, own)
    candidates = title_candidates(tree, meta, first(ld, "headline"), feed_title, names)
    own_title = choose_title(candidates, names, url, page_headings(tree),
                             page_headings(tree, "h3"), language=_html_lang(tree))
    nodes = named_nodes(tree)
    own_authors = declared_authors(ld, meta, nodes)
    # trafilatura's metadata counted only when it found a body (as with_metadata=True did).
    facts = None if doc is None or readable is None else _Facts(
        readable, url, complete=not (own_title and own_authors))
    # trafilatura's own title is often the site's name where the page declares no headline.
    fallback = facts.title() if facts and not own_title else None
    body = clean_body(doc.text if doc else None)
    title = own_title or (fallback if fallback and not is_site(fallback, names) else None) or (
        leading_headline(body))
    # A video or podcast page without an article node: the media node its title names
    # declares its day.
    declared = [first(ld or page_media(tree, title), "datePublished"),
                *(meta.get(key.lower()) for key in _DATE_METAS), _published_time(tree),
                job_posted(tree)]
    modified = [first(ld, "dateModified"), *(meta.get(key) for key in _MODIFIED_METAS)]
    language = _html_lang(tree)
    zone = page_zone([*declared, *modified], language)
    weighed = _weighed(facts.date() if facts else None, markup, tree, ld, other_days(tree))
    # A live blog shows its latest entry's time and its "last updated" line under the
    # headline; its publication is the coverage's start, which only its declaration states.
    base = latest_day([*declared, *modified, url_day(dated_url(url, own))])
    shown = None if is_live(ld) else shown_date(tree, meta.get("description"), zone, title,
                                                 base)
    # An event's, a review's or an offer's day (JSON-LD), no declaration's: not the page's;
    # nor any a legal text shows (its version's "Stand"), nor a product page's (a review's,
    # a listing's: ebrosia.de's label is none).
    foreign = foreign_days(tree, title) - {str(stamp)[:10] for stamp in declared if stamp}
    undated = LEGAL_TEXT.match(title or "") is not None or _is_product_page(tree, meta, ld)
    shown = None if undated or (shown and shown[0] in foreign) else shown
    weighed = None if undated or (weighed and weighed[:10] in foreign) else weighed
    published, published_raw = choose_date(declared, modified, dated_url(url, own), weighed,
                                           shown, zone=zone)
    text, authors = header_lines_removed(
        strip_headlines(body, [title, *(c.text for c in candidates),
                               *_subtitled(tree, [title, *(c.text for c in candidates)])],
                        language),
        # Declared, even if only the publisher's name: trafilatura's search finds no better.
        without_publishers(own_authors, names, url, own, persons=people(ld, nodes))
        if own_authors else searched_authors(facts.author() if facts else None, tree, names,
                                             url, own, publishers=organizations(nodes)))
    return Page(
        title=title,
        text=text,
        authors=authors,
        published=published,
        published_raw=published_raw,
        language=language,
        tags=_tags(meta, facts.tags() if facts else None),
        description=clean_text(meta.get("og:description") or meta.get("description")) or None,
        site_name=site_name,
        feeds=feed_links(tree, url),
    )


def _subtitled(tree: lxml_html.HtmlElement, titles: list[str | None]) -> list[str]:
    """The h1s that state one of ``titles`` and go on: the headline with the subtitle the
    h1's candidate leaves out ("Headline <small>Subtitle</small>"), as the body may restate
    it."""
    wanted = [fold(t) for t in titles if t and fold(t)]
    return [h for h in page_headings(tree, "h1")
            if any(fold(h).startswith(w) and fold(h) != w for w in wanted)]


def _document(markup: str, url: str, blocks: int) -> Document | None:
    """The body as trafilatura extracts it. Its metadata is not asked for: :class:`_Facts`
    computes the few fields used. ``blocks``: the page's block elements; above
    ``_FALLBACK_MAX_BLOCKS`` only trafilatura's main extractor runs (``fast``), so a hostile
    page cannot hold a crawl worker in the quadratic fallback.

    The markup, not our tree: trafilatura copies a tree it is handed, and on the 166 real
    pages of ``eval_extract.py`` that made extraction ~8% slower than its own parse (paired
    in-process timing), although ~5% faster on the crawl benchmark's generated pages."""
    doc = trafilatura.bare_extraction(markup, url=url, with_metadata=False,
                                      include_comments=False,
                                      fast=blocks > _FALLBACK_MAX_BLOCKS)
    return doc if isinstance(doc, Document) else None


def _blocks(tree: lxml_html.HtmlElement) -> int:
    return sum(1 for _ in tree.iter(*_BLOCK_TAGS))


class _Facts:
    """The fields of ``trafilatura.extract_metadata`` that :func:`extract_page` uses, each
    computed the way that function computes it.

    The full metadata pass (author search over a copy of the tree, categories, licence, site
    name) cost ~1.5 ms a page in the crawl benchmark for fields that were thrown away. Date
    and tags are needed on every page; title and author only when the page's own
    declarations lack one (``complete``), and then the full pass supplies all four.
    """

    def __init__(self, tree: lxml_html.HtmlElement, url: str, *, complete: bool) -> None:
        self._tree, self._url = tree, url
        self._meta = trafilatura_metadata.examine_meta(tree) if not complete else None
        self._full = trafilatura.extract_metadata(tree, url) if complete else None

    def date(self) -> str | None:
        """htmldate's weighed publication day, told the page's own URL as trafilatura tells
        it (og:url, twitter:url, else the canonical link, else the fetched URL)."""
        if self._full is not None:
            full_date: str | None = self._full.date
            return full_date
        assert self._meta is not None
        page_url = self._meta.url or trafilatura_metadata.extract_url(self._tree, self._url)
        found = find_date(self._tree, url=page_url, original_date=True, extensive_search=True,
                          max_date=datetime.now().astimezone().strftime("%Y-%m-%d"))
        return found or None

    def tags(self) -> list[str] | None:
        if self._full is not None:
            full_tags: list[str] | None = self._full.tags
            return full_tags
        assert self._meta is not None
        tags: list[str] = self._meta.tags or trafilatura_metadata.extract_catstags(
            "tag", self._tree)
        return tags

    def title(self) -> str | None:
        return clean_text(self._complete().title) or None

    def author(self) -> str | None:
        author: str | None = self._complete().author
        return author

    def _complete(self) -> Document:
        if self._full is None:  # title or author asked of a lean instance: a caller's slip
            self._full = trafilatura.extract_metadata(self._tree, self._url)
        return self._full


def discover_feeds(markup: str, url: str) -> tuple[str, ...]:
    """Feed URLs a page announces with ``<link rel="alternate" type="...rss/atom...">``; none
    from a page that declares itself an article: the feeds an article announces are its site's
    or its comments' (WordPress puts both on every post), and the article was asked for."""
    parsed = _parse(uncrowded(markup))
    if parsed is None or _is_article(parsed[0], url):
        return ()
    return feed_links(parsed[0], url)


def _is_article(tree: lxml_html.HtmlElement, url: str) -> bool:
    """The page says it is one article (og:type, article:published_time, JSON-LD of an article
    type but WebPage, which home pages declare too), or its URL dates it (/2019/10/...)."""
    if tree.xpath(_DECLARED_ARTICLE) or _DATED_PATH.search(url):
        return True
    types = [node.get("@type") for node in json_ld_articles(tree)]
    names = [t for n in types for t in (n if isinstance(n, list) else [n]) if isinstance(t, str)]
    return any(name.lower() != "webpage" and is_article_type(name) for name in names)


def feed_links(tree: lxml_html.HtmlElement, url: str) -> tuple[str, ...]:
    found = []
    for link in tree.iter("link"):
        if link.get("href") is None:
            continue
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and ("rss" in kind or "atom" in kind or kind.endswith("feed+json")):
            found.append(canonical_url(link.get("href"), url))
    return tuple(dict.fromkeys(found))


def _is_product_page(tree: lxml_html.HtmlElement, meta: dict[str, str],
                     ld: list[dict[str, object]]) -> bool:
    """Whether the page is a shop's product page: og:type "product" (Shopify's, Shopware's,
    "og:product"), or a JSON-LD ``Product`` and no article node. Its days are the product's
    (listed, reviewed, on offer until), none a publication's."""
    kind = meta.get("og:type", "").lower()
    return kind.endswith("product") or (not ld and is_product(tree))


def _published_time(tree: lxml_html.HtmlElement) -> str | None:
    """The ``datetime`` of a ``<time>`` the page marks as its publication (``itemprop``
    datePublished, ``pubdate``, a "published" class), or the ``content`` of any element
    microdata marks so (``<li itemprop="datePublished" content="...">12. 6. 2024</li>``),
    or the ``title`` of Blogger's ``<abbr class="published">`` (whose text is the time of
    day alone); not any ``<time>``: sidebars and comment threads carry theirs."""
    for node in tree.xpath(_PUBLISHED_TIME):
        value = (node.get("datetime") or node.get("content") or node.get("title") or "").strip()
        if value and not foreign_item(node) and not in_box(node):
            return value
    return None


def _parse(
    markup: str,
) -> tuple[lxml_html.HtmlElement, lxml_html.HtmlElement | None] | None:
    """The document root for our own metadata, and the tree trafilatura reads (``None``
    when trafilatura finds no HTML in the markup).

    trafilatura's loader (its repairs; comments and processing instructions dropped, no id
    index) builds the tree trafilatura's metadata functions would read, so :class:`_Facts`
    gives what ``extract_metadata`` gave. Our fallback parser only reads what that loader
    refuses (and trafilatura then finds no body either)."""
    if not markup or not markup.strip():
        return None
    readable = trafilatura.load_html(markup)
    if readable is not None:
        return readable.getroottree().getroot(), readable
    try:
        # Decoded text re-encoded as UTF-8, with the parser told so: a <meta charset> left in
        # the markup must not make lxml decode it a second time.
        data = markup.encode("utf-8", "replace")
        return lxml_html.document_fromstring(data, parser=_UTF8_PARSER), None
    except (ParserError, XMLSyntaxError, ValueError):
        return None


def _metas(tree: lxml_html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.xpath("//meta[@content]"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        if node.get("itemprop") and (foreign_item(node) or in_box(node)):
            continue  # a customer review's "datePublished", a sidebar teaser's
        if key and key.lower() not in found and node.get("content").strip():
            found[key.lower()] = node.get("content").strip()
    return found


def _weighed(day: str | None, markup: str, tree: lxml_html.HtmlElement,
             ld: list[dict[str, object]], others: frozenset[str]) -> str | None:
    """htmldate's day, unless it is none the page states as its own (:func:`unfounded`: a
    century or a first of the month it added, another article's teaser's), or a date only
    the page's ``WebPage`` node, or a JSON-LD node of no article type (``others``: an
    archive picture's ``ImageObject``), declares where an article node declares its own
    (htmldate, told to prefer the original date, takes the oldest of the page's JSON-LD:
    a section page's "datePublished" of years before the article)."""
    if day is None or unfounded(day, markup, tree):
        return None
    article = [node for node in ld if not describes_the_page(node)]
    # Not `node not in article`: that compared each node with every other, hours for a page
    # of 200,000 JSON-LD nodes (tests/test_security_pages.py).
    page_days = {str(node.get("datePublished"))[:10] for node in ld if describes_the_page(node)}
    own = {str(node.get("datePublished"))[:10] for node in article
           if isinstance(node.get("datePublished"), str)}
    return None if own and day[:10] in (page_days | others) - own else day


def _tags(meta: dict[str, str], trafilatura_tags: list[str] | None) -> tuple[str, ...]:
    """The page's tags, each once (first spelling kept, case aside). trafilatura hands a
    keywords meta or an ``article:tag`` as one comma-joined string: split like ours, it
    was kept whole beside its parts ("Turkey; Poland; Turkey, Poland")."""
    joined = [meta.get("keywords") or meta.get("news_keywords") or "", *(trafilatura_tags or [])]
    kept: dict[str, str] = {}
    for tag in (clean_text(part) for text in joined for part in text.split(",")):
        if tag:
            kept.setdefault(tag.casefold(), tag)
    return tuple(kept.values())


def _html_lang(tree: lxml_html.HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang")
    return lang.strip().lower().split("-")[0] if lang and lang.strip() else None
