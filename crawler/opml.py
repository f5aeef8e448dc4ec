"""Sources in and out: OPML as feed readers export it, and the TOML of the sources file.

Reading (:func:`sources_from_opml`) maps a feed reader's export onto :class:`Source`::

    <outline text="Think tanks">                     a folder: its name becomes a tag
      <outline type="rss" text="RUSI Commentary"     -> name "rusi-commentary", kind "feed"
               xmlUrl="https://rusi.org/feed"        -> url
               language="en"                         -> language (lang, xml:lang; else its folder's)
               category="/uk,/defence"/>             -> more tags: "uk", "defence"

Names and tags are slugs ([a-z0-9-]; Cyrillic transliterated); a name taken already gets
"-2", "-3". A feed listed in two folders (readers allow it) is one source with both tags.
:func:`read_opml` counts what it leaves out: such repeated outlines, and outlines that name
no feed and hold none (a bookmark's link, an empty folder). ``type="sitemap"`` or
``"page"`` (what :func:`sources_to_opml` writes for those kinds) gives that kind; any other
type is a feed.
Faults raise :class:`ConfigError`: broken XML, no ``<opml>``/``<body>``, a non-http(s) feed URL,
no feeds at all. The parser neither fetches anything nor expands external entities; internal
entities are expanded within libxml2's amplification limit, so an entity bomb is an error.

Writing (:func:`sources_to_opml`) puts each source in a folder named by its first tag and the
other tags in ``category``. A feed is ``type="rss"``, a sitemap or a page its own type
(``type="sitemap"``), which feed readers do not subscribe to as a feed. The keys OPML has no
attribute for (``enabled``, ``download_delay``, ``require_topic``, ``kind = "auto"``, a name
or tags a slug would change, ...) are written as attributes in the namespace
:data:`NAMESPACE` (prefix ``policywire:``), which feed readers ignore, and read back through
the sources file's own checks, so reading the output back gives the sources that were
written (two sources of one feed too: each outline names its source).
:func:`sources_to_toml` writes the sources file that :func:`crawler.sources.parse_sources`
reads.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from crawler.errors import ConfigError
from crawler.sources import Kind, Source, source_from_table

_XML_LANG = "{http://www.w3.org/xml/1998/namespace}lang"  # lower-cased, as attributes are read
_SLUG_MAX = 60
# Readers show Cyrillic titles as they are; a slug needs Latin letters (ru and uk, close to the
# official passport tables: "Українська правда" -> "ukrainska-pravda").
_TRANSLIT = dict(zip(
    "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "g", "d", "e", "ye", "yo", "zh", "z", "i", "i", "i", "y", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
     "yu", "ya"],
    strict=True,
)) | {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"}
# TOML basic strings: these have short escapes; other control characters need \\uXXXX.
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r"}
# What a terminal obeys (DEL, the C1 controls; U+009B is a one-byte CSI to some) or what
# reorders the line it shows (bidirectional marks, overrides and isolates): written as an
# escape in the TOML and OPML we write, which `sources import -o -` and `sources export`
# print to stdout; any TOML or XML reader decodes the same value. C0 controls too in TOML
# (lxml refuses them; the XML's own newlines stay).
_SHOWN_ESCAPED = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_TOML_ESCAPED = re.compile(f"[\x00-\x1f{_SHOWN_ESCAPED}]")
_XML_ESCAPED = re.compile(f"[{_SHOWN_ESCAPED}]")


@dataclass
class _Feed:
    url: str
    title: str
    language: str | None
    tags: list[str] = field(default_factory=list)
    kind: Kind = "feed"
    line: int = 0  # the outline's, for a fault in its settings
    settings: dict[str, Any] = field(default_factory=dict)  # the policywire: attributes


@dataclass(frozen=True)
class OpmlRead:
    """The sources of an OPML document, and how many outlines became none."""

    sources: list[Source]
    duplicates: int  # outlines of a feed listed before: its tags joined the first
    without_url: int  # outlines with no xmlUrl and no outline inside (links, empty folders)


# An outline's type that names one of our kinds; any other ("rss", "atom", none) is a feed.
_KINDS: dict[str, Kind] = {"sitemap": "sitemap", "page": "page"}
#: The namespace of the sources file's keys that OPML has no attribute for. Without them a
#: round trip enabled a disabled source and dropped require_topic, download_delay and the
#: rest (the bundled list came back with 49 of 49 sources enabled, the press unfiltered).
NAMESPACE = "urn:policywire:sources"
_OWN = f"{{{NAMESPACE}}}"
_OWN_KEYS = ("name", "tags", "kind", "enabled", "download_delay", "user_agent", "allowed_domains",
             "require_topic", "paywall", "notes", "max_requests", "max_entries")


def read_opml(data: bytes, origin: str) -> OpmlRead:
    """The feeds of an OPML document as sources; faults raise :class:`ConfigError`."""
    # A feed listed twice is one source, unless each outline names its own (our export of
    # two sources polling one feed).
    feeds: dict[tuple[str, object], _Feed] = {}
    empty: list[int] = []  # the line of each outline that names no feed and holds none
    duplicates = 0
    for feed in _walk(_body(data, origin), (), None, origin, empty):
        known = feeds.setdefault((feed.url, feed.settings.get("name")), feed)
        if known is not feed:
            duplicates += 1
            known.tags.extend(tag for tag in feed.tags if tag not in known.tags)
    if not feeds:
        raise ConfigError(f"{origin}: no feeds found (no outline element has an xmlUrl)")
    names = _unique(_name(feed) for feed in feeds.values())
    sources = [
        source_from_table({"name": name, "url": f.url, "kind": f.kind, "language": f.language,
                           "tags": f.tags, **f.settings}, origin, f.line)
        for name, f in zip(names, feeds.values(), strict=True)
    ]
    return OpmlRead(sources, duplicates=duplicates, without_url=len(empty))


def _name(feed: _Feed) -> str:
    """The name written as ``policywire:name`` (one a slug would change: a record's id is
    namespaced by its source, so a renamed source wrote every entry again), else a slug."""
    return (str(feed.settings.pop("name", "")) or _slugify(feed.title)
            or _slugify(_host(feed.url)) or "feed")


def sources_from_opml(data: bytes, origin: str) -> list[Source]:
    """:func:`read_opml`'s sources."""
    return read_opml(data, origin).sources


