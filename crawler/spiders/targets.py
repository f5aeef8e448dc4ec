"""Which sources a spider crawls (its ``-a`` arguments), what each of its listing
requests is for, and which feeds a home page leads to."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from crawler.logs import SHOWN_WHEN_QUIET
from crawler.redact import redact
from crawler.sources import KINDS, Kind, Source, default_sources_path, load_sources, single_source


@dataclass(frozen=True)
class Target:
    """What a feed, sitemap or page request is for. ``url`` is the URL we asked for: a
    feed's state is kept under it, whatever redirects the server sends us through."""

    source: Source
    kind: Kind
    url: str
    depth: int = 0
    conditional: bool = False


def spider_sources(url: str | None, kind: str | None, sources: str | None) -> list[Source]:
    """The one source of ``-a url=`` (of ``kind``), else the sources file's."""
    # Checked with or without a url: a bad kind never goes unnoticed into a crawl of the
    # sources file (where each source has its own kind).
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if url:
        return [single_source(url, kind or "auto")]  # type: ignore[arg-type,unused-ignore]
    return load_sources(Path(sources) if sources else default_sources_path())


logger = logging.getLogger(__name__)

# A site's home page announces a handful of feeds (the front page, sections, comments); a page
# announcing more is a directory of feeds, not one site's: each followed would be polled, and
# stored in the state, on every run.
MAX_ANNOUNCED_FEEDS = 20


def followed_feeds(feeds: tuple[str, ...], page_url: str) -> tuple[str, ...]:
    """The feeds a home page announces that the crawl follows: its first
    :data:`MAX_ANNOUNCED_FEEDS`, the page's order (its own feed first), with a warning when
    there are more."""
    if len(feeds) > MAX_ANNOUNCED_FEEDS:
        logger.warning("%s announces %d feeds: following its first %d (name the ones wanted"
                       " as sources)", redact(page_url), len(feeds), MAX_ANNOUNCED_FEEDS,
                       extra=SHOWN_WHEN_QUIET)  # feeds left out on every run: -q says it
    return feeds[:MAX_ANNOUNCED_FEEDS]
