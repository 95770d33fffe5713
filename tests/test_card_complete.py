"""The card of the committed dataset is complete and true: licences, sizes, citation and runnable snippets.

Read with the tools its users use: huggingface_hub's card parser, ``datasets.load_dataset``
offline, PyYAML for ``CITATION.cff``; the training snippets are cut out of the generated card
and run against the built folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from conftest import ROOT

from newsanno import schema
from newsanno.publish import licenses
from newsanno.publish.card import BIBTEX, measure
from newsanno.rows import configs, usage

DATASET = ROOT / "dataset"
CARD = DATASET / "README.md"


@pytest.fixture(scope="module")
def card_data() -> dict:
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(CARD)
    return card.data.to_dict()


def test_the_hub_card_parser_reads_the_licence_link_and_the_licence_files_exist(card_data: dict) -> None:
    assert card_data["license"] == "other" and card_data["license_name"]
    link = card_data["license_link"]
    assert link == licenses.NOTICE and (DATASET / link).is_file()
    notice = (DATASET / link).read_text(encoding="utf-8")
    # Every document's own rights statement is listed with it.
    for folder in sorted((ROOT / "raw").iterdir()):
        meta = yaml.safe_load((folder / "document.json").read_text(encoding="utf-8"))
        assert f"> `{meta['rights']['text']}`" in notice and meta["rights"]["notice"] in notice
        assert f"- `{meta['id']}`" in notice
        legal = licenses.legal_code_name(meta["rights"]["annotations"])
        assert f"]({legal})" in notice and (DATASET / legal).is_file()
    legal_code = (DATASET / "LICENSE-CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert legal_code.startswith("Creative Commons Attribution 4.0 International")
    assert "Section 1 \u2013 Definitions." in legal_code and "Section 8 \u2013 Interpretation." in legal_code
    assert legal_code == licenses.legal_code("CC-BY-4.0")
    # The manifest covers the licence files like every other file.
    sums = (DATASET / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  LICENSE.md\n" in sums and "  LICENSE-CC-BY-4.0.txt\n" in sums


def test_dataset_info_has_the_splits_and_sizes_the_hub_writes(card_data: dict, tmp_path: Path) -> None:
    from datasets import load_dataset

    infos = {info["config_name"]: info for info in card_data["dataset_info"]}
    assert sorted(infos) == sorted(configs.NAMES)
    measured = measure(DATASET / "data")
    for name, info in infos.items():
        files = sorted((DATASET / "data" / name).glob("*.parquet"))
        rows = {f.name.split("-", 1)[0]: pq.ParquetFile(f).metadata.num_rows for f in files}
        assert {s["name"]: s["num_examples"] for s in info["splits"]} == rows
        assert {s["name"]: s["num_bytes"] for s in info["splits"]} == measured[name].split_bytes
        assert info["dataset_size"] == sum(s["num_bytes"] for s in info["splits"])
        assert info["download_size"] == sum(f.stat().st_size for f in files)
    # What datasets itself records when it loads a one-shard split.
    loaded = load_dataset(str(DATASET), "ner", cache_dir=str(tmp_path))
    assert sorted(loaded) == sorted(s["name"] for s in infos["ner"]["splits"])  # every split, however many the corpus has
    for split in infos["ner"]["splits"]:
        assert loaded[split["name"]].info.splits[split["name"]].num_bytes == split["num_bytes"]
    assert measure(DATASET / "data") == measured  # deterministic


@pytest.mark.parametrize("config", configs.NAMES)
def test_every_config_loads_offline_with_its_declared_features(config: str, tmp_path: Path) -> None:
    from datasets import load_dataset

    loaded = load_dataset(str(DATASET), config, cache_dir=str(tmp_path))
    declared = configs.spec(config).features()
    for split in loaded.values():
        assert split.features == declared
        assert len(split) > 0
    row_counts = {name: len(split) for name, split in loaded.items()}
    assert sum(row_counts.values()) == sum(pq.ParquetFile(f).metadata.num_rows for f in (DATASET / "data" / config).glob("*.parquet"))


def _snippets(card: Path = CARD) -> dict[str, str]:
    text = card.read_text(encoding="utf-8")
    section = text[text.index("## How to use for training") :]
    section = section[: section.index("\n## ", 1)]
    return dict(re.findall(r"### `(\w+)`\n\n```python\n(.*?)```", section, flags=re.S))


def test_the_card_has_one_training_snippet_per_config() -> None:
    snippets = _snippets()
    assert list(snippets) == list(configs.NAMES)
    for name, code in snippets.items():
        assert f'load_dataset("{usage.PLACEHOLDER}", "{name}"' in code


def test_the_snippets_learn_on_train_and_score_on_validation(pristine: Path) -> None:
    for name, code in _snippets(pristine / "dataset" / "README.md").items():
        assert f'load_dataset("{usage.PLACEHOLDER}", "{name}")' in code, name  # every split, not train alone
        assert '"train"' in code and '"validation"' in code and '"test"' not in code, name
        assert "assert " in code, name


@pytest.mark.parametrize("config", configs.NAMES)
def test_each_training_snippet_runs_against_a_built_folder_with_every_split(
    config: str, pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fixture corpus has a document in each split, so the snippets run whatever raw/ holds."""
    import datasets

    # The snippets name no cache: keep theirs out of the user's.
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", str(tmp_path / "cache"))
    dataset = pristine / "dataset"
    code = _snippets(dataset / "README.md")[config].replace(usage.PLACEHOLDER, str(dataset))
    exec(compile(code, f"<card snippet {config}>", "exec"), {"__name__": f"snippet_{config}"})
    assert capsys.readouterr().out.strip()  # each reports what it measured


def test_citation_cff_parses_and_agrees_with_the_card() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # The keys CFF 1.2.0 requires (cffconvert, the reference validator, pins jsonschema<4, which this project cannot install).
    assert cff["cff-version"] == "1.2.0"
    assert {"cff-version", "message", "title", "authors"} <= cff.keys()
    assert cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])
    assert cff["type"] in ("dataset", "software")
    title = re.search(r"title\s*=\s*\{(.*)\},", BIBTEX)
    assert title is not None and title.group(1) == cff["title"]
    assert cff["authors"][0]["name"] in BIBTEX
    text = CARD.read_text(encoding="utf-8")
    assert "## Citation\n" in text and f"```bibtex\n{BIBTEX}\n```" in text


def test_label_sets_of_the_new_configs_come_from_the_schema(card_data: dict) -> None:
    infos = {info["config_name"]: info for info in card_data["dataset_info"]}
    label = next(f for f in infos["claim_sentences"]["features"] if f["name"] == "label")
    assert list(label["dtype"]["class_label"]["names"].values()) == list(schema.SENTENCE_CLASSES)
    tags = next(f for f in infos["attribution"]["features"] if f["name"] == "tags")
    assert list(tags["list"]["list"]["class_label"]["names"].values()) == list(schema.ATTRIBUTION_TAGS)
    assert set(schema.CHECKWORTHINESS) < set(schema.SENTENCE_CLASSES)
