"""The sources file: which feeds, sitemaps and pages to crawl, in TOML.

::

    [[sources]]
    name = "nato-news"
    url = "https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml"
    kind = "feed"          # feed | sitemap | page | auto (default)
    language = "en"
    tags = ["nato"]
    enabled = true
    download_delay = 2.0   # optional overrides
    user_agent = "..."
    allowed_domains = ["nato.int"]
    require_topic = true   # keep only records about a security-policy topic

Errors name the source's line and the key, so a typo in a 40-source file is found at once.
"""

from __future__ import annotations

import re
import tomllib
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
     "allowed_domains", "require_topic"}
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
    lines = _table_lines(text)
    sources = [_source(t, f"{origin}:{_line(lines, i)}") for i, t in enumerate(tables)]
    _check_unique(sources, origin)
    return sources


def single_source(url: str, kind: Kind = "auto", name: str | None = None) -> Source:
    """A source for a one-off ``scrape URL``."""
    host = urlsplit(url).hostname or "source"
    return Source(name=name or host, url=url, kind=kind)


def _source(table: Any, where: str) -> Source:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: each [[sources]] entry must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {known})")
    name = _required_str(table, "name", where)
    if not _NAME.match(name):
        raise ConfigError(f"{where}: key 'name': {name!r} may hold letters, digits, '.', '_', '-'")
    return Source(
        name=name,
        url=_url(table, where),
        kind=_kind(table, where),
        language=_optional_str(table, "language", where),
        tags=_str_tuple(table, "tags", where),
        enabled=_bool(table, "enabled", where),
        require_topic=_bool(table, "require_topic", where, default=False),
        download_delay=_delay(table, where),
        user_agent=_optional_str(table, "user_agent", where),
        allowed_domains=_str_tuple(table, "allowed_domains", where),
    )


def _required_str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: key {key!r} is required and must be a non-empty string")
    return value.strip()


def _optional_str(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: key {key!r} must be a string")
    return value.strip() or None


def _url(table: dict[str, Any], where: str) -> str:
    url = _required_str(table, "url", where)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: key 'url': {url!r} is not an http(s) URL")
    return url


def _kind(table: dict[str, Any], where: str) -> Kind:
    kind = table.get("kind", "auto")
    if kind not in KINDS:
        raise ConfigError(f"{where}: key 'kind': {kind!r} is not one of {', '.join(KINDS)}")
    return cast(Kind, kind)


def _bool(table: dict[str, Any], key: str, where: str, default: bool = True) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: key {key!r} must be true or false")
    return value


def _delay(table: dict[str, Any], where: str) -> float | None:
    value = table.get("download_delay")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{where}: key 'download_delay' must be a number >= 0")
    return float(value)


def _str_tuple(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: key {key!r} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _check_unique(sources: list[Source], origin: str) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(f"{origin}: duplicate source name {source.name!r}")
        seen.add(source.name)


def _table_lines(text: str) -> list[int]:
    """Line numbers (1-based) of each ``[[sources]]`` header, for error messages."""
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[sources]]"]


def _line(lines: list[int], index: int) -> str:
    return f"line {lines[index]}" if index < len(lines) else f"source #{index + 1}"
