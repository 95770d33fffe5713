"""Exact counts of an open-ended set of names (speakers, claimants) in bounded memory.

A news corpus keeps meeting new names, so a plain ``Counter`` of them grows with the corpus
(about 20 new names per synthetic document: some 150 MB at 50,000 documents).  A
:class:`Tally` counts in memory up to ``limit`` distinct names, then writes its counts to
disk as a run sorted by name and starts afresh; :meth:`Tally.most_common` merges the runs
as streams, so the answer is exact and memory stays ``O(limit + k + runs)``.
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

DEFAULT_LIMIT = 100_000


def _read_run(run: IO[bytes]) -> Iterator[tuple[str, int]]:
    run.seek(0)
    for line in run:
        name, count = orjson.loads(line)
        yield name, count


class Tally:
    """A counter of names that spills sorted runs to anonymous temporary files past ``limit`` names."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._counts: Counter[str] = Counter()
        self._runs: list[IO[bytes]] = []

    def update(self, names: Iterable[str]) -> None:
        """Count each name once per occurrence."""
        self._counts.update(names)
        if len(self._counts) > self.limit:
            self._spill()

    def merge(self, other: Tally) -> None:
        """Add another tally's counts (from another part of the corpus)."""
        self._counts.update(other._counts)
        self._runs.extend(other._runs)
        other._runs = []
        if len(self._counts) > self.limit:
            self._spill()

    def _spill(self) -> None:
        # One JSON array per line: JSON escapes any line break inside a name.
        run = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (kept open until the tally is read; deleted on close)
        run.writelines(orjson.dumps(item) + b"\n" for item in sorted(self._counts.items()))
        self._runs.append(run)
        self._counts = Counter()

    def _totals(self) -> Iterator[tuple[str, int]]:
        """Every name with its total count, in name order."""
        streams = [_read_run(run) for run in self._runs] + [iter(sorted(self._counts.items()))]
        for name, group in itertools.groupby(heapq.merge(*streams), key=lambda item: item[0]):
            yield name, sum(count for _, count in group)

    def most_common(self, k: int) -> list[tuple[str, int]]:
        """The ``k`` most frequent names with their counts, ties broken by name."""
        return heapq.nsmallest(k, self._totals(), key=lambda item: (-item[1], item[0]))

    def total(self) -> int:
        """The number of occurrences counted."""
        return sum(count for _, count in self._totals())

    def __len__(self) -> int:
        """The number of distinct names."""
        return sum(1 for _ in self._totals())

    def __getstate__(self) -> dict[str, Any]:
        # Open files do not pickle (a worker sends its tally to the parent): send the counts.
        return {"limit": self.limit, "counts": Counter(dict(self._totals()))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.limit = state["limit"]
        self._counts = state["counts"]
        self._runs = []
