"""The shard plan: which Parquet shard of its split each document's rows go to.

The plan is fixed before any document is processed, from the sorted document list and a
maximum number of documents per shard, so every engine (serial, process pool, Dask)
writes the same files with the same bytes.  Shard ``k`` of a split holds that split's
documents ``k*max .. (k+1)*max - 1`` in id order; the split comes from ``document.json``.

Every config uses the same plan, so ``-of-MMMMM`` is the split's shard count in every
config.  A config that has no rows at all in a split gets no files for it (readers reject
empty splits, and the card lists only splits with rows); a config that has rows gets all
``MMMMM`` shards, some possibly without rows (schema only), so the names stay honest.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from newsanno import corpus, schema

DEFAULT_MAX_DOCS_PER_SHARD = 1000


def shard_name(split: str, index: int, count: int) -> str:
    """File name of one shard, in the Hugging Face Hub's convention."""
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def read_split(folder: Path) -> str | None:
    """The split named in a folder's document.json, or None when it cannot be read.

    A document whose split is unreadable is left out of the plan; validation reports it
    and the build fails, so it never needs a shard.
    """
    try:
        meta = json.loads((folder / corpus.DOCUMENT).read_bytes())
    except (OSError, ValueError):
        return None
    split = meta.get("split") if isinstance(meta, dict) else None
    return split if split in schema.SPLITS else None


@dataclass(frozen=True)
class Shard:
    """One partition of the corpus: documents of one split that share an output file per config.

    Documents are kept as names under ``root`` (paths are made on demand): a plan of a
    large corpus then costs a few dozen bytes per document.
    """

    split: str
    index: int
    count: int
    root: Path
    names: tuple[str, ...]

    @property
    def folders(self) -> tuple[Path, ...]:
        """The shard's document folders, in id order."""
        return tuple(self.root / name for name in self.names)

    def file_name(self) -> str:
        return shard_name(self.split, self.index, self.count)


@dataclass
class ShardPlan:
    """Shards in output order (split order, then shard index)."""

    shards: list[Shard] = field(default_factory=list)
    unplanned: list[Path] = field(default_factory=list)  # folders without a readable split

    def count(self, split: str) -> int:
        """Number of shards of a split."""
        return next((s.count for s in self.shards if s.split == split), 0)


def plan(folders: list[Path], max_docs_per_shard: int = DEFAULT_MAX_DOCS_PER_SHARD) -> ShardPlan:
    """The shard plan of the document folders, all children of one corpus folder."""
    if max_docs_per_shard < 1:
        raise ValueError("max_docs_per_shard must be at least 1")
    if len({folder.parent for folder in folders}) > 1:
        raise ValueError("the document folders of a plan must share one corpus folder")
    by_split: dict[str, list[Path]] = {split: [] for split in schema.SPLITS}
    result = ShardPlan()
    for folder in sorted(folders, key=lambda p: p.name):
        split = read_split(folder)
        if split is None:
            result.unplanned.append(folder)
        else:
            by_split[split].append(folder)
    for split, members in by_split.items():
        count = math.ceil(len(members) / max_docs_per_shard)
        for index in range(count):
            part = members[index * max_docs_per_shard : (index + 1) * max_docs_per_shard]
            result.shards.append(Shard(split, index, count, part[0].parent, tuple(folder.name for folder in part)))
    return result
