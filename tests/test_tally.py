"""The spilling name tally gives exactly what a Counter gives, whatever it spilled."""

from __future__ import annotations

import pickle
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newsanno.publish.tally import Tally

# Names with the characters that could break a run file: tabs, line breaks, quotes, non-ASCII.
NAMES = st.lists(st.sampled_from(["Ana", "Ana ", "B\tC", "line\nbreak", 'quo"te', "Zoë", "\\", "", "ana", "Émile"]), max_size=60)


def _top(counter: Counter[str], k: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(NAMES, max_size=12), limit=st.integers(1, 6), k=st.integers(1, 12))
def test_tally_matches_counter_across_spills_merges_and_pickling(parts: list[list[str]], limit: int, k: int) -> None:
    whole = Tally(limit=limit)
    want: Counter[str] = Counter()
    for names in parts:
        part = Tally(limit=limit)
        part.update(names)
        whole.merge(pickle.loads(pickle.dumps(part)) if len(names) % 2 else part)
        want.update(names)
    assert whole.most_common(k) == _top(want, k)
    assert len(whole) == len(want)
    assert whole.total() == sum(want.values())
    assert pickle.loads(pickle.dumps(whole)).most_common(k) == _top(want, k)


def test_tally_spills_to_disk_past_its_limit() -> None:
    tally = Tally(limit=100)
    tally.update(f"name {i}" for i in range(1000))
    tally.update(["name 7"] * 5)
    assert len(tally._counts) <= 100, "the in-memory part must stay bounded"
    assert tally.most_common(2) == [("name 7", 6), ("name 0", 1)]
