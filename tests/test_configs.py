"""The table of configs (``newsanno.rows.configs``) is the one list: the build, the card, Croissant and diff follow it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from conftest import ROOT, alpha, span, write_document
from datasets import Features

from newsanno import schema
from newsanno.releases.diff import Snapshot, diff
from newsanno.rows import configs
from newsanno.tokens import tokenize
from newsanno.validate import load_document

DATASET = ROOT / "dataset"


def _front_matter(card: Path) -> dict:
    text = card.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)])


def test_every_config_has_features_rows_and_a_description() -> None:
    assert len(set(configs.NAMES)) == len(configs.CONFIGS) > 0
    assert [c.name for c in configs.CONFIGS if c.default] == [configs.DEFAULT]
    for config in configs.CONFIGS:
        assert config.description.strip() and config.description.endswith(".")
        made = config.features()
        assert isinstance(made, Features) and "document_id" in made
        assert callable(config.rows)
        assert configs.spec(config.name) is config
    with pytest.raises(KeyError, match="expected one of documents"):
        configs.spec("no-such-config")


def test_the_table_is_importable_without_datasets() -> None:
    probe = (
        "import sys\nfrom newsanno.rows import configs\n"
        "assert 'datasets' not in sys.modules and 'pyarrow' not in sys.modules\n"
        "configs.CONFIGS[0].features()\nassert 'datasets' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_build_rows_gives_every_config_and_check_rows_the_same_problems(tmp_path: Path) -> None:
    good = alpha()
    folder = write_document(tmp_path / "raw", good, "train")
    doc, problems = load_document(folder)
    assert doc is not None and not problems
    tokens = tokenize(doc.text)
    built, refused = configs.build_rows(doc, tokens)
    assert list(built) == list(configs.NAMES) and refused == []
    assert all(built[name] for name in configs.NAMES)  # alpha has rows in every config
    assert configs.check_rows(doc, tokens) == []

    # A named mention that ends inside a token cannot become BIO tags: no config gets the document.
    bad = alpha()
    bad.doc_id = "alpha-bad"
    name = next(m for m in bad.mentions if m["form"] == "NAM")
    name["end"] -= 1
    name["text"] = name["text"][:-1]
    doc, problems = load_document(write_document(tmp_path / "raw", bad, "train"))
    assert doc is not None and not problems
    tokens = tokenize(doc.text)
    built, refused = configs.build_rows(doc, tokens)
    assert built == {}
    assert [p.code for p in refused] == ["ner.misaligned"]
    assert configs.check_rows(doc, tokens) == refused


def test_card_and_parquet_files_follow_the_table() -> None:
    """The committed dataset: its card lists the table's configs in table order, and each has its Features."""
    on_disk = {p.name for p in (DATASET / "data").iterdir()}
    assert on_disk <= set(configs.NAMES)
    front = _front_matter(DATASET / "README.md")
    listed = [entry["config_name"] for entry in front["configs"]]
    assert listed == [name for name in configs.NAMES if name in on_disk]
    for entry in front["configs"]:
        config = configs.spec(entry["config_name"])
        assert entry["description"].startswith(config.description + " Data sha256: ")
        assert entry.get("default", False) is config.default
        files = sorted((DATASET / "data" / config.name).glob("*.parquet"))
        assert files
        for file in files:
            assert Features.from_arrow_schema(pq.read_schema(file)) == config.features(), file
    # datasets' serializer sorts dataset_info by name; the table decides which entries there are.
    assert sorted(info["config_name"] for info in front["dataset_info"]) == sorted(listed)
    croissant = json.loads((DATASET / "croissant.json").read_text(encoding="utf-8"))
    assert [(r["name"], r["description"]) for r in croissant["recordSet"]] == [(n, configs.spec(n).description) for n in listed]


def _snapshot(annotations: dict) -> Snapshot:
    return Snapshot({"doc": {"meta": {}, "annotations": annotations}})


def test_diff_compares_exactly_the_schema_layers() -> None:
    before = alpha().annotations()
    after = json.loads(json.dumps(before))
    for name in schema.ANNOTATION_LISTS:
        items = after[name]
        if items:
            items.append({**items[0], "id": f"{items[0].get('id', 'x')}-new"})
        else:
            items.append({"id": "new", **span(alpha().text, "Monday")})
    changed = diff(_snapshot(before), _snapshot(after))
    [doc] = changed.documents
    assert list(doc.layers) == list(schema.LAYERS)
    assert all(len(layer.added) == 1 for layer in doc.layers.values())
