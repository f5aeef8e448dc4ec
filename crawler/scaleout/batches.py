"""The hand-over between crawling workers and the merger: a Redis stream of batches.

A worker appends its whole batch and counts its job done in one MULTI/EXEC: a job killed
before that leaves nothing behind (its source is crawled again by the next round), one that
got there is merged exactly once (the merger deletes the entries in the transaction that
advances the state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.scaleout.keys import Keys

# A finished round's counters stay a week for inspection, then expire.
ROUND_TTL_S = 7 * 24 * 3600


@dataclass(frozen=True)
class Pending:
    """One batch in the stream, with the stream entry id it is deleted by."""

    entry_id: bytes
    round_id: str
    source: str
    data: bytes


def start_round(client: Any, keys: Keys, round_id: str, expected: int) -> None:
    key = keys.round(round_id)
    pipe = client.pipeline(transaction=True)
    pipe.hset(key, mapping={"expected": expected, "done": 0})
    pipe.expire(key, ROUND_TTL_S)
    pipe.execute()


def publish(client: Any, keys: Keys, round_id: str, source: str, data: bytes | None) -> bool:
    """Append a job's batch (None: nothing to hand over) and count the job done; True when
    this was the round's last job."""
    pipe = client.pipeline(transaction=True)
    if data is not None:
        pipe.xadd(keys.batches, {"round": round_id, "source": source, "data": data})
    pipe.hincrby(keys.round(round_id), "done", 1)
    pipe.hget(keys.round(round_id), "expected")
    *_, done, expected = pipe.execute()
    return expected is not None and int(done) >= int(expected)


def pending(client: Any, keys: Keys) -> list[Pending]:
    """Every batch waiting, oldest first (stream order is the order jobs finished)."""
    found = []
    for entry_id, fields in client.xrange(keys.batches):
        found.append(Pending(entry_id, fields[b"round"].decode(), fields[b"source"].decode(),
                             fields[b"data"]))
    return found
