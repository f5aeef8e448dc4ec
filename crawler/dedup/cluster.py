"""Union-find over record ids: verified pairs in, connected components out."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    """Disjoint sets with path halving and union by size.

    >>> sets = UnionFind(["a", "b", "c"])
    >>> sets.union("a", "b")
    >>> sorted(map(sorted, sets.components()))
    [['a', 'b'], ['c']]
    """

    def __init__(self, items: Iterable[K] = ()) -> None:
        self._parent: dict[K, K] = {}
        self._size: dict[K, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: K) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: K) -> K:
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: K, b: K) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size[root_b]

    def components(self) -> list[list[K]]:
        """The sets, each in insertion order, ordered by their first item's insertion."""
        groups: dict[K, list[K]] = {}
        for item in self._parent:
            groups.setdefault(self.find(item), []).append(item)
        return list(groups.values())
