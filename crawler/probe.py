"""``policywire sources check --live``: fetch each enabled source once and say what it
answered (status, content type, what it is, how many entries, the newest entry's date, the
redirects on the way), so that a maintainer can refresh a sources list in minutes.

Nothing is stored: no state, no records, no validators. The fetch goes through the same
Scrapy settings as a crawl (User-Agent, robots.txt, the SSRF guard, size caps), so what the
probe sees is what the crawl would get.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from crawler.errors import unsupported_content
from crawler.extract import discover_feeds
from crawler.feeds import parse_feed
from crawler.models import Entry
from crawler.sitemaps import parse_sitemap
from crawler.sources import Source


@dataclass(frozen=True)
class Probe:
    """What one source answered."""

    name: str
    url: str
    status: int | None = None  # None: no answer (DNS, refused, timeout, refused by the guard)
    content_type: str = ""
    kind: str = ""  # feed | sitemap | page | "" (neither)
    entries: int = 0  # feed or urlset entries; child sitemaps of an index; feeds a page announces
    newest: str | None = None  # the newest entry's date (UTC ISO 8601), if any entry is dated
    redirects: tuple[str, ...] = field(default=())  # the URLs before the final one
    final_url: str = ""
    error: str | None = None
    feeds: tuple[str, ...] = field(default=())  # a home page's feeds, which the crawl reads

    @property
    def ok(self) -> bool:
        """Answered 2xx with something a crawl can use."""
        return (self.error is None and self.status is not None and 200 <= self.status < 300
                and self.entries > 0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "redirects": list(self.redirects), "feeds": list(self.feeds),
                "ok": self.ok}


class Answer(NamedTuple):
    """What one answer holds for the crawl: its entries (or a page's announced feeds, or
    the page itself: 1), the newest entry's date, the problem that makes it unusable, and
    the feeds a home page announces (``entries`` counts them: said apart, or "page, 1"
    read as the page itself)."""

    entries: int
    newest: str | None = None
    problem: str | None = None
    feeds: tuple[str, ...] = ()


def read_answer(source: Source, detected: str, body: bytes, *, url: str, content_type: str,
                text: str | None) -> Answer:
    """What one answer that the crawl takes for ``detected`` holds (``text``: the decoded
    body of an HTML answer, else None)."""
    if detected == "feed":
        parsed = parse_feed(body, url, content_type or None)
        problem = parsed.problem()
        return Answer(len(parsed.entries), _newest(parsed.entries),
                      f"{problem[0]}: {problem[1]}" if problem else None)
    if detected == "sitemap":
        sitemap = parse_sitemap(body, url)
        if sitemap is None:
            return Answer(0, None, "sitemap_unparseable: not a sitemap")
        count = len(sitemap.entries) + len(sitemap.children)
        return Answer(count, _newest(sitemap.entries), sitemap.problem)
    if detected == "page" and text is not None:
        # A home page announcing feeds is crawled through them; any other page is the record.
        feeds = discover_feeds(text, url) if source.kind == "auto" else ()
        return Answer(len(feeds) or 1, feeds=feeds)
    if detected == "page":
        return Answer(0, None, f"not_html: {content_type}")
    return Answer(0, None, f"unsupported_content: {unsupported_content(content_type)}")


def _newest(entries: tuple[Entry, ...]) -> str | None:
    dates = [d for e in entries for d in (e.published, e.updated) if d]
    return max(dates) if dates else None


def run_probes(sources: list[Source], *, allow_private_addresses: bool,
               log_level: str = "ERROR") -> list[Probe]:
    """Probe every enabled source in one Scrapy run (this process's reactor runs once); the
    results in the sources' order."""
    # Scrapy loads only for the commands that fetch (as in crawler.jobs).
    from scrapy.crawler import CrawlerProcess  # noqa: PLC0415
    from scrapy.settings import Settings  # noqa: PLC0415

    from crawler.spiders.probe import ProbeSpider  # noqa: PLC0415

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({
        "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": allow_private_addresses,
        "ITEM_PIPELINES": {}, "EXTENSIONS": {}, "LOG_LEVEL": log_level,
        "LOG_INSTALL_ROOT_HANDLER": False,
        # One try: a maintainer wants to see the answer, not wait out retries.
        "RETRY_TIMES": 0, "DOWNLOAD_TIMEOUT": 20,
    }, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ProbeSpider)
    enabled = [s for s in sources if s.enabled]
    process.crawl(crawler, source_list=enabled)
    process.start()
    spider = crawler.spider
    found: dict[str, Probe] = spider.results if isinstance(spider, ProbeSpider) else {}
    return [found.get(s.name) or Probe(s.name, s.url, error="not fetched") for s in enabled]


__all__ = ["Answer", "Probe", "read_answer", "run_probes"]
