"""Rows of token-id tables compared for many pairs at once."""

from __future__ import annotations

import numpy as np

from crawler.dedup.keys import WIDTH
from crawler.dedup.tablerows import entries_met, equal_counts, rows_of, width_of


def _table(*rows: list[int]) -> np.ndarray:
    table = np.full((len(rows), WIDTH), -1, dtype=np.int32)
    for n, row in enumerate(rows):
        table[n, :len(row)] = row
    return table


def test_equal_counts_are_the_shared_ids_and_padding_never_meets_padding() -> None:
    table = _table([1, 2, 3], [3, 2, 9], [7], [])
    counts = np.array([3, 3, 1, 0])
    mine, theirs = np.array([0, 0, 2, 3]), np.array([1, 2, 3, 3])
    assert equal_counts(table, counts, mine, theirs, np.uint8).tolist() == [2, 0, 0, 0]


def test_width_is_the_longest_set_among_the_pairs() -> None:
    counts = np.array([2, 5, 1, WIDTH + 4])
    assert width_of(counts, np.array([0]), np.array([2])) == 2
    assert width_of(counts, np.array([0, 1]), np.array([2, 2])) == 5
    assert width_of(counts, np.array([3]), np.array([0])) == WIDTH


def test_rows_of_takes_columns_from_at_and_marks_the_second_sides_padding() -> None:
    table = _table([1, 2], [2])
    a, b = rows_of(table, np.array([0]), np.array([1]), 0, 2)
    assert a.tolist() == [[1, 2]] and b.tolist() == [[2, -2]]
    assert entries_met(a, b)[0].tolist() == [[False, False], [True, False]]
