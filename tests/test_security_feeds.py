"""Hostile feed bodies cost time in proportion to their size, never more."""

from __future__ import annotations

import time

import pytest

from crawler.feeds import parse_feed


def _feed(middle: bytes, skip: bytes = b"") -> bytes:
    return (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' + middle
            + skip + b"<item><title>Talks resume</title><link>https://example.org/a</link>"
            b"</item></channel></rss>")


@pytest.mark.parametrize("tag", [b"<skipHours>", b"<skipDays>"])
def test_a_feed_of_unclosed_skip_tags_is_read_in_seconds(tag: bytes) -> None:
    # 8.8 MB (16 MB, the size cap: 65 s): each opening tag was searched 2,000 bytes on for
    # its end, on the crawl's reactor thread (every other download waited). <skipDays> came
    # with the skipHours polling fix in the pattern the skipHours one had (12.8 s here).
    body = _feed(b"<!-- " + tag * 800_000 + b" -->")
    started = time.perf_counter()
    parsed = parse_feed(body, "https://example.org/feed", "application/rss+xml")
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert [e.title for e in parsed.entries] == ["Talks resume"]


def test_the_feeds_skip_hours_are_still_read() -> None:
    skip = b"<skipHours><hour>3</hour><HOUR> 4 </HOUR></skipHours>"
    parsed = parse_feed(_feed(b"", skip), "https://example.org/feed", "application/rss+xml")
    assert parsed.skip_hours == frozenset({3, 4})


def test_the_feeds_skip_days_are_still_read() -> None:
    skip = b"<skipDays><day>Saturday</day><DAY> sunday </DAY></skipDays>"
    parsed = parse_feed(_feed(b"", skip), "https://example.org/feed", "application/rss+xml")
    assert parsed.skip_days == frozenset({5, 6})
