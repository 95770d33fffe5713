"""End-to-end: raw fixture corpus -> dataset/ -> real datasets.load_dataset."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from conftest import FIXTURES, ROOT, build, dump

CONFIGS = ["documents", "mentions", "quotes", "claims", "ner", "coref", "claim_sentences", "attribution"]


def load(path: Path, config: str, cache: Path):
    import datasets

    return datasets.load_dataset(str(path), config, cache_dir=str(cache))


def expected(kind: str) -> dict[str, list[dict]]:
    """Annotations of the fixtures per document, straight from the builders."""
    return {doc_id: make().annotations()[kind] for doc_id, (make, _) in FIXTURES.items()}


def test_layout_has_every_config_and_split(built: Path) -> None:
    files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.parquet"))
    assert files == sorted(
        f"data/{c}/{s}-00000-of-00001.parquet"
        for c in CONFIGS
        for s in ("train", "validation", "test")
        if not (c == "claims" and s == "test")
    )
    assert (built / "README.md").is_file()


def test_documents_config(built: Path, tmp_path: Path) -> None:
    ds = load(built, "documents", tmp_path / "cache")
    assert set(ds) == {"train", "validation", "test"}
    row = ds["train"][0]
    assert row["document_id"] == "alpha"
    assert row["published"].isoformat() == "2024-03-01"
    assert ds["train"].features["published"].dtype == "date32"
    assert row["mentions"] == expected("mentions")["alpha"]
    assert row["quotes"] == expected("quotes")["alpha"]
    assert row["text"] == FIXTURES["alpha"][0]().text
    assert row["claims"] == expected("claims")["alpha"]


def test_mentions_config_rows_sorted_with_entity_names(built: Path, tmp_path: Path) -> None:
    ds = load(built, "mentions", tmp_path / "cache")["train"]
    want = sorted(expected("mentions")["alpha"], key=lambda m: (m["start"], m["end"], m["id"]))
    assert ds["mention_id"] == [m["id"] for m in want]
    names = {e["id"]: e["name"] for e in expected("entities")["alpha"]}
    assert ds["entity_name"] == [names[m["entity_id"]] for m in want]
    assert ds.features["start"].dtype == "int32"


def test_quotes_config_flattens_speaker_and_cue(built: Path, tmp_path: Path) -> None:
    ds = load(built, "quotes", tmp_path / "cache")
    q1 = ds["train"][0]
    assert (q1["quote_id"], q1["speaker_name"], q1["cue_text"]) == ("Q1", "Maria Lopez", "said")
    scare = ds["validation"][0]
    assert (scare["kind"], scare["speaker_entity_id"], scare["cue_text"], scare["cue_start"]) == ("scare", None, None, None)


def test_claims_config_author_is_default_claimant(built: Path, tmp_path: Path) -> None:
    ds = load(built, "claims", tmp_path / "cache")["train"]
    by_id = {r["claim_id"]: r for r in ds}
    assert by_id["C1"]["claimant_name"] == "Maria Lopez"
    assert by_id["C2"]["claimant_entity_id"] is None
    assert by_id["C2"]["claimant_name"] == "Jane Reporter"


def test_ner_config_tags_and_offsets(built: Path, tmp_path: Path) -> None:
    ds = load(built, "ner", tmp_path / "cache")
    names = ds["train"].features["ner_tags"].feature.names
    types = [opt["const"] for opt in json.loads((ROOT / "schema/annotations.schema.json").read_text())["$defs"]["label"]["oneOf"]]
    assert names == ["O"] + [f"{p}-{t}" for t in types for p in "BI"]
    assert len(names) == 37
    text = FIXTURES["alpha"][0]().text
    rows = list(ds["train"])
    # A paragraph break ends a sentence; whitespace tokens are dropped.
    assert [r["sentence_id"] for r in rows] == list(range(len(rows)))
    assert all(t.strip() for r in rows for t in r["tokens"])
    assert all(text[a:b] == t for r in rows for t, a, b in zip(r["tokens"], r["token_starts"], r["token_ends"], strict=True))
    tagged = [(t, names[g]) for r in rows for t, g in zip(r["tokens"], r["ner_tags"], strict=True) if names[g] != "O"]
    assert tagged[:3] == [("Maria", "B-PERSON"), ("Lopez", "I-PERSON"), ("Springfield", "B-GPE")]
    # NOM and PRO mentions never become tags.
    assert ("she", "B-PERSON") not in tagged and ("mayor", "I-PERSON") not in tagged
    assert ("Tribune", "I-ORG") in tagged


def test_round_trip_raw_parquet_raw(built: Path, corpus: Path) -> None:
    """The documents config carries the annotations losslessly: rewriting them gives the same bytes."""
    table = pq.read_table(built / "data/documents/train-00000-of-00001.parquet")
    for row in table.to_pylist():
        lists = [k for k in json.loads((ROOT / "schema/annotations.schema.json").read_text())["properties"] if k != "document_id"]
        layers = {k: row[k] for k in lists}
        rebuilt = dump({"document_id": row["document_id"], **layers})
        assert rebuilt == (corpus / row["document_id"] / "annotations.json").read_text(encoding="utf-8")


def test_build_is_deterministic(corpus: Path, card: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert build(corpus, a, card).returncode == 0
    assert build(corpus, b, card).returncode == 0
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a.keys() == files_b.keys() and len(files_a) > 10
    assert files_a == files_b


def test_check_detects_stale_output(built: Path, corpus: Path, card: Path) -> None:
    ok = build(corpus, built, card, "--check")
    assert ok.returncode == 0, ok.stderr
    ann = corpus / "gamma/annotations.json"
    data = json.loads(ann.read_text())
    data["entities"][0]["name"] = "Paris, France"
    ann.write_text(dump(data))
    stale = build(corpus, built, card, "--check")
    assert stale.returncode == 1
    assert "changed: data/documents/test-00000-of-00001.parquet" in stale.stderr
    assert "changed: data/mentions/test-00000-of-00001.parquet" in stale.stderr


def test_rebuild_is_visible_to_next_load_in_new_process(built: Path, corpus: Path, card: Path, tmp_path: Path) -> None:
    """The known pitfall: a local folder rebuilt in place must not be served from a stale cache."""
    cache = tmp_path / "shared-cache"
    script = (
        "import datasets, sys; print(list(datasets.load_dataset(sys.argv[1], 'mentions', cache_dir=sys.argv[2])['test']['entity_name']))"
    )

    def names() -> str:
        out = subprocess.run([sys.executable, "-c", script, str(built), str(cache)], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert names() == "['Officials in Paris', 'Paris']"
    ann = corpus / "gamma/annotations.json"
    data = json.loads(ann.read_text())
    data["entities"][0]["name"] = "Paris, France"
    ann.write_text(dump(data))
    assert build(corpus, built, card).returncode == 0
    assert names() == "['Officials in Paris', 'Paris, France']"


def test_card_metadata_matches_files(built: Path) -> None:
    import yaml

    text = (built / "README.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert configs["documents"].get("default") is True
    assert meta["license"] == "other" and meta["license_name"]
    for name, config in configs.items():
        for data_files in config["data_files"]:
            assert list(built.glob(data_files["path"])), (name, data_files)
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    assert set(infos) == set(CONFIGS)
    ner_names = next(f for f in infos["ner"]["features"] if f["name"] == "ner_tags")["list"]["class_label"]["names"]
    assert ner_names["0"] == "O" and len(ner_names) == 37
    assert "Prose of the maintainers." in text
    # Per split (train, validation, test: one fixture document each), then in total.
    persons = {FIXTURES[doc_id][1]: sum(m["label"] == "PERSON" for m in ms) for doc_id, ms in expected("mentions").items()}
    assert persons["validation"] > 0  # the held-out documents are counted too
    splits = (persons["train"], persons["validation"], persons["test"])
    assert f"| PERSON | {' | '.join(map(str, splits))} | {sum(splits)} |" in text
    assert "| LAW | 0 | 0 | 0 | 0 |" in text  # every label is listed, zeros included
    assert "|  | train | validation | test | total |" in text and "| documents | 1 | 1 | 1 | 3 |" in text
