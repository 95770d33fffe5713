"""The one union-find: representatives are the earliest item, whatever order the unions come in."""

from __future__ import annotations

import random

from newsanno.disjoint import DisjointSets


def naive_groups(items: list[int], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Groups by repeated relabelling (obviously right, quadratic)."""
    label = {i: i for i in items}
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            low = min(label[a], label[b], key=items.index)
            for x in (a, b):
                if label[x] != low:
                    old = label[x]
                    for k, v in label.items():
                        if v == old:
                            label[k] = low
                    changed = True
    out: dict[int, list[int]] = {}
    for i in items:
        out.setdefault(label[i], []).append(i)
    return list(out.values())


def test_groups_and_roots_match_a_naive_closure_in_any_union_order() -> None:
    rng = random.Random(7)
    for _ in range(300):
        items = rng.sample(range(100), rng.randint(1, 30))
        pairs = [(rng.choice(items), rng.choice(items)) for _ in range(rng.randint(0, 25))]
        ds = DisjointSets(items)
        for a, b in pairs:
            ds.union(a, b)
        want = naive_groups(items, pairs)
        assert ds.groups() == want
        for group in want:
            assert {ds.find(x) for x in group} == {group[0]}  # the earliest item represents its set
        shuffled = DisjointSets(items)
        for a, b in rng.sample(pairs, len(pairs)):
            shuffled.union(b, a)
        assert shuffled.groups() == want


def test_duplicates_keep_their_first_position() -> None:
    ds = DisjointSets(["b", "a", "b", "c"])
    ds.union("c", "a")
    assert ds.groups() == [["b"], ["a", "c"]]
    assert ds.find("c") == "a"
