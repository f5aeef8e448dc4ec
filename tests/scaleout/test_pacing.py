"""A source's ``download_delay`` in scale-out: the Redis pacer keeps it as a floor for its
host, for every source's requests there (a real redis-server, a real worker, the loopback
server's timestamps)."""

from __future__ import annotations

import itertools
import secrets
import threading
from pathlib import Path

import pytest

from tests.conftest import records_under
from tests.scaleout.test_workers import _enqueue, _finish, _worker
from tests.sitesrv import FixtureSite, Route
from tests.test_politeness import DELAY, TOLERANCE, _feed, _sources, assert_paced

pytestmark = pytest.mark.slow


def test_a_worker_keeps_a_source_delay_for_its_host(redis_url: str, fresh_site: FixtureSite,
                                                    tmp_path: Path) -> None:
    site = fresh_site
    namespace = f"t{secrets.token_hex(4)}"
    # Jobs run in order: the slow source's, then the one without a delay, on the same host.
    sources = _sources(tmp_path, {"slow": (_feed(site, "slow", 3), DELAY),
                                  "other": (_feed(site, "other", 3), None)})
    _enqueue(redis_url, namespace, sources, tmp_path)
    _finish(_worker(redis_url, namespace, tmp_path, "a"))
    assert len(records_under(tmp_path / "out-a")) == 6
    # robots.txt and a feed each, six pages (each job is a fresh process: robots.txt again).
    # Before: the other source's requests came DOWNLOAD_DELAY (0.25 s) apart.
    assert_paced(site, DELAY, requests=10)


def test_two_workers_keep_a_host_s_crawl_delay_between_them(
        redis_url: str, fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    # Each worker's robots.txt is answered once the other's has come: both are asked for
    # before either worker knows the Crawl-delay (the race a faster start-up exposed, made
    # certain). Within Scrapy's download timeout (30 s).
    gate = threading.Barrier(2, timeout=25)
    site.routes["/robots.txt"] = Route(200, b"User-agent: *\nCrawl-delay: 1\n",
                                       {"Content-Type": "text/plain"}, hold=gate)
    namespace = f"t{secrets.token_hex(4)}"
    sources = _sources(tmp_path, {"one": (_feed(site, "one", 3), None),
                                  "two": (_feed(site, "two", 3), None)})
    _enqueue(redis_url, namespace, sources, tmp_path)
    workers = [_worker(redis_url, namespace, tmp_path, name) for name in ("a", "b")]
    for proc in workers:
        _finish(proc)
    assert sum(len(records_under(tmp_path / f"out-{n}")) for n in "ab") == 6
    assert not gate.broken  # the two robots.txt requests overlapped
    # Once the host's robots.txt is read (each job, a process of its own, reads it), every
    # request to it, of either worker, comes a Crawl-delay after the one before. Before: each
    # worker kept it for its own requests only, and the shared pacer its 0.25 s (gaps of
    # 0.25-0.5 s between the two workers' requests).
    arrivals = sorted(site.arrivals)
    last_robots = max(n for n, (_, path) in enumerate(arrivals) if path == "/robots.txt")
    times = [t for t, _ in arrivals[last_robots:]]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    shown = [(round(t - arrivals[0][0], 3), path) for t, path in arrivals]
    assert len(times) >= 7 and min(gaps) >= 1 - TOLERANCE, shown
