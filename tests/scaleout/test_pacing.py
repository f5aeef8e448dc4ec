"""A source's ``download_delay`` in scale-out: the Redis pacer keeps it as a floor for its
host, for every source's requests there (a real redis-server, a real worker, the loopback
server's timestamps)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.conftest import records_under
from tests.scaleout.test_workers import _enqueue, _finish, _worker
from tests.sitesrv import FixtureSite
from tests.test_politeness import DELAY, _feed, _sources, assert_paced

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
