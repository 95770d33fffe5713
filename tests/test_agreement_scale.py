"""Agreement stays exact and near-linear at 10,000 annotations per side.

The scalable scorers (sorted sweeps, sparse assignment) are checked against the textbook
definitions (all pairs, a dense Hungarian assignment) on random inputs, and against figures
worked out by hand on a 10,000-mention worst case for the assignment.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from newsanno.review import agreement as ag

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=25)


def _naive_hits(xs: list[ag.Span], ys: list[ag.Span]) -> int:
    return sum(any(x[0] < y[1] and y[0] < x[1] for y in ys) for x in xs)


@settings(max_examples=200, deadline=None)
@given(spans, spans)
def test_overlap_prf_matches_all_pairs(a: list[ag.Span], b: list[ag.Span]) -> None:
    sa, sb = sorted(set(a)), sorted(set(b))
    got = ag.overlap_prf(a, b)
    if sa and sb:
        assert got["precision"] == _naive_hits(sb, sa) / len(sb)
        assert got["recall"] == _naive_hits(sa, sb) / len(sa)


def _random_partition(mentions: list[ag.Span], rng: random.Random) -> ag.Clusters:
    groups: dict[int, set[ag.Span]] = {}
    for m in mentions:
        groups.setdefault(rng.randrange(max(1, len(mentions) // 2)), set()).add(m)
    return [frozenset(g) for g in groups.values()]


def _dense_ceaf(key: ag.Clusters, response: ag.Clusters) -> float:
    sim = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    rows, cols = linear_sum_assignment(sim, maximize=True)
    return float(sum(sim[i][j] for i, j in zip(rows, cols, strict=True)))


def _naive_b3_recall(key: ag.Clusters, response: ag.Clusters) -> float:
    return sum(len(k & r) ** 2 / len(k) for k in key for r in response) / sum(len(k) for k in key)


@pytest.mark.parametrize("seed", range(40))
def test_coreference_scores_match_the_dense_definitions(seed: int) -> None:
    rng = random.Random(seed)
    universe = [(i, i + 1) for i in range(rng.randrange(1, 40))]
    # Each side annotates most mentions, not all: missing mentions are part of what is scored.
    key = _random_partition([m for m in universe if rng.random() < 0.85] or universe[:1], rng)
    response = _random_partition([m for m in universe if rng.random() < 0.85] or universe[-1:], rng)
    got = ag.coreference(key, response)
    best = _dense_ceaf(key, response)
    assert got["ceaf_e"]["precision"] == pytest.approx(best / len(response))
    assert got["ceaf_e"]["recall"] == pytest.approx(best / len(key))
    assert got["b_cubed"]["recall"] == pytest.approx(_naive_b3_recall(key, response))
    assert got["b_cubed"]["precision"] == pytest.approx(_naive_b3_recall(response, key))


def test_ceaf_on_a_10000_mention_chain() -> None:
    """A's clusters {0,1},{2,3},... and B's {1,2},{3,4},... plus singletons {0} and {9999}
    form one connected chain of 10,001 clusters: a dense matrix would hold 25 million cells.

    By hand: the optimum leaves one inner B pair unmatched so that both ends take the
    singletons (2/3 each) and the other 4,998 A pairs match a B pair (1/2 each).
    """
    n = 10_000
    key = [frozenset({(i, i + 1), (i + 1, i + 2)}) for i in range(0, n, 2)]
    response = [frozenset({(0, 1)}), frozenset({(n - 1, n)})]
    response += [frozenset({(i, i + 1), (i + 1, i + 2)}) for i in range(1, n - 1, 2)]
    best = 4_998 * 0.5 + 2 * (2 / 3)
    got = ag.ceaf_e(key, response)
    assert got["precision"] == pytest.approx(best / len(response))
    assert got["recall"] == pytest.approx(best / len(key))


def _annotations(n: int, shift: int, rng: random.Random) -> dict[str, Any]:
    """n mentions in chains of up to 4, n/10 quotes and claims; ``shift`` moves every 7th mention."""
    mentions = []
    for i in range(n):
        start = 10 * i + (shift if i % 7 == 0 else 0)
        mentions.append(
            {"id": f"M{i + 1}", "entity_id": f"E{i // 4 + 1}", "start": start, "end": start + 5, "label": rng.choice(["PERSON", "ORG"])}
        )
    quotes = [
        {
            "id": f"Q{i + 1}",
            "start": 100 * i,
            "end": 100 * i + 50,
            "kind": "direct",
            "speaker_entity_id": f"E{i + 1}",
            "speaker_mention_id": None,
        }
        for i in range(n // 10)
    ]
    claims = [
        {
            "id": f"C{i + 1}",
            "start": 100 * i,
            "end": 100 * i + 40,
            "checkworthiness": "CFS",
            "claimant_entity_id": None,
            "claimant_mention_id": f"M{i + 1}",
        }
        for i in range(n // 10)
    ]
    return {"mentions": mentions, "quotes": quotes, "claims": claims}


def test_agreement_of_two_10000_mention_files() -> None:
    rng = random.Random(7)
    a, b = _annotations(10_000, 0, rng), _annotations(10_000, 3, rng)
    report = ag.agreement(a, b)  # type: ignore[arg-type]
    moved = len(range(0, 10_000, 7))
    exact = report["mentions"]["exact"]
    assert exact["precision"] == pytest.approx((10_000 - moved) / 10_000)
    # A moved span still overlaps its old place (shift 3 < length 5).
    assert report["mentions"]["overlap"]["f1"] == 1.0
    assert report["quotes"]["speaker_agreement"] == 1.0
    assert report["claims"]["claimant_agreement"] < 1.0  # claimant M1 of B is a moved span
    assert report["coreference"]["conll_f1"] is not None
