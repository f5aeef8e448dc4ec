"""The spider behind ``policywire sources check --live`` (see :mod:`crawler.probe`): one
request per source, every answer kept, nothing yielded to pipelines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.netguard import WRITTEN_URL
from crawler.probe import Probe, read_answer
from crawler.sources import Source
from crawler.spiders.gate import request_headers

# The crawl's own detection and failure wording, so the probe reports what the crawl would.
from crawler.spiders.responses import content_type, detect, failure_reason, gunzipped


class ProbeSpider(scrapy.Spider):
    name = "policywire-probe"

    def __init__(self, *, source_list: list[Source], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = source_list
        self.results: dict[str, Probe] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            yield scrapy.Request(
                source.url, callback=self.answered, errback=self.failed,
                headers=request_headers(source), dont_filter=True, cb_kwargs={"source": source},
                # Every error status is an answer to report, not one to drop (not 3xx:
                # redirects are followed and reported).
                meta={"handle_httpstatus_list": list(range(400, 600)), WRITTEN_URL: source.url},
            )

    def answered(self, response: Response, source: Source) -> Iterator[Any]:
        ctype = content_type(response)
        probe = Probe(source.name, source.url, status=response.status, content_type=ctype,
                      final_url=response.url,
                      redirects=tuple(response.meta.get("redirect_urls", ())))
        if not 200 <= response.status < 300:
            self.results[source.name] = replace(probe, error=f"http_{response.status}")
            return
        try:  # a sitemap.xml.gz served as application/gzip, as the crawl reads it
            response = gunzipped(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
        except (OSError, EOFError, ValueError) as exc:
            self.results[source.name] = replace(probe, error=f"download_error: gzip: {exc}")
            return
        detected = source.kind if source.kind != "auto" else detect(response)
        text = response.text if isinstance(response, TextResponse) else None
        answer = read_answer(source, detected, response.body, url=response.url,
                             content_type=ctype, text=text)
        self.results[source.name] = replace(
            probe, kind=detected if detected != "auto" else "", entries=answer.entries,
            newest=answer.newest, error=answer.problem, feeds=answer.feeds)
        yield from ()

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.cb_kwargs["source"]
        redirects = tuple(request.meta.get("redirect_urls", ()))
        self.results[source.name] = Probe(source.name, source.url, redirects=redirects,
                                          final_url=request.url, error=failure_reason(failure))
