"""The build: raw corpus -> validated documents -> rows per config -> the dataset folder.

``newsanno.builder`` owns everything between ``raw/`` and ``dataset/``:

- :mod:`~newsanno.builder.shards`: the shard plan (which Parquet file each document's rows go to);
- :mod:`~newsanno.builder.pipeline`: one document -> problems and rows; one shard task -> its files;
- :mod:`~newsanno.builder.engines`: running the tasks here, in a process pool or on Dask;
- :mod:`~newsanno.builder.parquet`: deterministic Parquet files;
- :mod:`~newsanno.builder.writers` and :mod:`~newsanno.builder.chartcache`: charts, card,
  croissant.json, SHA256SUMS;
- :mod:`~newsanno.builder.staging`: the atomic swap of the output folder and tree digests;
- :mod:`~newsanno.builder.dataset`: the entry points, exported here.

Usage::

    from newsanno.builder import BuildOptions, build_dataset
    result = build_dataset(Path("raw"), Path("dataset"), card=Path("CARD.md").read_text())
    if not result.ok: ...  # result.problems; dataset/ is unchanged

The exports are loaded on first use: ``validate`` and ``lint`` import the pipeline from this
package and must not pay for the writers' imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsanno.builder.dataset import BuildOptions, BuildResult, CheckResult, build_dataset, check_dataset
    from newsanno.builder.engines import RunOptions

_EXPORTS = {
    "BuildOptions": "dataset",
    "BuildResult": "dataset",
    "CheckResult": "dataset",
    "build_dataset": "dataset",
    "check_dataset": "dataset",
    "RunOptions": "engines",
}
__all__ = ["BuildOptions", "BuildResult", "CheckResult", "RunOptions", "build_dataset", "check_dataset"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"newsanno.builder.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'newsanno.builder' has no attribute {name!r}")
