"""The near-duplicate window's cap: at most ``DedupParams.window_records`` records held.

The window keeps a record ``window_days`` from the run that stored it (crawler.dedup.index),
so one run's backfill of a site's archive stays in memory, and in the state, that long
whatever its size: 10 years of a busy site are millions of records. Past the cap the records
that entered the window first leave first (then the earliest published, then the lowest id:
the same ones whatever their slots), so a backfill's oldest articles go before the day's
news; each time, one warning says how many and from when.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

logger = logging.getLogger(__name__)


def oldest(slots: np.ndarray, kept: np.ndarray, ts: np.ndarray, ids: Sequence[str | None],
           count: int) -> np.ndarray:
    """Of ``slots`` (entered the window at ``kept``, published at ``ts``), the ``count``
    that leave a full window first: by ``(kept, ts, id)``."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if count >= len(slots):
        return slots
    order = np.lexsort((ts, kept))
    cut_kept, cut_ts = kept[order[count - 1]], ts[order[count - 1]]
    before = (kept < cut_kept) | ((kept == cut_kept) & (ts < cut_ts))
    # Records tied with the last one at the cut: the lowest ids of them.
    tied = sorted(slots[(kept == cut_kept) & (ts == cut_ts)].tolist(), key=lambda s: ids[s])
    chosen = np.concatenate([slots[before], tied[:count - int(before.sum())]])
    return chosen.astype(np.int64)


def log_capped(count: int, cap: int, kept_from: float) -> None:
    """The warning of a cap that let ``count`` records go, the latest kept at ``kept_from``."""
    kept = datetime.fromtimestamp(kept_from, UTC).strftime("%Y-%m-%d %H:%M")
    logger.warning("near-duplicate window full: %d records over its cap of %d left it early"
                   " (kept from %s UTC or before); a copy of them is no longer found"
                   " (DedupParams.window_records, docs/operations.md)", count, cap, kept)
