"""The near-duplicate window's cap (crawler.dedup.cap): a backfill bounded in memory and in
the state, SQLite and a real redis-server."""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from crawler.dedup import DedupParams, Doc, StoryIndex
from crawler.dedup.cap import oldest
from crawler.errors import ConfigError
from crawler.state import StateStore
from crawler.state.redis_store import RedisStateStore

NOW = 1_717_200_000.0  # 2024-06-01
DAY = 86400.0
WORDS = ("harbour", "tariff", "senate", "drone", "border", "treaty", "vaccine", "pipeline",
         "election", "court", "strike", "budget", "refinery", "wildfire", "satellite",
         "embassy", "reactor", "census", "ferry", "glacier", "quarry", "orchestra", "monsoon",
         "cathedral", "lithium", "tunnel", "airline", "bakery", "stadium", "archive")


@pytest.fixture(params=["sqlite", "redis"])
def new_state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    """Opens a state of the backend under test (SQLite, a real redis-server), one place."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    namespace, opened = f"test-{uuid.uuid4().hex[:12]}", []

    def state() -> Any:
        opened.append(RedisStateStore(url, namespace=namespace) if url
                      else StateStore(tmp_path / "state"))
        return opened[-1]

    yield state
    for store in opened:
        store.close()


def _backfill(count: int) -> list[Doc]:
    """An archive of ``count`` different articles, one a day back from the clock."""
    docs = []
    for n in range(count):
        title = " ".join(random.Random(n).sample(WORDS, 7))
        day = np.datetime64("2024-05-31") - np.timedelta64(n, "D")
        docs.append(Doc(id=f"r{n:03d}", url=f"https://o.example/{n}", title=title,
                        language="en", published=f"{day}T10:00:00Z"))
    return docs


def test_a_backfill_over_the_cap_keeps_its_newest_in_memory_and_state(
        new_state: Callable[[], Any], caplog: pytest.LogCaptureFixture) -> None:
    params = DedupParams(window_records=10)
    docs = _backfill(25)  # r000 newest, r024 oldest: one run, so one time entered
    index = StoryIndex(params, new_state(), now=NOW)
    index.assign(docs)
    index.flush()
    with caplog.at_level(logging.WARNING, logger="crawler.dedup.cap"):
        assert index.evict() == 15
    assert len(index) == 10 and "r009" in index and "r010" not in index
    assert "15 records over its cap of 10" in caplog.text
    # The state lost them too: the next run (a day later, within window_days) holds the ten.
    later = StoryIndex(params, new_state(), now=NOW + DAY)
    assert len(later) == 10
    kept, gone = docs[3], docs[20]
    copies = [Doc(id=f"c{d.id}", url=f"https://c.example/{d.id}", title=d.title,
                  language="en", published=d.published) for d in (kept, gone)]
    found = later.assign(copies)
    assert [d.duplicate_of for d in found] == [kept.id, None]


def test_a_state_stored_under_a_larger_cap_is_cut_on_open(
        new_state: Callable[[], Any]) -> None:
    first = StoryIndex(DedupParams(window_records=None), new_state(), now=NOW)
    first.assign(_backfill(12))
    first.flush()
    assert first.evict() == 0 and len(first) == 12
    smaller = StoryIndex(DedupParams(window_records=5), new_state(), now=NOW + DAY)
    assert sorted(smaller._entries) == [f"r{n:03d}" for n in range(5)]
    assert len(StoryIndex(DedupParams(window_records=None), new_state(), now=NOW + DAY)) == 5


def test_the_first_kept_leave_first_then_the_earliest_published_then_the_lowest_id() -> None:
    slots = np.array([7, 3, 5, 9, 1])
    kept = np.array([2.0, 1.0, 1.0, 1.0, 3.0])
    ts = np.array([0.0, 5.0, 4.0, 5.0, 0.0])
    ids: list[str | None] = [None] * 10
    ids[3], ids[9], ids[5], ids[7], ids[1] = "b", "a", "z", "y", "x"
    assert oldest(slots, kept, ts, ids, 1).tolist() == [5]
    assert oldest(slots, kept, ts, ids, 2).tolist() == [5, 9]  # "a" before "b"
    assert sorted(oldest(slots, kept, ts, ids, 4).tolist()) == [3, 5, 7, 9]
    assert oldest(slots, kept, ts, ids, 0).tolist() == []


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ConfigError):
        DedupParams(window_records=0)
