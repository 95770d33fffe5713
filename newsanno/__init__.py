"""newsanno: hand-annotated news articles as a validated, deterministic Hugging Face dataset.

``newsanno.build_dataset`` (:func:`newsanno.build.build_dataset`) builds the dataset folder
from Python; it is loaded on first use, so ``import newsanno`` stays free.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_dataset"]


def __getattr__(name: str) -> Any:
    if name == "build_dataset":
        from newsanno.build import build_dataset

        return build_dataset
    raise AttributeError(f"module 'newsanno' has no attribute {name!r}")
