"""Entries of ``../shared/data/real-feeds`` parsed with the project's feed code, for story
evaluation: one row per distinct entry (outlet and link; consecutive days' captures overlap).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crawler.feeds import parse_feed
from crawler.normalize import canonical_url, clean_title, html_to_text, identity_url
from crawler.stories import StoryDoc


@dataclass(frozen=True)
class FeedEntry:
    id: str          # sha1 of outlet + canonical link, 12 hex characters
    outlet: str
    day: str         # the capture's day (YYYY-MM-DD)
    url: str
    title: str
    summary: str
    published: float | None
    language: str

    def doc(self) -> StoryDoc:
        """Titles and summaries only: no page text, the feed's summary as the summary."""
        return StoryDoc(self.id, self.title, None, self.language, self.published,
                        self.outlet, None, summary=self.summary or None)


def load_entries(root: Path, language: str) -> list[FeedEntry]:
    """Every distinct entry of ``root/feeds/<outlet>/<day>.xml``, the first capture kept."""
    seen: dict[str, FeedEntry] = {}
    for path in sorted(root.glob("feeds/*/*.xml")):
        outlet, day = path.parent.name, path.stem
        parsed = parse_feed(path.read_bytes(), f"https://{outlet}.example/feed")
        for entry in parsed.entries:
            if not entry.title or not entry.link:
                continue
            url = canonical_url(entry.link)
            # identity_url: the labels' keys were made before a bare query key stayed bare.
            key = hashlib.sha1(f"{outlet} {identity_url(url)}".encode()).hexdigest()[:12]
            if key not in seen:
                title, _ = clean_title(entry.title)
                seen[key] = FeedEntry(key, outlet, day, url, title, html_to_text(entry.summary),
                                      _epoch(entry.published), language)
    return list(seen.values())


def _epoch(published: str | None) -> float | None:
    if not published:
        return None
    return datetime.fromisoformat(published.replace("Z", "+00:00")).timestamp()
