"""The sources file: which feeds, sitemaps and pages to crawl, in TOML.

::

    [[sources]]
    name = "nato-news"
    url = "https://www.sipri.org/rss/combined.xml"
    kind = "feed"          # feed | sitemap | page | auto (default)
    language = "en"
    tags = ["nato"]
    enabled = true
    download_delay = 2.0   # optional overrides
    user_agent = "..."
    allowed_domains = ["nato.int"]
    require_topic = true   # keep only records about a security-policy topic
    paywall = true         # some or all articles are subscriber-only: bodies are teasers
    notes = "..."          # free text for a user judging the source: terms, known blocks
    max_requests = 500     # requests a run (default POLICYWIRE_MAX_REQUESTS_PER_SOURCE)
    max_entries = 200      # a feed's newest entries a fetch (POLICYWIRE_MAX_ENTRIES_PER_FEED)

Errors name the key and its line (the ``[[sources]]`` header's for a key that is missing), so
a typo in a 40-source file is found at once. Every string is one line of printable text: a
control character (tab, CR, LF, C1) is such an error.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from crawler.errors import ConfigError

Kind = Literal["feed", "sitemap", "page", "auto"]
KINDS: tuple[Kind, ...] = ("feed", "sitemap", "page", "auto")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_KEYS = frozenset(
    {"name", "url", "kind", "language", "tags", "enabled", "download_delay", "user_agent",
     "allowed_domains", "require_topic", "paywall", "notes", "max_requests",
     "max_entries"}
)


@dataclass(frozen=True)
class Source:
    """One configured source."""

    name: str
    url: str
    kind: Kind = "auto"
    language: str | None = None
    tags: tuple[str, ...] = ()
    enabled: bool = True
    download_delay: float | None = None
    user_agent: str | None = None
    allowed_domains: tuple[str, ...] = field(default=())
    require_topic: bool = False  # keep only records the topic lexicon tags
    # For a user judging the source; neither changes what is crawled. A paywalled source's
    # pages give a teaser or a paywall notice, so its records carry feed metadata and little text.
    paywall: bool = False
    notes: str | None = None
    max_requests: int | None = None  # this source's request budget a run; None: the setting's
    max_entries: int | None = None  # its feeds' newest entries taken per fetch; None: the setting's


def default_sources_path() -> Path:
    """The bundled default sources file."""
    return Path(str(resources.files("crawler") / "data" / "sources.toml"))


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources file; raise :class:`ConfigError` naming line and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read sources file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: sources file is not UTF-8: {exc.reason}") from exc
    return parse_sources(text, str(path))


def parse_sources(text: str, origin: str = "<sources>") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from exc
    tables = data.get("sources")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{origin}: expected one or more [[sources]] tables")
    places = _places(text, origin, len(tables))
    sources = [_source(table, place) for table, place in zip(tables, places, strict=True)]
    _check_unique(sources, places)
    return sources


def source_from_table(table: Mapping[str, Any], origin: str, line: int) -> Source:
    """One source from the keys a ``[[sources]]`` table holds, as another format carries
    them (OPML): validated as the sources file is, a fault naming ``origin:line N``."""
    return _source(dict(table), _Place(origin, f"line {line}", {}))


def single_source(url: str, kind: Kind = "auto", name: str | None = None) -> Source:
    """A source for a one-off ``scrape URL``."""
    host = urlsplit(url).hostname or "source"
    return Source(name=name or host, url=url, kind=kind)


def _source(table: Any, place: _Place) -> Source:
    if not isinstance(table, dict):
        raise ConfigError(f"{place()}: each [[sources]] entry must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{place(unknown[0])}: unknown key {unknown[0]!r} (known: {known})")
    name = _required_str(table, "name", place)
    if not _NAME.match(name):
        raise ConfigError(f"{place('name')}: key 'name': {name!r} may hold letters, digits,"
                          " '.', '_', '-'")
    return Source(
        name=name,
        url=_url(table, place),
        kind=_kind(table, place),
        language=_language(table, place),
        tags=_str_tuple(table, "tags", place),
        enabled=_bool(table, "enabled", place),
        require_topic=_bool(table, "require_topic", place, default=False),
        download_delay=_delay(table, place),
        user_agent=_optional_str(table, "user_agent", place),
        allowed_domains=_str_tuple(table, "allowed_domains", place),
        paywall=_bool(table, "paywall", place, default=False),
        notes=_optional_str(table, "notes", place),
        max_requests=_whole(table, "max_requests", place),
        max_entries=_whole(table, "max_entries", place),
    )


def _required_str(table: dict[str, Any], key: str, place: _Place) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{place(key)}: key {key!r} is required and must be a non-empty"
                          " string")
    return _one_line(value, key, place).strip()


def _optional_str(table: dict[str, Any], key: str, place: _Place) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{place(key)}: key {key!r} must be a string")
    return _one_line(value, key, place).strip() or None


# C0 controls (tab, CR and LF too), DEL and the C1 controls. Every string key ends in a
# request (a user_agent's CR LF began a header of its own: "Bot\r\nX-Evil: 1"), an
# exported OPML file (lxml refuses a C0 control: the export died with a traceback) or a
# table on a terminal; none has a use for them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _one_line(value: str, key: str, place: _Place) -> str:
    found = _CONTROL.search(value)
    if found:
        raise ConfigError(f"{place(key)}: key {key!r} holds the control character"
                          f" U+{ord(found.group()):04X}; it must be one line of printable text")
    return value


def _language(table: dict[str, Any], place: _Place) -> str | None:
    """An ISO 639-1 code ("de"), as records carry: "german" was taken, and never matched
    the language a record's text was detected in."""
    value = _optional_str(table, "language", place)
    if value is not None and not _LANGUAGE.fullmatch(value):
        raise ConfigError(f"{place('language')}: key 'language': {value!r} is not an ISO 639-1"
                          " code (two letters, such as \"de\" or \"en\")")
    return value.lower() if value else None


