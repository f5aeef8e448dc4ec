"""JSON-LD: the article's nodes, and the days the page's other nodes state.

A page's JSON-LD may hold many nodes: its organisation, website, breadcrumbs, authors,
images, the ``WebPage`` and the article (a ``NewsArticle``, ``BlogPosting`` and the like,
perhaps as a ``WebPage``'s ``mainEntity``). The article's nodes come first; a ``WebPage``'s
after them. The days other nodes state (an ``ImageObject``'s ``uploadDate`` and
``datePublished``: an archive picture's; an organisation's ``foundingDate``) are no
publication's, and htmldate, which reads every ``datePublished`` of the page's JSON-LD and
prefers the oldest, takes them: :func:`other_days` names them. The days of an event, a
review, an offer or a product (:func:`foreign_days`) are no page's publication either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from lxml import html as lxml_html

from crawler.jsonescapes import lone_surrogates_replaced
from crawler.normalize import fold

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportage", "analysisnewsarticle", "blogposting", "report",
     "opinionnewsarticle", "backgroundnewsarticle", "webpage", "liveblogposting"}
)


def is_article_type(name: str) -> bool:
    """Whether a JSON-LD ``@type`` is an article's: one of :data:`ARTICLE_TYPES`, or any of
    schema.org's subtypes of ``Article``, whose names all end so ("ReportageNewsArticle",
    an SZ-Magazin long read's and elcomercio.pe's only node; "ScholarlyArticle",
    "TechArticle", "SatiricalArticle")."""
    lowered = name.lower()
    return lowered in ARTICLE_TYPES or lowered.endswith("article")

# A media page's own node: its video's, its podcast episode's.
_MEDIA_TYPES = frozenset({"videoobject", "podcastepisode"})


def json_ld_articles(tree: lxml_html.HtmlElement) -> Iterator[dict[str, object]]:
    """The page's article nodes (and ``WebPage`` nodes), in the page's order."""
    for data in _scripts(tree):
        yield from _ld_nodes(data)


def page_media(tree: lxml_html.HtmlElement, title: str | None) -> list[dict[str, object]]:
    """A media page's own ``VideoObject`` or ``PodcastEpisode`` nodes (top-level, in a
    ``@graph`` or a ``mainEntity``) that the page's ``title`` names, for a page with no
    article node (:func:`json_ld_articles`): a broadcaster's Mediathek page declares its
    publication only as the video's ``uploadDate`` (read as its ``datePublished``), a
    podcast's episode page as the episode's ``datePublished``. Another video (an
    embed beside an article of a type not read, elcomercio.pe's "ReportageNewsArticle"
    with a clip of another day) names something else."""
    wanted = fold(title or "")
    found = []
    for data in _scripts(tree) if wanted else ():
        for node in _ld_nodes(data, _is_media_type):
            if fold(str(node.get("name") or "")) != wanted:
                continue
            if not isinstance(node.get("datePublished"), str) and \
                    isinstance(node.get("uploadDate"), str):
                node["datePublished"] = node["uploadDate"]
            found.append(node)
    return found


def _is_media_type(name: str) -> bool:
    return name.lower() in _MEDIA_TYPES


def _scripts(tree: lxml_html.HtmlElement) -> Iterator[object]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            yield json.loads(lone_surrogates_replaced(script.text or ""))
        except (json.JSONDecodeError, RecursionError):
            continue  # broken JSON-LD is common; the other sources of metadata still apply


def is_live(ld: list[dict[str, object]]) -> bool:
    """Whether the page's first article node is a ``LiveBlogPosting`` that declares its
    ``datePublished``: schema.org's start of the coverage; each entry is a
    ``liveBlogUpdate`` and the node's ``dateModified`` the newest."""
    first = ld[0] if ld else {}
    types = first.get("@type")
    names = types if isinstance(types, list) else [types]
    live = any(isinstance(t, str) and t.lower() == "liveblogposting" for t in names)
    return live and isinstance(first.get("datePublished"), str)


def describes_the_page(node: dict[str, object]) -> bool:
    """Whether a JSON-LD node is only a ``WebPage``: sorted after the article's own nodes
    (stable: each kind keeps the page's order), since a CMS's WebPage node may carry the
    page's or the section's dates ("datePublished" of the page's first version, years before
    the article) where the ``NewsArticle``/``BlogPosting`` node carries the article's."""
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return not any(isinstance(t, str) and t.lower() != "webpage" and is_article_type(t)
                   for t in names)


def _ld_nodes(data: object, kind: Callable[[str], bool] = is_article_type
              ) -> Iterator[dict[str, object]]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item, kind)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_nodes(data["@graph"], kind)
        if isinstance(data.get("mainEntity"), (dict, list)):
            # A WebPage node whose mainEntity is the article (the page's only statement of
            # its headline where <title> is the site's name).
            yield from _ld_nodes(data["mainEntity"], kind)
        types = data.get("@type")
        names = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and kind(t) for t in names):
            node = dict(data)
            publisher = data.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                node["publisher_name"] = publisher["name"]
            yield node


def job_posted(tree: lxml_html.HtmlElement) -> str | None:
    """The ``datePosted`` of the page's ``JobPosting`` node: a job ad's publication, which
    it declares nowhere else (its ``validThrough``, the closing day, is another's)."""
    for data in _scripts(tree):
        for node in _ld_nodes(data, _is_job_type):
            if isinstance(node.get("datePosted"), str):
                return str(node["datePosted"])
    return None


