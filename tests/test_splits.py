"""The split policy (docs/splits.md): by length band and id hash for a batch, by id hash for a single article."""

from __future__ import annotations

import hashlib
import random

import pytest

from newsanno.corpus import splits


def _hash(doc_id: str) -> str:
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def test_a_batch_of_twenty_holds_out_four_and_four_one_each_per_length_band() -> None:
    # Twenty documents of 10, 20, ... 200 words; the bands by length are the ids 0-4, 5-9, 10-14, 15-19.
    texts = {f"doc-{n:02d}": "word " * (10 * (n + 1)) for n in range(20)}
    plan = splits.plan_batch(texts)
    assert sorted(plan) == sorted(texts)
    assert sorted(plan.values()).count("test") == 4 and sorted(plan.values()).count("validation") == 4
    for band in range(4):
        members = sorted((f"doc-{n:02d}" for n in range(5 * band, 5 * band + 5)), key=_hash)
        assert [plan[m] for m in members] == ["test", "validation", "train", "train", "train"], band


def test_the_plan_does_not_depend_on_input_order_and_breaks_length_ties_by_hash() -> None:
    texts = {f"doc-{n}": "same length text" for n in range(7)}
    shuffled = list(texts.items())
    random.Random(3).shuffle(shuffled)
    assert splits.plan_batch(dict(shuffled)) == splits.plan_batch(texts)
    by_hash = sorted(texts, key=_hash)
    plan = splits.plan_batch(texts)
    # Equal lengths: the first band is the five lowest hashes, the last band the two highest.
    assert [plan[d] for d in by_hash] == ["test", "validation", "train", "train", "train", "test", "validation"]


def test_a_band_too_small_to_train_on_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot hold out"):
        splits.plan_batch({"a": "x"}, band=2)


@pytest.mark.parametrize("doc_id", ["wsws-2024-02-07-zelensky-purge", "wikinews-market-8", "wikinews-market-6", "a", "b", "c"])
def test_a_single_article_takes_its_split_from_its_id(doc_id: str) -> None:
    digit = int(_hash(doc_id)[:8], 16) % 10
    assert splits.split_of_id(doc_id) == {0: "test", 1: "validation"}.get(digit, "train")


def test_id_splits_hold_out_about_a_tenth_each() -> None:
    counts = {"train": 0, "validation": 0, "test": 0}
    for n in range(10_000):
        counts[splits.split_of_id(f"article-{n}")] += 1
    assert 900 < counts["test"] < 1100 and 900 < counts["validation"] < 1100


def test_diff_flags_a_moved_split_as_a_major_change() -> None:
    from newsanno.releases.diff import Snapshot, diff, render_text

    def snap(**splits: str) -> Snapshot:
        return Snapshot({doc_id: {"meta": {"id": doc_id, "split": split}, "annotations": {}} for doc_id, split in splits.items()})

    moved = diff(snap(a="train", b="validation"), snap(a="test", b="validation"))
    assert moved.splits_moved == [("a", "train", "test")] and moved.required_bump() == "MAJOR"
    assert "! document a moved from split train to test: splits are fixed when a document is added" in render_text(moved)
    added = diff(snap(a="train"), snap(a="train", b="test"))  # a new document may go to any split
    assert added.splits_moved == [] and added.required_bump() == "MINOR"
    assert "moved from split" not in render_text(added)
