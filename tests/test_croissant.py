"""croissant.json read through real mlcroissant (offline) equals the Parquet files, field by field.

Every record set and every field, nested ones included, is compared row by row with the rows
pyarrow reads from the files of the record set's file set. The field ids are the contract: a
field ``documents/quotes/cue/start`` must yield the ``start`` of the ``cue`` of each quote.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

DATASET = ROOT / "dataset"

# Croissant data types of the Parquet leaf types this project writes.
_LEAF_TYPES = {
    "sc:Text": pa.types.is_string,
    "sc:Integer": pa.types.is_integer,
    "sc:Date": pa.types.is_date32,
    "sc:Boolean": pa.types.is_boolean,
}


def _name(field: dict[str, Any]) -> str:
    return field["@id"].rsplit("/", 1)[1]


def _leaves(fields: list[dict[str, Any]], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for field in fields:
        path = (*prefix, _name(field))
        if "subField" in field:
            yield from _leaves(field["subField"], path)
        else:
            yield path, field


def _parquet_nodes(fields: list[pa.Field] | pa.Schema, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], pa.DataType, bool]]:
    """(path, leaf-or-struct type, repeated) of every column and nested key; a list marks its node repeated."""
    for field in fields:
        path, kind = (*prefix, field.name), field.type
        repeated = pa.types.is_list(kind) or pa.types.is_large_list(kind)
        # A list of lists is one repeated field whose values are the inner lists (Croissant 1.0 has no deeper nesting).
        while pa.types.is_list(kind) or pa.types.is_large_list(kind):
            kind = kind.value_type
        yield path, kind, repeated
        if pa.types.is_struct(kind):
            yield from _parquet_nodes(list(kind), path)


def _croissant_nodes(fields: list[dict[str, Any]], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for field in fields:
        path = (*prefix, _name(field))
        yield path, field
        yield from _croissant_nodes(field.get("subField", []), path)


def _plain(value: Any) -> Any:
    """mlcroissant's value as pyarrow's ``to_pylist`` gives it: sc:Text comes as bytes, sc:Date as a Timestamp."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp of an sc:Date: only a midnight is a date
        moment = value.to_pydatetime()
        return moment.date() if moment.time() == datetime.time() else moment
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _element(record: dict[str, Any], child: dict[str, Any], items: list[dict[str, Any]], i: int) -> Any:
    if "subField" not in child:
        return _plain(items[i][child["@id"]])
    # mlcroissant renders a struct inside each element of a repeated field beside that field,
    # as one list per leaf over the elements; regroup it into element i.
    assert not child.get("repeated"), f"{child['@id']}: no rendering known for a list inside a list of structs"
    block = record[child["@id"]]
    for leaf in child["subField"]:
        assert "subField" not in leaf, f"{leaf['@id']}: no rendering known for structs nested three deep"
    return {_name(leaf): _plain(block[leaf["@id"]][i]) for leaf in child["subField"]}


def _top_value(record: dict[str, Any], field: dict[str, Any]) -> Any:
    if "subField" not in field:
        return _plain(record[field["@id"]])
    value = record[field["@id"]]
    if not field.get("repeated"):
        assert all("subField" not in c for c in field["subField"]), f"{field['@id']}: no rendering known for a struct in a struct"
        return {_name(c): _plain(value[c["@id"]]) for c in field["subField"]}
    if value is None:
        return None
    return [{_name(c): _element(record, c, value, i) for c in field["subField"]} for i in range(len(value))]


def croissant_rows(dataset: Any, record_set: dict[str, Any]) -> list[dict[str, Any]]:
    """The records mlcroissant yields for ``record_set``, shaped as pyarrow's rows of the Parquet files."""
    return [{_name(f): _top_value(record, f) for f in record_set["field"]} for record in dataset.records(record_set["@id"])]


