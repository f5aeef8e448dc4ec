from __future__ import annotations

import io

from crawler.extensions import Progress
from crawler.models import Entry, FeedPoll, Fetched, Problem, Skipped


def test_progress_line_counts_what_the_crawl_yields() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream, 1.0)
    progress.scraped(FeedPoll("s", "https://x/feed", 200))
    progress.scraped(Fetched(source="s", entry=Entry(link="https://x/a"), feed_url=None))
    progress.scraped(Fetched(source="s", entry=Entry(link="https://x/b"), feed_url=None,
                             page_error="http_404"))
    progress.scraped(Skipped("s", "id"))
    progress.scraped(Problem("s", "https://x/f2", "feed_unparseable"))
    progress.show()
    assert stream.getvalue().endswith(
        "sources 1/2 · articles 2 · unchanged 1 · rejects 2 · errors 0   ")
