"""The build: raw corpus -> validated documents -> rows per config -> the dataset folder.

``newsanno.build`` owns everything between ``raw/`` and ``dataset/``:

- :mod:`~newsanno.build.shards`: the shard plan (which Parquet file each document's rows go to);
- :mod:`~newsanno.build.pipeline`: one document -> problems and rows; one shard task -> its files;
- :mod:`~newsanno.build.engines`: running the tasks here, in a process pool or on Dask;
- :mod:`~newsanno.build.parquet`: deterministic Parquet files;
- :mod:`~newsanno.build.writers` and :mod:`~newsanno.build.chartcache`: charts, card,
  croissant.json, SHA256SUMS;
- :mod:`~newsanno.build.staging`: the atomic swap of the output folder and tree digests;
- :mod:`~newsanno.build.dataset`: the entry points, exported here.

Usage::

    from newsanno.build import BuildOptions, build_dataset
    result = build_dataset(Path("raw"), Path("dataset"), card=Path("CARD.md").read_text())
    if not result.ok: ...  # result.problems; dataset/ is unchanged

The exports are loaded on first use: ``validate`` and ``lint`` import the pipeline from this
package and must not pay for the writers' imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsanno.build.dataset import BuildOptions, BuildResult, CheckResult, build_dataset, check_dataset
    from newsanno.build.engines import RunOptions

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
        return getattr(importlib.import_module(f"newsanno.build.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'newsanno.build' has no attribute {name!r}")
