"""The merge job's shared candidate index (:func:`crawler.scaleout.tasks.lsh_storage`) on a
real redis-server: its client has the state's timeouts, a silent Redis fails it in seconds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from crawler.dedup import DedupParams
from crawler.dedup.shared_lsh import SharedCandidateIndex
from crawler.scaleout.keys import Keys
from crawler.scaleout.tasks import lsh_storage
from crawler.state.redis_client import READ_TIMEOUT_S
from tests.dedup.test_lsh import _signatures
from tests.redisrv import RedisServer, start
from tests.state.silent import frozen, within

PARAMS = DedupParams()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisServer]:
    server = start(tmp_path)
    yield server
    server.stop()


def test_the_shared_index_on_a_silent_redis_fails_within_its_read_timeout(
        server: RedisServer) -> None:
    index = SharedCandidateIndex(PARAMS.lsh_threshold, PARAMS.num_perm,
                                 lsh_storage(server.url, Keys("t")))
    signatures = _signatures(20, seed=3)
    index.insert_many([(f"r{n}", s) for n, s in enumerate(signatures)])
    with frozen(server):
        # Before: redis-py's own client options, the merge (and its lock) held: 58.6 s with
        # redis-py 8.2 (its 5 s timeouts, tried again with pauses), for ever with 5-7.
        took, raised = within(60, lambda: index.query_many(signatures))
    assert isinstance(raised, redis.TimeoutError), raised
    assert took < READ_TIMEOUT_S + 2

