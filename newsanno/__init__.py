"""newsanno: hand-annotated news articles as a validated, deterministic Hugging Face dataset.

The package is laid out by stage, as data flows (docs/architecture.md): ``corpus`` (raw
folders, source profiles) -> ``validate`` (the document model, lint) -> ``rows`` (rows per
config) -> ``builder`` (the dataset folder) with ``publish`` (card, Croissant, charts, checksums,
licences); beside them ``review``, ``contribute``, ``convert`` and ``releases``, and ``cli`` on top.

The two entry points for Python are loaded on first use, so ``import newsanno`` stays free:
``newsanno.build_dataset`` (:func:`newsanno.builder.build_dataset`) builds the dataset folder and
``newsanno.load_document`` (:func:`newsanno.validate.load_document`) validates one document folder.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_dataset", "load_document"]


def __getattr__(name: str) -> Any:
    if name == "build_dataset":
        from newsanno.builder import build_dataset

        return build_dataset
    if name == "load_document":
        from newsanno.validate import load_document

        return load_document
    raise AttributeError(f"module 'newsanno' has no attribute {name!r}")
