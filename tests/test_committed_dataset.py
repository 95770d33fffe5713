"""The committed dataset/ is current and loads with datasets.load_dataset, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

RAW = ROOT / "raw"
DATASET = ROOT / "dataset"


def raw_annotations() -> dict[str, dict]:
    return {p.name: json.loads((p / "annotations.json").read_text(encoding="utf-8")) for p in sorted(RAW.iterdir()) if p.is_dir()}


def test_committed_dataset_is_what_raw_builds() -> None:
    result = run_cli("build", "--raw", RAW, "--out", DATASET, "--card", ROOT / "CARD.md", "--changelog", ROOT / "CHANGELOG.md", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("config", "layer"), [("mentions", "mentions"), ("quotes", "quotes"), ("claims", "claims")])
def test_span_configs_have_one_row_per_annotation(config: str, layer: str, tmp_path: Path) -> None:
    import datasets

    want = sum(len(a[layer]) for a in raw_annotations().values())
    if want == 0:
        with pytest.raises(ValueError, match=config):
            datasets.load_dataset(str(DATASET), config, cache_dir=str(tmp_path))
        return
    ds = datasets.load_dataset(str(DATASET), config, cache_dir=str(tmp_path))
    assert sum(d.num_rows for d in ds.values()) == want


def test_documents_config_holds_the_raw_annotations(tmp_path: Path) -> None:
    import datasets

    ds = datasets.load_dataset(str(DATASET), cache_dir=str(tmp_path))  # the default config
    rows = {r["document_id"]: r for split in ds.values() for r in split}
    for doc_id, ann in raw_annotations().items():
        assert rows[doc_id]["text"] == (RAW / doc_id / "text.txt").read_text(encoding="utf-8")
        for layer in ("entities", "mentions", "quotes", "claims", "exceptions"):
            assert rows[doc_id][layer] == ann[layer], layer


def test_ner_config_tags_every_named_mention(tmp_path: Path) -> None:
    import datasets

    ds = datasets.load_dataset(str(DATASET), "ner", cache_dir=str(tmp_path))
    names = ds["train"].features["ner_tags"].feature.names
    # Every split: the named mentions of every document, whatever raw/ holds, each begin one tag.
    begins = sum(names[t].startswith("B-") for split in ds.values() for r in split for t in r["ner_tags"])
    assert begins == sum(m["form"] == "NAM" for a in raw_annotations().values() for m in a["mentions"])


def test_card_lists_every_accepted_lint_finding() -> None:
    card = (DATASET / "README.md").read_text(encoding="utf-8")
    reasons = [e["reason"] for a in raw_annotations().values() for e in a["exceptions"]]
    assert all(reason in card for reason in reasons)
