"""``dataset/croissant.json``: Croissant 1.0 metadata (JSON-LD) for every config's Parquet files.

A pure function of the Features, the corpus statistics, the version and the release date, so
the build stays byte-for-byte deterministic: the date comes from CHANGELOG.md, never the clock.
"""

from __future__ import annotations

import json
import re
from typing import Any

from datasets import ClassLabel, Features, List, Value

from newsanno.publish.card import BIBTEX, PRETTY_NAME, data_files_glob
from newsanno.publish.stats import CorpusStats
from newsanno.rows import configs
from newsanno.rows.configs import NAMES as CONFIGS
from newsanno.rows.configs import features

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET = "application/x-parquet"
DESCRIPTION = "Hand-annotated news articles: entities with coreference, quotations with speakers and cues, and check-worthy claims."

CITE_AS = BIBTEX  # the card's Citation section, word for word

# The Croissant 1.0 JSON-LD context, as the specification gives it.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# ``datasets`` Value dtypes -> Croissant/schema.org data types.
_DATA_TYPES = {
    "string": "sc:Text",
    "large_string": "sc:Text",
    "int8": "sc:Integer",
    "int16": "sc:Integer",
    "int32": "sc:Integer",
    "int64": "sc:Integer",
    "float32": "sc:Float",
    "float64": "sc:Float",
    "bool": "sc:Boolean",
    "date32": "sc:Date",
}

_RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def latest_release(changelog: str) -> tuple[str, str] | None:
    """(version, date) of the first released ``## [X.Y.Z] - YYYY-MM-DD`` heading of a Keep a Changelog file."""
    match = _RELEASE_HEADING.search(changelog)
    return (match.group(1), match.group(2)) if match else None


def _data_type(feature: Any) -> str:
    if isinstance(feature, ClassLabel):
        return "sc:Text"  # read back as the label name's integer id in Parquet; described by its names
    if isinstance(feature, Value):
        return _DATA_TYPES[feature.dtype]
    raise TypeError(f"no Croissant data type for {feature!r}")


_JSON_PATH_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _json_path(keys: list[str]) -> str:
    """The JSONPath of nested struct ``keys`` below a column: ``cue.start``."""
    for key in keys:
        # Bare keys only: every schema field name is one, and quoting rules differ between JSONPath engines.
        if not _JSON_PATH_KEY.match(key):
            raise ValueError(f"croissant: nested field name {key!r} is not a plain JSONPath key")
    return ".".join(keys)


def _field(record_set: str, path: list[str], feature: Any, file_set: str) -> dict[str, Any]:
    """One Croissant field for a (possibly nested) feature; lists become ``repeated``."""
    field_id = "/".join([record_set, *path])
    node: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": field_id}
    repeated = isinstance(feature, List)
    inner = feature.feature if repeated else feature
    depth = 1
    while isinstance(inner, List):
        # Croissant 1.0 has no list of lists: the field is repeated, its values are the inner lists.
        inner, depth = inner.feature, depth + 1
    if depth > 1:
        node["description"] = f"Lists nested {depth} deep, each value a list of the inner level."
    if isinstance(inner, ClassLabel):
        node["dataType"] = "sc:Integer"
        node["description"] = " ".join(
            [*([node["description"]] if depth > 1 else []), "Class id; names in order: " + ", ".join(inner.names)]
        )
    if isinstance(inner, dict):
        node["subField"] = [_field(record_set, [*path, name], child, file_set) for name, child in inner.items()]
    else:
        node.setdefault("dataType", _data_type(inner))
    node["source"] = {"fileSet": {"@id": file_set}, "extract": {"column": path[0]}}
    if len(path) > 1:
        # The whole path below the column, never only its last key: ``quotes/cue/start`` is
        # ``cue.start`` of each quote struct (mlcroissant applies it to each element of a list
        # column), while a bare ``start`` would read the quote's own start.
        node["source"]["transform"] = {"jsonPath": _json_path(path[1:])}
    if repeated:
        node["repeated"] = True
    return node


def record_set(config: str, feats: Features, file_set: str) -> dict[str, Any]:
    """The RecordSet of one config: one field per column, typed from its Features."""
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": configs.spec(config).description,
        "field": [_field(config, [name], feature, file_set) for name, feature in feats.items()],
    }


def metadata(stats: CorpusStats, version: str, date_published: str | None, feats: dict[str, Features] | None = None) -> dict[str, Any]:
    """The whole Croissant document for a build with ``stats``; configs without rows are left out."""
    feats = feats if feats is not None else {config: features(config) for config in CONFIGS}
    distribution: list[dict[str, Any]] = []
    record_sets: list[dict[str, Any]] = []
    for config in CONFIGS:
        splits = stats.config_splits(config)
        if not splits:
            continue
        file_set = f"parquet-{config}"
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": file_set,
                "name": file_set,
                "description": f"Parquet files of the {config} config, one or more shards per split.",
                "encodingFormat": PARQUET,
                "includes": [data_files_glob(config, split) for split in splits],
            }
        )
        record_sets.append(record_set(config, feats[config], file_set))
    licences = sorted(stats.annotation_licences)
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "newsanno",
        "alternateName": PRETTY_NAME,
        "description": DESCRIPTION,
        "conformsTo": CONFORMS_TO,
        "version": version,
        # The rights differ between layers; a bare SPDX id here would claim the texts are open.
        "license": f"Annotations: {', '.join(licences)}. Article texts: copyright of their publishers, "
        "redistributed for non-commercial research; no licence to the texts is granted.",
        "citeAs": CITE_AS,
        "inLanguage": sorted(stats.languages),
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if date_published is not None:
        doc["datePublished"] = date_published
    return doc


def dumps(doc: dict[str, Any]) -> str:
    """Stable text form: key order as built, two-space indent, trailing newline."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
