"""The dataset folder around the Parquet shards: empty shards that keep ``-of-MMMMM`` true,
the charts, the card (README.md), croissant.json and the SHA256SUMS manifest; and the
comparison of two built folders that ``--check`` and ``release`` report.

The card and croissant.json need ``datasets`` (Features, DatasetInfo), and charts may need
matplotlib: they are imported here only when a folder is written, so planning and checking
documents stay light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsanno.builder import chartcache
from newsanno.builder.pipeline import shard_path
from newsanno.builder.shards import ShardPlan
from newsanno.builder.staging import fingerprint, tree_digests
from newsanno.publish import checksums
from newsanno.publish.stats import CorpusStats


def complete_shards(out: Path, plan: ShardPlan, stats: CorpusStats) -> None:
    """Give every shard of a (config, split) that has rows a file, so ``-of-MMMMM`` is true.

    A shard task writes a config's file only when one of its documents has rows for it.
    """
    from newsanno.builder.parquet import ShardWriter
    from newsanno.rows.configs import NAMES as CONFIGS
    from newsanno.rows.configs import features

    for config in CONFIGS:
        for shard in plan.shards:
            path = shard_path(out, config, shard)
            if stats.rows[config, shard.split] and not path.exists():
                ShardWriter(path, features(config)).close()


def write_metadata(
    out: Path,
    stats: CorpusStats,
    *,
    card_md: str,
    changelog: str,
    version: str,
    cache_dir: Path | None,
    agreement: dict[str, Any] | None = None,
) -> None:
    """Write charts, licences, README.md, croissant.json and, last, SHA256SUMS into a folder whose data/ is complete.

    ``cache_dir`` holds the chart cache (None: always draw).
    """
    from newsanno.publish import charts, croissant, licenses
    from newsanno.publish.card import CardInputs, measure, render
    from newsanno.rows.configs import NAMES as CONFIGS

    fingerprints = {config: fingerprint(out / "data" / config) for config in CONFIGS}
    (out / "charts").mkdir()
    for name, png in chartcache.render_all(stats, cache_dir).items():
        (out / "charts" / name).write_bytes(png)
    shown = {f"charts/{name}": alt for name, alt in charts.CHARTS.items()}
    inputs = CardInputs(
        card_md=card_md,
        version=version,
        stats=stats,
        fingerprints=fingerprints,
        charts=shown,
        sizes=measure(out / "data"),
        agreement=agreement,
    )
    licenses.write(out, stats)
    (out / "README.md").write_text(render(inputs), encoding="utf-8")
    release = croissant.latest_release(changelog)
    doc = croissant.metadata(stats, version, release[1] if release else None)
    (out / "croissant.json").write_text(croissant.dumps(doc), encoding="utf-8")
    # Last: the manifest covers every other file, the card and croissant.json included.
    checksums.write(out)


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two folders (``changed: ``, ``missing: `` or ``extra: `` path)."""
    want, have = tree_digests(expected), tree_digests(actual) if actual.is_dir() else {}
    return sorted(
        [f"changed: {p}" for p in want.keys() & have.keys() if want[p] != have[p]]
        + [f"missing: {p}" for p in want.keys() - have.keys()]
        + [f"extra: {p}" for p in have.keys() - want.keys()]
    )
