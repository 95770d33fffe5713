"""Deterministic Parquet files: the same rows always give the same bytes.

Every writer option that affects the output is pinned here rather than left to
pyarrow's defaults, which may change between releases (pyarrow itself is pinned exactly
because it writes its version into each file's footer).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

# Re-exported for the writer's callers; it lives in shards.py so that planning needs no pyarrow.
from newsanno.shards import shard_name as shard_name

ROW_GROUP_ROWS = 10_000

WRITER_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "data_page_size": 1024 * 1024,
    "write_page_index": False,
    "store_schema": True,
    "use_compliant_nested_type": True,
}


class ShardWriter:
    """Writes row batches to one Parquet file in row groups, never holding all rows.

    The arrow schema (with the ``huggingface`` Features metadata that ``datasets`` reads)
    comes from the config's Features, so types never depend on the rows' Python types.
    """

    def __init__(self, path: Path, features: Features) -> None:
        self.schema = features.arrow_schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(path, self.schema, **WRITER_OPTIONS)
        self._pending: list[dict[str, Any]] = []
        self.rows = 0

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Queue rows; full row groups are flushed as they fill."""
        self._pending.extend(rows)
        while len(self._pending) >= ROW_GROUP_ROWS:
            self._flush(self._pending[:ROW_GROUP_ROWS])
            self._pending = self._pending[ROW_GROUP_ROWS:]

    def _flush(self, rows: list[dict[str, Any]]) -> None:
        self._writer.write_table(pa.Table.from_pylist(rows, schema=self.schema), row_group_size=ROW_GROUP_ROWS)
        self.rows += len(rows)

    def close(self) -> None:
        """Write the last row group and the footer.

        A file without rows gets no row group at all (an empty row group makes readers
        compute a batch size of zero), but still carries the schema.
        """
        if self._pending:
            self._flush(self._pending)
            self._pending = []
        self._writer.close()

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
