"""Rows of the window's token-id tables compared for many pairs of records at once.

A table holds one row per window slot and :data:`crawler.dedup.keys.WIDTH` columns (a
title's token ids, or its affix keys), padded with -1. Comparing a batch of pairs is one
(pairs x columns x columns) equality array, not a Python loop over token sets: a headline
gets dozens of LSH candidates in a busy window (see :mod:`crawler.dedup.window`).
"""

from __future__ import annotations

import numpy as np

from crawler.dedup.keys import WIDTH


def width_of(counts: np.ndarray, mine: np.ndarray, theirs: np.ndarray) -> int:
    """The columns worth comparing for these pairs: those the longest title token set among
    them fills (``counts``: each slot's number of title tokens; padding, -1, never meets
    padding)."""
    return int(min(WIDTH, max(counts[mine].max(initial=0), counts[theirs].max(initial=0))))


def rows_of(table: np.ndarray, mine: np.ndarray, theirs: np.ndarray, at: int, width: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``mine`` and rows ``theirs`` of ``table``, ``width`` columns from ``at``; the
    padding of the second made -2, so that padding never meets padding."""
    # The rows first, then the columns: take() of a view of some columns would first copy
    # the whole table into one contiguous array (~12 ms a call at a million slots,
    # measured; the cost grew with the window).
    a = np.take(table, mine, axis=0)[:, at:at + width]
    b = np.take(table, theirs, axis=0)[:, at:at + width]
    b[b < 0] = -2
    return a, b


def entries_met(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(pairs x columns x columns): where an entry of ``a``'s row equals one of ``b``'s."""
    meets: np.ndarray = a[:, :, None] == b[:, None, :]
    return meets


def equal_counts(table: np.ndarray, counts: np.ndarray, mine: np.ndarray, theirs: np.ndarray,
                 dtype: type[np.integer], *, at: int = 0) -> np.ndarray:
    """For each pair, how many (column, column) entries of rows ``mine`` and ``theirs`` of
    ``table`` are equal, of the WIDTH columns from ``at`` (see :func:`rows_of`)."""
    meets = entries_met(*rows_of(table, mine, theirs, at, width_of(counts, mine, theirs)))
    # Counting in bytes spares a widening to int64: ~2x faster.
    equal: np.ndarray = meets.view(np.uint8).sum(axis=(1, 2), dtype=dtype)
    return equal