def sources_to_opml(sources: Iterable[Source], title: str = "policywire sources") -> bytes:
    """OPML 2.0 with one outline per source, in a folder per first tag."""
    root = etree.Element("opml", version="2.0", nsmap={"policywire": NAMESPACE})
    etree.SubElement(etree.SubElement(root, "head"), "title").text = title
    body = etree.SubElement(root, "body")
    folders: dict[str, Any] = {}
    listed = list(sources)
    shared = {url for url, count in Counter(s.url for s in listed).items() if count > 1}
    for source in listed:
        parent = body
        if source.tags:
            first = source.tags[0]
            if first not in folders:
                folders[first] = etree.SubElement(body, "outline", text=first, title=first)
            parent = folders[first]
        etree.SubElement(parent, "outline", _outline_attributes(source, source.url in shared))
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # Only our elements and attributes are in it: a character reference is right anywhere.
    return _XML_ESCAPED.sub(lambda m: f"&#x{ord(m.group()):X};", result.decode()).encode()


def sources_to_toml(sources: Iterable[Source]) -> str:
    """The sources file for ``sources``: ``[[sources]]`` tables that ``parse_sources`` reads."""
    tables = ["\n".join(_toml_lines(source)) + "\n" for source in sources]
    return "# policywire sources\n\n" + "\n".join(tables)


def _slugify(text: str) -> str:
    """``text`` as [a-z0-9-]: accents dropped, Cyrillic transliterated, at most 60 characters."""
    latin = "".join(_TRANSLIT.get(char, char) for char in text.casefold())
    ascii_only = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:_SLUG_MAX].rstrip("-")



def _body(data: bytes, origin: str) -> Any:
    # No network, no external entities (XXE): an OPML file comes from anywhere.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"{origin}: not well-formed XML: {exc}") from exc
    if etree.QName(root).localname != "opml":
        raise ConfigError(f"{origin}: not OPML: the root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise ConfigError(f"{origin}: not OPML: <opml> has no <body>")
    return body


def _walk(
    element: Any, folders: tuple[str, ...], language: str | None, origin: str,
    empty: list[int],
) -> Iterator[_Feed]:
    for outline in element.iterchildren("outline"):
        # Exporters disagree on case ("xmlUrl", "xmlurl") and on the language attribute.
        attributes = {key.lower(): value.strip() for key, value in outline.attrib.items()}
        own = attributes.get("language") or attributes.get("lang") or attributes.get(_XML_LANG)
        # Its own word, even one that is no code ("Deutsch"), beats its folder's language.
        lang = _iso_language(own) if own else language
        label = attributes.get("text") or attributes.get("title") or ""
        url = attributes.get("xmlurl")
        if not url:
            if outline.find("outline") is None:
                empty.append(outline.sourceline)
            folder = _slugify(label)
            yield from _walk(outline, (*folders, folder) if folder else folders, lang, origin,
                             empty)
            continue
        _check_url(url, label, f"{origin}:{outline.sourceline}")
        categories = (_slugify(c) for c in re.split(r"[,/]", attributes.get("category", "")))
        yield _Feed(url, label, lang, _distinct([*folders, *categories]),
                    _KINDS.get(attributes.get("type", "").lower(), "feed"), outline.sourceline,
                    _settings(attributes, f"{origin}:line {outline.sourceline}"))


def _settings(attributes: dict[str, str], where: str) -> dict[str, Any]:
    """An outline's ``policywire:`` attributes as the values a sources file's table holds;
    a value that is no such value is passed on as text, for the sources file's check to
    refuse in its own words."""
    settings: dict[str, Any] = {}
    for name, value in attributes.items():
        if not name.startswith(_OWN):
            continue
        key = name.removeprefix(_OWN)
        if key not in _OWN_KEYS:
            raise ConfigError(f"{where}: unknown attribute policywire:{key} (known:"
                              f" {', '.join(sorted(_OWN_KEYS))})")
        settings[key] = _typed(key, value)
    return settings


def _truth(value: str) -> Any:
    return {"true": True, "false": False}.get(value, value)


def _whole(value: str) -> Any:
    return int(value) if value.isascii() and value.isdigit() else value


# How an attribute's text reads as the sources file's value; tags are JSON, since a tag may
# hold any character, a comma or a space too.
_READERS: dict[str, Callable[[str], Any]] = {
    "enabled": _truth, "require_topic": _truth, "paywall": _truth,
    "allowed_domains": str.split, "tags": json.loads, "download_delay": float,
    "max_requests": _whole, "max_entries": _whole,
}


def _typed(key: str, value: str) -> Any:
    read = _READERS.get(key)
    try:
        return read(value) if read else value
    except (ValueError, RecursionError):  # int() of 4,300+ digits, no number, "[[[[..."
        return value


def _iso_language(value: str | None) -> str | None:
    """"en-US", "de_AT", "EN" as the ISO 639-1 code the sources file takes; a name such as
    "English" as none (the sources file refuses it)."""
    code = re.split(r"[-_]", value or "", maxsplit=1)[0].lower()
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _check_url(url: str, label: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: outline {label!r}: xmlUrl {url!r} is not an http(s) URL")


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _distinct(tags: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tag for tag in tags if tag))


def _unique(names: Iterable[str]) -> list[str]:
    taken: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}-{n}"
        taken.add(candidate)
        result.append(candidate)
    return result


