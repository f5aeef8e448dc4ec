"""What the spider may ask for: a link it can request, each listing once, within a budget.

Every URL the spider requests passes here first, so that what Scrapy would refuse or drop
(a link without ``://``, a port out of range, one longer than ``URLLENGTH_LIMIT`` once
percent-encoded as Scrapy requests it, which Scrapy's URL length filter drops without a
word) ends as a reject naming its entry, and one bad link no longer costs the rest of its
feed, sitemap or home page.

A feed or sitemap (a *listing*) is fetched once a run per source: an index that lists itself,
or a urlset that lists itself as a child, fetched one URL 156 times before. And each source
has a budget of requests a run (``POLICYWIRE_MAX_REQUESTS_PER_SOURCE``, or the source's own
``max_requests``): what is over it is rejected, and comes with a later run.

Of a feed, the spider takes the newest entries only (``POLICYWIRE_MAX_ENTRIES_PER_FEED``, or
the source's ``max_entries``), as feed readers keep a feed's newest items: a feed of 100,000
entries spent the budget on its first 5,000 and wrote the rest as ``request_budget`` rejects,
again on every run, since such a feed kept no validators.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from crawler.models import Problem
from crawler.normalize import link_problem
from crawler.records import record_url, unrequestable
from crawler.sources import Source

#: Scrapy's own default ``URLLENGTH_LIMIT`` (the longest URL old Internet Explorer took).
DEFAULT_URL_LIMIT = 2083
#: A Google News sitemap holds at most 1,000 URLs, a busy feed a few hundred entries; a first
#: run of a large sitemap index gets its first 5,000 pages, and later runs the rest.
DEFAULT_BUDGET = 5000
#: The largest of the 97 real feeds in ``../shared/data/real-feeds`` (20 outlets) carries 159
#: entries, and a Google News sitemap at most 1,000: room for six times the busiest feed's
#: day, well inside the request budget.
DEFAULT_ENTRY_CAP = 1000


class RequestGate:
    """``admit(source, url)`` spends one request of the source's budget, or says why not;
    ``first_time(source, url)`` is true once per listing URL and source."""

    def __init__(self, url_limit: int = DEFAULT_URL_LIMIT, budget: int = DEFAULT_BUDGET,
                 entry_cap: int = DEFAULT_ENTRY_CAP) -> None:
        self.url_limit = url_limit
        self.budget = budget
        self.entry_cap = entry_cap
        self._spent: Counter[str] = Counter()
        self._listed: set[tuple[str, str]] = set()

    def admit(self, source: Source, url: str) -> Problem | None:
        # Measured as Scrapy will request it: "a b" is "a%20b", three characters longer.
        requested = record_url(url)
        problem = link_problem(requested, self.url_limit) or unrequestable(url)
        if problem is not None:
            return Problem(source.name, requested, "invalid_link", problem)
        budget = source.max_requests or self.budget
        if self._spent[source.name] >= budget:
            return Problem(source.name, requested, "request_budget",
                           f"the source's {budget} requests of this run were spent; "
                           "a later run fetches it")
        self._spent[source.name] += 1
        return None

    def entries(self, source: Source) -> int:
        """How many of a feed's newest entries the source takes per fetch."""
        return source.max_entries or self.entry_cap

    def first_time(self, source: Source, url: str) -> bool:
        key = (source.name, url)
        if key in self._listed:
            return False
        self._listed.add(key)
        return True


def allowed(url: str, domains: tuple[str, ...]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or below one (a source's allowed_domains)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith(f".{d}") for d in (d.lower() for d in domains))


def request_headers(source: Source) -> dict[str, str]:
    return {"User-Agent": source.user_agent} if source.user_agent else {}


def slot(source: Source) -> str:
    """The download slot of a source with its own download_delay: its pace, not its host's."""
    return f"source:{source.name}"
