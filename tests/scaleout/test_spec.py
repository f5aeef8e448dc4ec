"""Crawl jobs travel as JSON: every round option survives the trip."""

from __future__ import annotations

import json

from crawler.pageretry import DEFAULT_RETRIES
from crawler.scaleout.spec import CrawlJob, RoundOptions
from crawler.sources import Source


def test_a_job_round_trips_through_json_with_its_thresholds() -> None:
    job = CrawlJob("redis://127.0.0.1:6379/0", "pw", "r1",
                   Source("a", "https://a.example/feed", tags=("x",)),
                   RoundOptions(window_days=7, title_thresholds=("de=0.3", "0.5")))
    back = CrawlJob.from_json(json.loads(json.dumps(job.to_json())))
    assert back == job
    assert back.options.title_thresholds == ("de=0.3", "0.5")


def test_a_job_enqueued_before_thresholds_existed_still_reads() -> None:
    data = CrawlJob("redis://127.0.0.1:6379/0", "pw", "r1", Source("a", "https://a.example/f"),
                    RoundOptions()).to_json()
    del data["options"]["title_thresholds"]
    assert CrawlJob.from_json(data).options.title_thresholds == ()


def test_a_job_carries_its_page_retries_and_an_older_one_reads_the_default() -> None:
    job = CrawlJob("redis://127.0.0.1:6379/0", "pw", "r1", Source("a", "https://a.example/f"),
                   RoundOptions(page_retries=0))
    assert CrawlJob.from_json(json.loads(json.dumps(job.to_json()))).options.page_retries == 0
    data = job.to_json()
    del data["options"]["page_retries"]
    assert CrawlJob.from_json(data).options.page_retries == DEFAULT_RETRIES
