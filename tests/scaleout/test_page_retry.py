"""A page that failed to download is fetched again by the next scale-out round, through the
shared Redis state (crawler.pageretry): real workers, a real redis-server, the loopback site."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from crawler.state import RedisStateStore
from tests.conftest import read_jsonl
from tests.scaleout.test_workers import _enqueue, _finish, _outputs, _worker
from tests.sitesrv import FixtureSite, Route
from tests.test_faults import ATTEMPTS
from tests.test_page_retry import PAGE, late_site
from tests.test_politeness import _sources

pytestmark = pytest.mark.slow


def rounds(redis_url: str, namespace: str, sources: Path, folder: Path, worker: str,
           *options: str) -> None:
    """One round: ``enqueue`` with ``options``, then a worker that crawls and merges it."""
    _enqueue(redis_url, namespace, sources, folder, *options)
    _finish(_worker(redis_url, namespace, folder, worker))


def test_a_page_that_answered_503_comes_with_the_next_round_as_its_next_revision(
        redis_url: str, fresh_site: FixtureSite, tmp_path: Path) -> None:
    late_site(fresh_site, [Route(503, b"busy", {"Content-Type": "text/plain"})] * ATTEMPTS)
    sources = _sources(tmp_path, {"late": (fresh_site.url("/late/feed"), None)})
    namespace = f"t{secrets.token_hex(4)}"

    def round_of(worker: str) -> None:
        rounds(redis_url, namespace, sources, tmp_path, worker)

    round_of("w1")
    records, _ = _outputs(tmp_path)
    [failed] = [r for r in records if r["url"] == fresh_site.url(PAGE)]
    assert failed["page_error"].startswith("http_503")
    state = RedisStateStore(redis_url, namespace=namespace)
    try:  # the mark, one failure counted, in the shared state
        [marked] = state.entry_fingerprints([failed["id"]]).values()
        assert marked.endswith("!1")
    finally:
        state.close()
    round_of("w2")
    assert "If-None-Match" not in fresh_site.requests["/late/feed"][-1]
    assert fresh_site.hits[PAGE] == ATTEMPTS + 1
    records, _ = _outputs(tmp_path)
    old, new = [r for r in records if r["url"] == fresh_site.url(PAGE)]
    assert (new["id"], new["revision"], new["page_error"]) == (old["id"], 2, None)
    assert new["text"]
    round_of("w3")  # done: the feed answers 304, the page is not asked for
    assert fresh_site.hits[PAGE] == ATTEMPTS + 1
    summaries = [m for out in sorted(tmp_path.glob("out-w3")) for m in
                 read_jsonl(out / "runs.jsonl")]
    assert summaries[-1]["totals"]["not_modified"] == 1


def test_a_round_enqueued_with_no_page_retries_leaves_a_failed_page_alone(
        redis_url: str, fresh_site: FixtureSite, tmp_path: Path) -> None:
    late_site(fresh_site, [Route(404, b"gone", {"Content-Type": "text/plain"})] * 10)
    sources = _sources(tmp_path, {"late": (fresh_site.url("/late/feed"), None)})
    namespace = f"t{secrets.token_hex(4)}"
    for worker in ("w1", "w2"):
        rounds(redis_url, namespace, sources, tmp_path, worker, "--page-retries", "0")
    assert fresh_site.hits[PAGE] == 1
    assert fresh_site.requests["/late/feed"][-1]["If-None-Match"] == '"late-v1"'