def is_product(tree: lxml_html.HtmlElement) -> bool:
    """Whether the page's JSON-LD declares a ``Product`` (top-level, in a ``@graph`` or a
    ``mainEntity``): a shop's product page."""
    return any(True for data in _scripts(tree) for _ in _ld_nodes(data, _is_product_type))


def _is_product_type(name: str) -> bool:
    return name.lower() == "product"


def _is_job_type(name: str) -> bool:
    return name.lower() == "jobposting"


def first(nodes: list[dict[str, object]], key: str) -> str | None:
    for node in nodes:
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# The keys under which json_ld_articles finds the page's own nodes.
_OWN_KEYS = frozenset({"@graph", "mainEntity"})
# The keys of a node that state a day.
_DAY_KEYS = ("datePublished", "uploadDate", "dateCreated", "foundingDate")


def other_days(tree: lxml_html.HtmlElement) -> frozenset[str]:
    """The days (``YYYY-MM-DD``) the JSON-LD nodes other than the page's article nodes
    state, however deep they sit: nodes of no article type (an article's ``image``, a
    ``@graph``'s ``ImageObject``), and articles that are not the page's but items of a
    list or parts of another node (an ``ItemList`` of related articles' ``NewsArticle``
    teasers, each with its own ``datePublished``): what :func:`json_ld_articles` does not
    read as the page's."""
    days: set[str] = set()
    for data in _scripts(tree):
        # (item, whether json_ld_articles reads it as one of the page's nodes)
        stack: list[tuple[object, bool]] = [(data, True)]
        while stack:  # a loop, not recursion: JSON-LD nests as deep as a page likes
            item, own = stack.pop()
            if isinstance(item, list):
                stack.extend((value, own) for value in item)
            elif isinstance(item, dict):
                stack.extend((value, own and key in _OWN_KEYS) for key, value in item.items()
                             if isinstance(value, (dict, list)))
                if not (own and _is_article_node(item)):
                    days.update(str(item[k])[:10] for k in _DAY_KEYS
                                if isinstance(item.get(k), str))
    return frozenset(days)


# Things whose days are their own, by ``@type`` (subtypes end so: "MusicEvent",
# "CriticReview", "AggregateOffer"): an event's ``startDate``, a customer review's
# ``datePublished``, an offer's ``priceValidUntil``, a job ad's ``validThrough`` (its
# ``datePosted`` is declared as its publication, :func:`job_posted`). A product page or an
# event page that declares no article dates only these; a media object is not one (a
# podcast episode's day is its page's).
_FOREIGN_TYPE = re.compile(r".*(?:event|review|offer|comment|answer|rating)$|product"
                           r"|jobposting", re.IGNORECASE)
# Of those, the written ones: a review may be the page itself (a blog's post), an event or
# a product is never a publication.
_WRITTEN_TYPE = re.compile(r".*review", re.IGNORECASE)
_ISO_DAY = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")


def foreign_days(tree: lxml_html.HtmlElement, title: str | None) -> frozenset[str]:
    """The days (``YYYY-MM-DD``) the page's JSON-LD states for things other than a page:
    any day-valued field of an ``Event``, ``Review``, ``Offer``, ``Product``, ``Comment``
    node and of what it holds, however deep it sits; not of a review named as the page's
    ``title`` is: a review blog's post declared as a ``Review`` is the page (its book's
    day, in ``itemReviewed``, is still another's)."""
    days: set[str] = set()
    wanted = fold(title or "")
    for data in _scripts(tree):
        stack: list[tuple[object, bool]] = [(data, False)]
        while stack:  # a loop, not recursion, as in other_days
            item, foreign = stack.pop()
            if isinstance(item, list):
                stack.extend((value, foreign) for value in item)
            elif isinstance(item, dict):
                types = item.get("@type")
                names = types if isinstance(types, list) else [types]
                own = bool(wanted) and fold(str(item.get("name") or "")) == wanted and any(
                    isinstance(t, str) and _WRITTEN_TYPE.fullmatch(t) for t in names)
                inner = foreign or any(
                    isinstance(t, str) and _FOREIGN_TYPE.fullmatch(t) for t in names)
                stack.extend((value, inner if isinstance(value, (dict, list)) or not own
                              else foreign) for value in item.values())
            elif foreign and isinstance(item, str) and _ISO_DAY.match(item):
                days.add(item[:10])
    return frozenset(days)


def _is_article_node(node: dict[str, object]) -> bool:
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and is_article_type(t) for t in names)


def named_nodes(tree: lxml_html.HtmlElement) -> dict[str, dict[str, object]]:
    """The JSON-LD nodes that carry an ``@id`` and a ``name``, by their ``@id``, however deep
    they sit: an article's ``author`` may be a reference only (``{"@id": ".../#/schema/person/
    ..."}``, as Yoast SEO's ``@graph`` writes it on WordPress sites), its Person a node of
    its own."""
    found: dict[str, dict[str, object]] = {}
    for data in _scripts(tree):
        stack = [data]
        while stack:  # a loop, not recursion, as in other_days
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
                key, name = item.get("@id"), item.get("name")
                if isinstance(key, str) and isinstance(name, str):
                    found.setdefault(key, item)
    return found
