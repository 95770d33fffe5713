"""A semantic diff between two corpus snapshots, and the version bump it requires.

Pure: snapshots in, a structured diff out.  Reading snapshots from git lives in ``revisions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from newsanno import schema

BUMPS: tuple[str, ...] = ("PATCH", "MINOR", "MAJOR")  # in increasing order


@dataclass(frozen=True)
class Snapshot:
    """One revision: documents by id ({"meta": ..., "annotations": ...}), schemas by name, config columns."""

    documents: dict[str, dict[str, Any]]
    schemas: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ItemChange:
    """One annotation changed: matched by id (or, failing that, by span); fields old -> new."""

    old_id: str
    new_id: str
    text: str
    fields: dict[str, tuple[Any, Any]]


@dataclass
class LayerDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class DocumentDiff:
    document_id: str
    metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    layers: dict[str, LayerDiff] = field(default_factory=dict)


@dataclass
class Diff:
    """Everything that changed between two snapshots."""

    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    documents: list[DocumentDiff] = field(default_factory=list)
    label_sets: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # "schema/def" -> added/removed values
    # Label sets that did not exist before (a new field's values): an addition, not a change.
    label_sets_added: dict[str, list[str]] = field(default_factory=dict)
    schema_properties: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # "schema/path" -> added/removed
    configs_added: list[str] = field(default_factory=list)
    configs_removed: list[str] = field(default_factory=list)
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)  # config -> added/removed/changed
    # (document, old split, new split) of every existing document whose split changed: splits are
    # fixed when a document is added (docs/splits.md), so a move breaks every earlier evaluation.
    splits_moved: list[tuple[str, str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Totals for the changelog: documents added/removed and annotations added/removed/changed."""
        totals = {"documents_added": len(self.documents_added), "documents_removed": len(self.documents_removed)}
        for kind in ("added", "removed", "changed"):
            totals[f"annotations_{kind}"] = sum(len(getattr(ld, kind)) for d in self.documents for ld in d.layers.values())
        totals["metadata_changed"] = sum(len(d.metadata) for d in self.documents)
        return totals

    def required_bump(self) -> str | None:
        """MAJOR, MINOR or PATCH by the README's rule; None when nothing changed."""
        if (
            self.documents_removed
            or self.splits_moved
            or self.label_sets
            or self.configs_removed
            or any(p["removed"] for p in self.schema_properties.values())
            or any(c["removed"] or c["changed"] for c in self.columns.values())
        ):
            return "MAJOR"
        counts = self.counts()
        if (
            self.documents_added
            or counts["annotations_added"]
            or self.label_sets_added
            or self.configs_added
            or any(c["added"] for c in self.columns.values())
            or any(p["added"] for p in self.schema_properties.values())
        ):
            return "MINOR"
        if counts["annotations_removed"] or counts["annotations_changed"] or counts["metadata_changed"]:
            return "PATCH"
        return None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts()
        data["required_bump"] = self.required_bump()
        return data


def _key(layer: str, item: dict[str, Any]) -> Any:
    """What matches an annotation whose id changed: its span (entities: their name and type)."""
    if layer == "entities":
        return (item.get("name"), item.get("type"))
    return (item.get("start"), item.get("end"))


def _text(layer: str, item: dict[str, Any]) -> str:
    return str(item.get("name") if layer == "entities" else item.get("text"))


def _fields(old: dict[str, Any], new: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, tuple[Any, Any]]:
    return {k: (old.get(k), new.get(k)) for k in sorted(old.keys() | new.keys()) if k not in skip and old.get(k) != new.get(k)}


