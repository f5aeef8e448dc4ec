"""Which sources a spider crawls (its ``-a`` arguments), and what each of its listing
requests is for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
