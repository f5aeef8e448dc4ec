"""How long a listing's pages take to fetch at their hosts' delays, said before they are.

Scrapy waits a host's delay between two requests to it (``DOWNLOAD_DELAY``, a source's
``download_delay``, the host's robots.txt ``Crawl-delay``: :mod:`crawler.politeness`),
however many hosts it fetches from at once. So N pages of one host take at least
(N - 1) delays: a one-off scrape of a 3,000-entry feed some 12 minutes at the default
0.25 s, in silence until then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

#: Below this many seconds nothing is said: a feed of a few entries is fetched at once.
SAY_FROM = 5.0


def least_seconds(urls: Iterable[str], delay: Callable[[str], float]
                  ) -> tuple[int, int, float]:
    """``(pages, hosts, seconds)``: the least time fetching ``urls`` takes, ``delay(host)``
    seconds apart on each host (the slowest host decides)."""
    per_host = Counter(urlsplit(url).hostname or "" for url in urls)
    seconds = max(((count - 1) * delay(host) for host, count in per_host.items()), default=0.0)
    return sum(per_host.values()), len(per_host), seconds


def notice(pages: int, hosts: int, seconds: float) -> str:
    """The line that says it: ``scrape: 3,000 pages to fetch from 1 host: at least 12 min``."""
    took = f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"
    return (f"{pages:,} pages to fetch from {hosts} host{'' if hosts == 1 else 's'}:"
            f" at least {took} at the hosts' delays (DOWNLOAD_DELAY, download_delay,"
            " robots.txt Crawl-delay)")
