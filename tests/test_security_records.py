"""What the crawl's main process does with a page's extracted text stays cheap, whatever the
page: the extraction's CPU limit holds in its worker only, and the record is built (its
headline stripped again, against the feed's title) on the reactor thread, where every other
download waits."""

from __future__ import annotations

import time

from crawler.models import Entry, Fetched, Page
from crawler.records import build_record

WORDS = ("nato", "treaty", "sanctions", "missile", "Berlin", "defence", "cyber", "attack")


def test_a_body_of_one_long_line_is_built_into_a_record_in_well_under_a_second() -> None:
    # 8 MB with no line break: the date line's search read all of it (4 s of CPU; 14 MB 7 s),
    # and so did each fold of it for the headline's repetition.
    text = " ".join(WORDS[i * 7 % len(WORDS)] for i in range(1_000_000))
    item = Fetched(source="s", entry=Entry(link="https://example.org/a", title="Talks resume"),
                   feed_url="https://example.org/feed", page=Page(title="Talks", text=text))
    started = time.process_time()
    record = build_record(item, "run", "2026-12-06T00:00:00Z")
    assert time.process_time() - started < 1.0
    assert getattr(record, "text", None) == text
