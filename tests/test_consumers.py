"""What consumers of the published dataset rely on: OntoNotes' ner label ids, and every config
under every ``with_format`` a trainer uses (numpy, pandas, arrow, torch), read with the real
``datasets.load_dataset`` from a real build of the fixture corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from newsanno import schema
from newsanno.rows import configs
from newsanno.rows.configs import features

# The named_entities ClassLabel of the Hugging Face dataset conll2012_ontonotesv5 (english_v4), as
# its published feature listing gives it: written out here, not derived, so the test can fail.
ONTONOTES = [
    "O", "B-PERSON", "I-PERSON", "B-NORP", "I-NORP", "B-FAC", "I-FAC", "B-ORG", "I-ORG", "B-GPE", "I-GPE",
    "B-LOC", "I-LOC", "B-PRODUCT", "I-PRODUCT", "B-DATE", "I-DATE", "B-TIME", "I-TIME", "B-PERCENT", "I-PERCENT",
    "B-MONEY", "I-MONEY", "B-QUANTITY", "I-QUANTITY", "B-ORDINAL", "I-ORDINAL", "B-CARDINAL", "I-CARDINAL",
    "B-EVENT", "I-EVENT", "B-WORK_OF_ART", "I-WORK_OF_ART", "B-LAW", "I-LAW", "B-LANGUAGE", "I-LANGUAGE",
]  # fmt: skip


def _load(dataset: Path, config: str, cache: Path) -> Any:
    import datasets

    return datasets.load_dataset(str(dataset), config, cache_dir=str(cache))


def test_ner_ids_are_conll2012_ontonotesv5_ids(pristine: Path, tmp_path: Path) -> None:
    assert list(features("ner")["ner_tags"].feature.names) == ONTONOTES
    data = json.loads((ROOT / "schema" / "ner_tags.json").read_text(encoding="utf-8"))
    assert data["source"]["dataset"] == "conll2012_ontonotesv5" and data["source"]["config"] == "english_v4"
    loaded = _load(pristine / "dataset", "ner", tmp_path)
    split = loaded["train"]
    assert split.features["ner_tags"].feature.names == ONTONOTES
    # alpha's "Springfield" (GPE) and "Maria Lopez" (PERSON) carry OntoNotes' ids 9 and 1, 2.
    row = next(r for r in split if "Springfield" in r["tokens"])
    tags = dict(zip(row["tokens"], row["ner_tags"], strict=True))
    assert tags["Springfield"] == 9 and (tags["Maria"], tags["Lopez"]) == (1, 2)


def test_ner_tags_data_must_match_the_entity_types() -> None:
    assert set(schema.NER_TAGS) == {"O", *(f"{p}-{t}" for t in schema.ENTITY_TYPES for p in "BI")}


@pytest.mark.parametrize("fmt", ["numpy", "pandas", "arrow", "torch"])
@pytest.mark.parametrize("config", configs.NAMES)
def test_every_config_reads_under_every_format(pristine: Path, tmp_path: Path, config: str, fmt: str) -> None:
    if fmt == "torch":
        pytest.importorskip("torch", reason="torch (the dev extras: torch==2.13.0) reads the torch format")
    loaded = _load(pristine / "dataset", config, tmp_path)
    for name, split in loaded.items():
        plain = split[:]
        formatted = split.with_format(fmt)
        whole = formatted[:]
        first = formatted[0]
        assert first is not None and len(split) > 0, (config, name)
        if fmt == "pandas":
            assert list(whole.columns) == list(split.column_names) and len(whole) == len(split)
        elif fmt == "arrow":
            assert whole.num_rows == len(split) and whole.column_names == split.column_names
        else:
            assert set(whole) == set(split.column_names)
        # Every value reads back as the plain rows hold it (the formats convert, they never lose a field).
        for column in split.column_names:
            values = whole[column] if fmt != "arrow" else whole.column(column).to_pylist()
            assert len(values) == len(plain[column]), (config, column)
