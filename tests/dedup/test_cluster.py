"""Union-find."""

from __future__ import annotations

from crawler.dedup.cluster import UnionFind


def test_union_joins_transitively() -> None:
    sets = UnionFind(["a", "b", "c", "d"])
    sets.union("a", "b")
    sets.union("c", "b")
    assert sets.find("a") == sets.find("c")
    assert sorted(map(sorted, sets.components())) == [["a", "b", "c"], ["d"]]


def test_components_keep_insertion_order() -> None:
    sets = UnionFind(["x", "y", "z"])
    sets.union("z", "x")
    assert sets.components() == [["x", "z"], ["y"]]
