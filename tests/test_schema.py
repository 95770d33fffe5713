"""schema/ is the single source of truth: the package derives its label sets and Features from it."""

from __future__ import annotations

import json

import jsonschema
from conftest import ROOT

from newsanno import schema
from newsanno.rows.configs import features
from newsanno.rows.features import NER_TAGS


def raw_schema(name: str) -> dict:
    return json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_schemas_are_valid_draft_2020_12() -> None:
    for name in ("document", "annotations"):
        s = raw_schema(name)
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema" and s["$id"]
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["additionalProperties"] is False


def test_label_sets_come_from_the_schema() -> None:
    labels = raw_schema("annotations")["$defs"]["label"]["oneOf"]
    assert len(labels) == 18
    assert tuple(o["const"] for o in labels) == schema.ENTITY_TYPES
    assert all(o["description"] for o in labels)
    assert NER_TAGS[0] == "O" and len(NER_TAGS) == 1 + 2 * len(labels)
    assert schema.SPLITS == ("train", "validation", "test")


def test_documents_features_mirror_annotation_fields() -> None:
    s = raw_schema("annotations")
    docs = features("documents")
    for layer, ref in (("entities", "entity"), ("mentions", "mention"), ("quotes", "quote"), ("claims", "claim")):
        assert list(docs[layer].feature) == list(s["$defs"][ref]["properties"]), layer
    assert list(docs["quotes"].feature["cue"]) == ["start", "end", "text"]


# The only optional fields: added after the seed was committed, and absent from it so that its
# bytes stay the same (absent profile means wsws; absent overrides means none).
OPTIONAL = {"document": {"profile", "overrides"}, "annotations": set()}


def test_every_object_lists_all_its_properties_as_required() -> None:
    """Canonical files write every field (null when unknown), so nothing is optional but the listed additions."""
    for name in ("document", "annotations"):
        s = raw_schema(name)
        nodes = [s, *s.get("$defs", {}).values()]
        for node in nodes:
            if "properties" in node:
                optional = OPTIONAL[name] if node is s else set()
                assert sorted(node["required"]) == sorted(set(node["properties"]) - optional), node.get("title", node.get("description"))
        assert all(s["properties"][field]["description"].startswith("Optional:") for field in OPTIONAL[name])


def test_profiles_are_valid_against_their_schema() -> None:
    s = raw_schema("profile")
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema" and s["$id"]
    jsonschema.Draft202012Validator.check_schema(s)
    assert sorted(s["required"]) == sorted(s["properties"])
    names = sorted(p.stem for p in (ROOT / "schema" / "profiles").glob("*.json"))
    assert {"plain", "wsws"} <= set(names)
    for name in names:
        profile = json.loads((ROOT / "schema" / "profiles" / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(s).validate(profile)
        assert profile["name"] == name
