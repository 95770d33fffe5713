"""How suggest and adjudicate grow with their input: each timed at n, 2n and 4n (issue 22, class 5).

``python benchmarks/scaling.py [--base 10000]``

Prints, per operation and size, the wall time (best of three) and the ratio to the size before
it: about 2 for a near-linear operation, about 4 for a quadratic one.  ``suggest`` gets a text of
``n`` numbers and dates (every one a pattern match); ``adjudicate`` two annotations of ``n``
mentions each, a quarter of B's shifted by a character or in another entity, every
disagreement decided, merged.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsanno.contribute import suggest
from newsanno.review import adjudicate, adjudication_merge


def numbers_text(n: int) -> str:
    return "".join(f"In {1900 + i % 100} some {i:,} people paid ${i} million. " for i in range(n // 3)) + "\n"


def side(n: int, seed: int, noise: float) -> dict[str, Any]:
    rnd = random.Random(seed)
    mentions = []
    for i in range(n):
        start = i * 10 + (1 if rnd.random() < noise else 0)
        entity = f"E{i // 3 + (1 if rnd.random() < noise else 0)}"
        mentions.append(
            {"id": f"M{i}", "entity_id": entity, "start": start, "end": start + 5, "text": "xxxxx", "label": "PERSON", "form": "NAM"}
        )
    entities = [{"id": e, "name": e, "type": "PERSON", "wikidata": None} for e in sorted({m["entity_id"] for m in mentions})]
    return {"document_id": "d", "entities": entities, "mentions": mentions, "quotes": [], "claims": [], "exceptions": []}


def run_suggest(n: int) -> Callable[[], object]:
    text = numbers_text(n)
    return lambda: suggest.suggest("d", text, {})


def run_adjudicate(n: int) -> Callable[[], object]:
    a, b = side(n, 1, 0.0), side(n, 2, 0.25)

    def go() -> object:
        record, _ = adjudicate.update_record(adjudicate.new_record("d", "a", "b"), adjudicate.disagreements(a, b))  # type: ignore[arg-type]
        for item in record["items"]:
            item.update(decision="keep_b", reason="r")
        return adjudication_merge.merge(a, b, record)  # type: ignore[arg-type]

    return go


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=10_000, help="the smallest size n (default: 10000)")
    args = parser.parse_args()
    print(f"{'operation':<11} {'n':>7} {'seconds':>8} {'ratio':>6}")
    for name, make in (("suggest", run_suggest), ("adjudicate", run_adjudicate)):
        last = None
        for n in (args.base, 2 * args.base, 4 * args.base):
            seconds = best(make(n))
            ratio = f"{seconds / last:.2f}" if last else ""
            print(f"{name:<11} {n:>7} {seconds:>8.2f} {ratio:>6}")
            last = seconds


if __name__ == "__main__":
    main()
