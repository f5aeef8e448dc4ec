"""A host given up in scale-out (crawler.giveup): each source's job, a process of its own,
gives it up for its own crawl after one request's retries, and the round's one merge counts
every page not tried, of every worker, in ``runs.jsonl`` (a real redis-server, real workers)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.conftest import read_jsonl
from tests.scaleout.test_workers import _enqueue, _finish, _outputs, _worker
from tests.sitesrv import FixtureSite
from tests.test_giveup import ATTEMPTS, Closer, closer, feed, live_pages
from tests.test_politeness import _sources

__all__ = ["closer"]  # the fixture, used by name

pytestmark = pytest.mark.slow

DEAD = 3  # pages of each source on the host that closes every connection


def test_each_worker_gives_a_host_up_and_the_merge_counts_every_page(
        redis_url: str, fresh_site: FixtureSite, closer: Closer, tmp_path: Path) -> None:
    live = live_pages(fresh_site, 2)
    for n, name in enumerate(("a", "b")):
        feed(fresh_site, [*(f"{closer.base}/{name}{k}.html" for k in range(DEAD)), live[n]],
             path=f"/{name}.rss")
    sources = _sources(tmp_path, {name: (fresh_site.url(f"/{name}.rss"), None) for name in "ab"})
    namespace = f"t{secrets.token_hex(4)}"
    _enqueue(redis_url, namespace, sources, tmp_path)
    workers = [_worker(redis_url, namespace, tmp_path, name) for name in ("w1", "w2")]
    for proc in workers:
        _finish(proc)
    records, _ = _outputs(tmp_path)
    assert len(records) == 2 * (DEAD + 1)
    # Each job tried the host once (robots.txt and its retries), whichever worker ran it.
    assert closer.accepted == 2 * ATTEMPTS
    [summary] = [m for out in tmp_path.glob("out-*") if (out / "runs.jsonl").exists()
                 for m in read_jsonl(out / "runs.jsonl")]
    assert {name: summary["sources"][name]["given_up"] for name in "ab"} == {"a": DEAD,
                                                                           "b": DEAD}
    assert summary["totals"]["given_up"] == 2 * DEAD
    assert summary["given_up_hosts"] == {closer.base[7:]: 2 * DEAD}