def _outline_attributes(source: Source, named: bool) -> dict[str, str]:
    # A sitemap written as type="rss" read back as a feed, and readers polled it as one.
    # "auto" is mostly a feed or a page announcing one: readers find it as "rss" too.
    kind = source.kind if source.kind in _KINDS else "rss"
    attributes = {"type": kind, "text": source.name, "title": source.name, "xmlUrl": source.url}
    if source.language:
        attributes["language"] = source.language
    if len(source.tags) > 1:
        attributes["category"] = ",".join(source.tags[1:])
    return attributes | {_OWN + key: value for key, value in _own_values(source, named)}


def _own_values(source: Source, named: bool) -> Iterator[tuple[str, str]]:
    """The keys OPML has no attribute for, where they differ from the sources file's
    defaults; the type says the rest of the kind. ``named``: another source lists its URL
    too, and its name keeps them apart."""
    if named or _slugify(source.name) != source.name:
        yield "name", source.name
    if any(_slugify(tag) != tag for tag in source.tags):  # folders and categories are slugs
        yield "tags", json.dumps(list(source.tags), ensure_ascii=False)
    if source.kind == "auto":
        yield "kind", "auto"
    if not source.enabled:
        yield "enabled", "false"
    if source.download_delay is not None:
        yield "download_delay", repr(float(source.download_delay))
    if source.user_agent is not None:
        yield "user_agent", source.user_agent
    if source.allowed_domains:
        yield "allowed_domains", " ".join(source.allowed_domains)
    if source.require_topic:
        yield "require_topic", "true"
    if source.paywall:
        yield "paywall", "true"
    if source.notes is not None:
        yield "notes", source.notes
    for key, limit in _limits(source):
        yield key, str(limit)


def _toml_lines(source: Source) -> Iterator[str]:
    yield "[[sources]]"
    yield f"name = {_toml_string(source.name)}"
    yield f"url = {_toml_string(source.url)}"
    yield f"kind = {_toml_string(source.kind)}"
    if source.language is not None:
        yield f"language = {_toml_string(source.language)}"
    if source.tags:
        yield f"tags = {_toml_list(source.tags)}"
    yield f"enabled = {'true' if source.enabled else 'false'}"
    if source.download_delay is not None:
        yield f"download_delay = {_toml_float(source.download_delay)}"
    if source.user_agent is not None:
        yield f"user_agent = {_toml_string(source.user_agent)}"
    if source.allowed_domains:
        yield f"allowed_domains = {_toml_list(source.allowed_domains)}"
    if source.require_topic:
        yield "require_topic = true"
    if source.paywall:
        yield "paywall = true"
    if source.notes is not None:
        yield f"notes = {_toml_string(source.notes)}"
    for key, limit in _limits(source):  # an OPML's policywire:max_requests was dropped
        yield f"{key} = {limit}"


def _limits(source: Source) -> Iterator[tuple[str, int]]:
    """The source's own limits (``max_requests``, ``max_entries``) that it sets."""
    for key in ("max_requests", "max_entries"):
        limit = getattr(source, key)
        if limit is not None:
            yield key, limit


def _toml_string(value: str) -> str:
    escaped = (
        _TOML_ESCAPES.get(char)
        or (f"\\u{ord(char):04x}" if _TOML_ESCAPED.match(char) else char)
        for char in value
    )
    return '"' + "".join(escaped) + '"'


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_string(value) for value in values) + "]"


def _toml_float(value: float) -> str:
    # repr() gives "2.0", "1e-05", "inf", all valid TOML floats; "nan" is spelled alike.
    return "nan" if math.isnan(value) else repr(float(value))
