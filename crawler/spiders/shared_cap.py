"""One ``max_entries`` for all the child sitemaps of a source's index.

Each child sitemap was capped alone: an index of ``max_entries`` children of ``max_entries``
urls each gave ``max_entries`` squared page requests (1,000,000 at the default), and what
passed the request budget ended as ``request_budget`` reject lines, on every cron run. The
children's urls are held here until the last child of the source has answered (or failed),
and the newest ``max_entries`` of them all go on, as one sitemap's would; the rest are
counted as ``capped``. Waiting for the last one keeps the choice independent of the order
the children arrive in: the same sitemaps give the same records.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict

from crawler.models import Entry

#: Held urls are pruned to the cap when they pass this many caps: memory stays bounded by the
#: cap, not by the number of children, at O(n log cap) work.
_SLACK = 2


def _newest_first(held: tuple[Entry, str]) -> tuple[bool, str, str]:
    """As a sitemap's own cut ranks its urls (crawler.sitemaps): dated before undated, then
    newest; ties by link, so that the order the children came in does not matter."""
    entry = held[0]
    return entry.published is not None, entry.published or "", entry.link or ""


class SharedCap:
    """``expect(source)`` for each child sitemap requested, ``add(...)`` its urls, and
    ``done(source, cap)`` as each answers or fails: the last one's call returns the newest
    ``cap`` urls of them all, with their sitemap's URL, and how many were left out."""

    def __init__(self) -> None:
        self._pending: Counter[str] = Counter()
        self._held: defaultdict[str, list[tuple[Entry, str]]] = defaultdict(list)
        self._capped: Counter[str] = Counter()

    def expect(self, source: str) -> None:
        self._pending[source] += 1

    def add(self, source: str, entries: tuple[Entry, ...], sitemap_url: str, cap: int) -> None:
        held = self._held[source]
        held.extend((entry, sitemap_url) for entry in entries)
        if len(held) > _SLACK * cap:
            self._held[source] = self._cut(source, held, cap)

    def done(self, source: str, cap: int) -> tuple[list[tuple[Entry, str]], int] | None:
        """``None`` while other child sitemaps of ``source`` are still awaited."""
        self._pending[source] -= 1
        if self._pending[source] > 0:
            return None
        del self._pending[source]
        taken = self._cut(source, self._held.pop(source, []), cap)
        return taken, self._capped.pop(source, 0)

    def _cut(self, source: str, held: list[tuple[Entry, str]],
             cap: int) -> list[tuple[Entry, str]]:
        if len(held) <= cap:
            return held
        self._capped[source] += len(held) - cap
        return heapq.nlargest(cap, held, key=_newest_first)