def diff_layer(layer: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> LayerDiff:
    """Added, removed and changed annotations of one layer: matched by id first, then by span."""
    result = LayerDiff()
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    for ident in sorted(old_by_id.keys() & new_by_id.keys()):
        changes = _fields(old_by_id[ident], new_by_id[ident])
        if changes:
            result.changed.append(ItemChange(ident, ident, _text(layer, new_by_id[ident]), changes))
    only_new = [new_by_id[i] for i in sorted(new_by_id.keys() - old_by_id.keys())]
    by_span: dict[Any, list[dict[str, Any]]] = {}
    for item in only_new:
        by_span.setdefault(_key(layer, item), []).append(item)
    for ident in sorted(old_by_id.keys() - new_by_id.keys()):
        item = old_by_id[ident]
        candidates = by_span.get(_key(layer, item))
        if candidates:
            twin = candidates.pop(0)
            result.changed.append(ItemChange(ident, twin["id"], _text(layer, twin), _fields(item, twin)))
        else:
            result.removed.append(item)
    result.added = [item for items in by_span.values() for item in items]
    result.added.sort(key=lambda item: item["id"])
    return result


def _label_sets(schema: Any) -> dict[str, set[str]]:
    """Every ``oneOf`` const list in a schema by its JSON pointer."""

    def consts(node: dict[str, Any]) -> set[str] | None:
        options = node.get("oneOf")
        if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
            return {str(o["const"]) for o in options}
        return None

    return _by_pointer(schema, consts)


def _properties(schema: Any) -> dict[str, set[str]]:
    """Property names of every object in a schema by its JSON pointer."""
    return _by_pointer(schema, lambda node: set(node["properties"]) if isinstance(node.get("properties"), dict) else None)


def _by_pointer(schema: Any, pick: Callable[[dict[str, Any]], set[str] | None], prefix: str = "") -> dict[str, set[str]]:
    """What ``pick`` finds in each object of a schema, by the object's JSON pointer (None: nothing there)."""
    found: dict[str, set[str]] = {}
    if isinstance(schema, dict):
        picked = pick(schema)
        if picked is not None:
            found[prefix or "/"] = picked
        for key, value in schema.items():
            found.update(_by_pointer(value, pick, f"{prefix}/{key}"))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found.update(_by_pointer(value, pick, f"{prefix}/{i}"))
    return found


def _set_changes(
    old: dict[str, set[str]], new: dict[str, set[str]], name: str, only: dict[str, set[str]] | None = None
) -> dict[str, dict[str, list[str]]]:
    """Added and removed members per pointer (with ``only``: just the pointers it has)."""
    out: dict[str, dict[str, list[str]]] = {}
    for pointer in sorted(old.keys() | new.keys()):
        if only is not None and pointer not in only:
            continue
        before, after = old.get(pointer, set()), new.get(pointer, set())
        if before != after:
            out[f"{name}{pointer}"] = {"added": sorted(after - before), "removed": sorted(before - after)}
    return out


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """The semantic diff from ``old`` to ``new``."""
    result = Diff(
        documents_added=sorted(new.documents.keys() - old.documents.keys()),
        documents_removed=sorted(old.documents.keys() - new.documents.keys()),
    )
    for doc_id in sorted(old.documents.keys() & new.documents.keys()):
        before, after = old.documents[doc_id], new.documents[doc_id]
        doc = DocumentDiff(doc_id, metadata=_fields(before.get("meta", {}), after.get("meta", {})))
        for layer in schema.LAYERS:
            layer_diff = diff_layer(layer, before.get("annotations", {}).get(layer, []), after.get("annotations", {}).get(layer, []))
            if not layer_diff.empty():
                doc.layers[layer] = layer_diff
        if "split" in doc.metadata:
            result.splits_moved.append((doc_id, *doc.metadata["split"]))
        if doc.metadata or doc.layers:
            result.documents.append(doc)
    for name in sorted(old.schemas.keys() | new.schemas.keys()):
        before, after = old.schemas.get(name, {}), new.schemas.get(name, {})
        old_sets, new_sets = _label_sets(before), _label_sets(after)
        result.label_sets.update(_set_changes(old_sets, new_sets, name, only=old_sets))
        result.label_sets_added.update({f"{name}{k}": sorted(v) for k, v in new_sets.items() if k not in old_sets})
        result.schema_properties.update(_set_changes(_properties(before), _properties(after), name))
    # Columns are only comparable when both revisions had a built card.
    if old.columns and new.columns:
        result.configs_added = sorted(new.columns.keys() - old.columns.keys())
        result.configs_removed = sorted(old.columns.keys() - new.columns.keys())
        for config in sorted(old.columns.keys() & new.columns.keys()):
            before, after = old.columns[config], new.columns[config]
            change = {
                "added": sorted(after.keys() - before.keys()),
                "removed": sorted(before.keys() - after.keys()),
                "changed": sorted(c for c in before.keys() & after.keys() if before[c] != after[c]),
            }
            if any(change.values()):
                result.columns[config] = change
    return result


def render_text(d: Diff) -> str:
    """The human-readable form."""
    lines: list[str] = []
    lines += [f"+ document {doc_id}" for doc_id in d.documents_added]
    lines += [f"- document {doc_id}" for doc_id in d.documents_removed]
    for doc in d.documents:
        lines.append(f"~ document {doc.document_id}")
        for name, (a, b) in doc.metadata.items():
            lines.append(f"    metadata {name}: {a!r} -> {b!r}")
        for layer, ld in doc.layers.items():
            lines += [f"    + {layer} {item['id']}: {_text(layer, item)!r}" for item in ld.added]
            lines += [f"    - {layer} {item['id']}: {_text(layer, item)!r}" for item in ld.removed]
            for ch in ld.changed:
                ident = ch.new_id if ch.old_id == ch.new_id else f"{ch.old_id} -> {ch.new_id}"
                lines.append(f"    ~ {layer} {ident}: {ch.text!r}")
                lines += [f"        {k}: {a!r} -> {b!r}" for k, (a, b) in ch.fields.items()]
    lines += [
        f"! document {doc_id} moved from split {a} to {b}: splits are fixed when a document is added (docs/splits.md)"
        for doc_id, a, b in d.splits_moved
    ]
    for pointer, change in d.label_sets.items():
        lines.append(f"~ label set {pointer}: added {change['added']}, removed {change['removed']}")
    lines += [f"+ label set {pointer}: {values}" for pointer, values in d.label_sets_added.items()]
    for pointer, change in d.schema_properties.items():
        lines.append(f"~ schema properties {pointer}: added {change['added']}, removed {change['removed']}")
    lines += [f"+ config {c}" for c in d.configs_added] + [f"- config {c}" for c in d.configs_removed]
    for config, change in d.columns.items():
        lines.append(f"~ config {config} columns: added {change['added']}, removed {change['removed']}, type changed {change['changed']}")
    counts = d.counts()
    lines.append(
        f"documents: {counts['documents_added']} added, {counts['documents_removed']} removed; "
        f"annotations: {counts['annotations_added']} added, {counts['annotations_removed']} removed, {counts['annotations_changed']} changed; "
        f"metadata fields changed: {counts['metadata_changed']}"
    )
    lines.append(f"required version bump: {d.required_bump() or 'none'}")
    return "\n".join(lines) + "\n"