def _null_structs_as_null_members(value: Any, kind: pa.DataType) -> Any:
    """Croissant has no null for a field with subFields: a missing struct reads as every member missing."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return None if value is None else [_null_structs_as_null_members(v, kind.value_type) for v in value]
    if pa.types.is_struct(kind):
        if value is None:
            return {child.name: _null_structs_as_null_members(None, child.type) for child in kind}
        # Lossless only while a present struct has some member set; else the two would read alike.
        assert any(v is not None for v in value.values()), f"a present struct with every member null: {value}"
        return {child.name: _null_structs_as_null_members(value[child.name], child.type) for child in kind}
    return value


def parquet_files(root: Path, doc: dict[str, Any], record_set: dict[str, Any]) -> list[Path]:
    """The Parquet files of the one file set every field of ``record_set`` reads."""
    file_sets = {s["source"]["fileSet"]["@id"] for _, s in _croissant_nodes(record_set["field"])}
    assert len(file_sets) == 1, file_sets
    (file_set,) = (d for d in doc["distribution"] if d["@id"] in file_sets)
    files = sorted({p for pattern in file_set["includes"] for p in root.glob(pattern)})
    assert files, f"{file_set['@id']}: no file matches {file_set['includes']}"
    return files


def parquet_rows(files: list[Path]) -> list[dict[str, Any]]:
    table = pa.concat_tables(pq.read_table(f) for f in files)
    return [{name: _null_structs_as_null_members(row[name], table.schema.field(name).type) for name in row} for row in table.to_pylist()]


def _canonical(row: dict[str, Any]) -> str:
    # JSON tells 1 from True and from 1.0 and from "1", which == on the rows would not.
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=lambda v: f"{type(v).__name__}:{v.isoformat()}")


def assert_fields_cover_the_parquet_schema(record_set: dict[str, Any], schema: pa.Schema) -> None:
    """One field per column and nested key, repeated exactly where Parquet has a list, typed like the leaf."""
    fields = dict(_croissant_nodes(record_set["field"]))
    nodes = {path: (kind, repeated) for path, kind, repeated in _parquet_nodes(schema)}
    assert sorted(fields) == sorted(nodes)
    for path, (kind, repeated) in nodes.items():
        field = fields[path]
        assert bool(field.get("repeated")) == repeated, path
        if not pa.types.is_struct(kind):
            assert _LEAF_TYPES[field["dataType"]](kind), (path, field["dataType"], kind)
        # Every node reads its own column and, below it, the full path of keys; not only the last key.
        source = field["source"]
        assert source["extract"] == {"column": path[0]}, path
        assert source.get("transform", {}).get("jsonPath") == (".".join(path[1:]) or None), path


def assert_record_set_matches_parquet(root: Path, doc: dict[str, Any], dataset: Any, record_set: dict[str, Any]) -> int:
    """Every row of ``record_set`` read by mlcroissant equals one row of its Parquet files; returns the count."""
    files = parquet_files(root, doc, record_set)
    assert_fields_cover_the_parquet_schema(record_set, pq.read_schema(files[0]))
    # Croissant leaves the order of records open: compare the sorted rows, each one whole.
    want = sorted(_canonical(r) for r in parquet_rows(files))
    got = sorted(_canonical(r) for r in croissant_rows(dataset, record_set))
    assert len(got) == len(want), record_set["@id"]
    for g, w in zip(got, want, strict=True):
        assert g == w, record_set["@id"]
    return len(want)


def class_label_names(files: list[Path], column: str) -> list[str]:
    """The ClassLabel names the Parquet footer's Hugging Face features give a list column."""
    import datasets

    feature = datasets.Features.from_arrow_schema(pq.read_schema(files[0]))[column]
    return list(feature.feature.names)


def _doc() -> dict[str, Any]:
    return json.loads((DATASET / "croissant.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def committed() -> Any:
    import mlcroissant as mlc

    return mlc.Dataset(jsonld=str(DATASET / "croissant.json"))


@pytest.mark.parametrize("config", [rs["@id"] for rs in _doc()["recordSet"]])
def test_every_field_of_the_committed_record_set_equals_its_parquet_rows(committed: Any, config: str) -> None:
    doc = _doc()
    record_set = next(rs for rs in doc["recordSet"] if rs["@id"] == config)
    assert assert_record_set_matches_parquet(DATASET, doc, committed, record_set) > 0


def test_every_config_of_the_committed_dataset_has_a_record_set() -> None:
    doc = _doc()
    configs = sorted(p.name for p in (DATASET / "data").iterdir() if any(p.glob("*.parquet")))
    assert sorted(rs["@id"] for rs in doc["recordSet"]) == configs


def test_quote_cues_read_through_mlcroissant_are_the_cues(committed: Any) -> None:
    # The regression itself: each cue is the quote's cue (or absent), never the quote's own span.
    doc = _doc()
    record_set = next(rs for rs in doc["recordSet"] if rs["@id"] == "documents")
    files = parquet_files(DATASET, doc, record_set)
    # Every split's file: the quotes with cues may be in any of them.
    cues = {(r["document_id"], q["id"]): q["cue"] for file in files for r in pq.read_table(file).to_pylist() for q in r["quotes"]}
    assert any(c is not None for c in cues.values())
    for row in croissant_rows(committed, record_set):
        for quote in row["quotes"]:
            want = cues[(row["document_id"], quote["id"])]
            assert quote["cue"] == (want or {"start": None, "end": None, "text": None})
            if want is not None:
                assert (quote["cue"]["start"], quote["cue"]["text"]) != (quote["start"], quote["text"])


def test_ner_tags_are_the_parquet_class_ids_and_the_croissant_names_them(committed: Any) -> None:
    doc = _doc()
    record_set = next(rs for rs in doc["recordSet"] if rs["@id"] == "ner")
    files = parquet_files(DATASET, doc, record_set)
    tags = next(f for f in record_set["field"] if f["@id"] == "ner/ner_tags")
    names = class_label_names(files, "ner_tags")
    assert tags["dataType"] == "sc:Integer"
    assert tags["description"] == "Class id; names in order: " + ", ".join(names)
    ids = {t for r in croissant_rows(committed, record_set) for t in r["ner_tags"]}
    assert ids and all(isinstance(t, int) and 0 <= t < len(names) for t in ids)
    assert len(ids) > 1  # the committed corpus tags more than O


def test_nested_fields_read_the_full_key_path_below_their_column() -> None:
    from datasets import Features, List, Value

    from newsanno.publish.croissant import record_set

    feats = Features({"items": List({"outer": {"inner": {"leaf": Value("int32")}}})})
    (items,) = record_set("documents", feats, "parquet-x")["field"]
    leaf = items["subField"][0]["subField"][0]["subField"][0]
    assert leaf["@id"] == "documents/items/outer/inner/leaf"
    assert leaf["source"]["extract"] == {"column": "items"}
    assert leaf["source"]["transform"] == {"jsonPath": "outer.inner.leaf"}


def test_a_nested_key_that_is_no_plain_jsonpath_key_is_refused() -> None:
    from datasets import Features, List, Value

    from newsanno.publish.croissant import record_set

    with pytest.raises(ValueError, match=r"'a\.b'"):
        record_set("documents", Features({"items": List({"a.b": Value("string")})}), "parquet-x")