_LANGUAGE = re.compile(r"[A-Za-z]{2}")


def _url(table: dict[str, Any], place: _Place) -> str:
    url = _required_str(table, "url", place)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{place('url')}: key 'url': {url!r} is not an http(s) URL")
    return url


def _kind(table: dict[str, Any], place: _Place) -> Kind:
    kind = table.get("kind", "auto")
    if kind not in KINDS:
        raise ConfigError(f"{place('kind')}: key 'kind': {kind!r} is not one of"
                          f" {', '.join(KINDS)}")
    return cast(Kind, kind)


def _bool(table: dict[str, Any], key: str, place: _Place, default: bool = True) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{place(key)}: key {key!r} must be true or false")
    return value


def _delay(table: dict[str, Any], place: _Place) -> float | None:
    value = table.get("download_delay")
    if value is None:
        return None
    # inf (TOML reads it) held the crawl for ever, deaf to SIGTERM, and cron's later runs
    # found the state locked; nan passed `< 0`.
    if (isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            or not math.isfinite(value)):
        raise ConfigError(f"{place('download_delay')}: key 'download_delay' must be a number"
                          " >= 0 (seconds; not inf or nan)")
    return float(value)


def _whole(table: dict[str, Any], key: str, place: _Place) -> int | None:
    """A limit (``max_requests``, ``max_entries``): a whole number >= 1, or absent."""
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{place(key)}: key {key!r} must be a whole number >= 1")
    return value


def _str_tuple(table: dict[str, Any], key: str, place: _Place) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{place(key)}: key {key!r} must be a list of strings")
    return tuple(_one_line(v, key, place).strip() for v in value if v.strip())


def _check_unique(sources: list[Source], places: list[_Place]) -> None:
    seen: set[str] = set()
    for source, place in zip(sources, places, strict=True):
        if source.name in seen:
            raise ConfigError(f"{place('name')}: duplicate source name {source.name!r}")
        seen.add(source.name)


# -- where things are: tomllib gives no positions, so the lines are found in the text -------

_SOURCES_HEADER = re.compile(r"^\s*\[\[\s*sources\s*\]\]\s*(?:#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")  # ends the keys of the table before
# A key at the start of a line: bare, "quoted" or 'literal', the first part of a dotted one.
_KEY_LINE = re.compile(r"""^\s*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')\s*[=.]""")


@dataclass(frozen=True)
class _Place:
    """Where one ``[[sources]]`` table and its keys are, for error messages."""

    origin: str
    table: str  # "line 3", or "source #2" where the text has no header for it
    keys: Mapping[str, int]  # key -> line

    def __call__(self, key: str | None = None) -> str:
        """``origin:line N`` of ``key``; of the table where the key is not in it."""
        line = self.keys.get(key) if key is not None else None
        return f"{self.origin}:line {line}" if line else f"{self.origin}:{self.table}"


def _places(text: str, origin: str, count: int) -> list[_Place]:
    """The place of each of the ``count`` tables, from their ``[[sources]]`` header lines
    and the key lines below each. A line-by-line look, not a TOML parser: a line inside a
    multi-line string that reads ``kind = ...`` would be taken for ``kind`` if it came
    first, and a key it does not find (in a nested table) falls back to the header line."""
    found: list[tuple[int, dict[str, int]]] = []
    keys: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if _SOURCES_HEADER.match(line):
            keys = {}
            found.append((number, keys))
        elif _ANY_HEADER.match(line):
            keys = None
        elif keys is not None and (match := _KEY_LINE.match(line)):
            keys.setdefault(next(part for part in match.groups() if part is not None), number)
    if len(found) != count:  # sources = [{...}, ...] written inline: no header to name
        return [_Place(origin, f"source #{index + 1}", {}) for index in range(count)]
    return [_Place(origin, f"line {header}", keys) for header, keys in found]
