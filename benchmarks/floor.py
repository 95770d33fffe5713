"""The floor: parse the JSON and write the same tables with ``pyarrow.parquet.write_table``; no checks.

``python benchmarks/floor.py RAW OUT CACHE``: ner rows come from the filled token cache
(it must have been filled by a build first); every row is held in memory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsanno import rows  # noqa: E402
from newsanno.model import Document  # noqa: E402
from newsanno.rows import configs  # noqa: E402
from newsanno.rows.configs import features  # noqa: E402
from newsanno.tokencache import TokenCache, decode  # noqa: E402


def main(raw: Path, out: Path, cache_dir: Path) -> None:
    cache = TokenCache(cache_dir)
    tables: dict[tuple[str, str], list[rows.Row]] = {}
    for folder in sorted(raw.iterdir()):
        meta = orjson.loads((folder / "document.json").read_bytes())
        ann = orjson.loads((folder / "annotations.json").read_bytes())
        text = (folder / "text.txt").read_bytes().decode("utf-8")
        doc = Document(meta=meta, text=text, annotations=ann, origin=str(folder))
        tok = decode(cache.path(text).read_bytes(), len(text))
        assert tok is not None, "fill the token cache first (run a build)"
        per_config, _ = configs.build_rows(doc, tok)
        for config, found in per_config.items():
            tables.setdefault((config, meta["split"]), []).extend(found)
    for (config, split), found in sorted(tables.items()):
        if found:
            path = out / "data" / config / f"{split}-00000-of-00001.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(found, schema=features(config).arrow_schema), path)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
