"""Disjoint sets (union-find): the one grouping algorithm behind coreference chains.

Used wherever links between items become groups: chains from a converter's coreference links
(:mod:`newsanno.convert.assemble`), and the components and merged clusters of adjudication
(:mod:`newsanno.review.adjudicate`, :mod:`newsanno.review.adjudication_merge`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    """Sets of items joined by :meth:`union`; each set's representative is its earliest item.

    "Earliest" is the order the items were first given in, so the representative does not
    depend on the order of the unions (callers use it as a chain's root or first mention).
    """

    def __init__(self, items: Iterable[T]) -> None:
        self._parent: dict[T, T] = {}
        self._order: dict[T, int] = {}
        for item in items:
            if item not in self._parent:
                self._parent[item] = item
                self._order[item] = len(self._order)

    def find(self, item: T) -> T:
        """The representative of ``item``'s set."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]  # path halving keeps long chains cheap
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, other = (ra, rb) if self._order[ra] < self._order[rb] else (rb, ra)
            self._parent[other] = first

    def groups(self) -> list[list[T]]:
        """Every set, its items and the sets in the order the items were given."""
        out: dict[T, list[T]] = {}
        for item in self._parent:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())
