"""Deterministic Parquet files: the same rows always give the same bytes.

Every writer option that affects the output is pinned here rather than left to
pyarrow's defaults, which may change between releases (pyarrow itself is pinned exactly
because it writes its version into each file's footer).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from datasets import Features

ROW_GROUP_ROWS = 10_000
# Rows wait as Python objects until they hold about this many values (a list-valued field
# counts each item), then become Arrow: few enough to bound memory (a ``documents`` row
# carries every annotation of its document), many enough to amortize the conversion.
CONVERT_VALUES = 20_000

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
    """Writes row batches to one Parquet file in row groups of :data:`ROW_GROUP_ROWS`, never holding all rows.

    Rows are turned into Arrow in batches of about :data:`CONVERT_VALUES` values (rows as
    Python dicts take many times the memory of their Arrow form), and full row groups are
    written as they fill.  Row-group boundaries depend only on the row count, never on how
    the rows were batched, so any engine gives the same bytes.

    The arrow schema (with the ``huggingface`` Features metadata that ``datasets`` reads)
    comes from the config's Features, so types never depend on the rows' Python types.
    """

    def __init__(self, path: Path, features: Features) -> None:
        self.schema = features.arrow_schema
        # Only list-valued columns make a row weigh more than one value; knowing them up front
        # keeps the count cheap for the flat configs.
        self._list_columns = [f.name for f in self.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)]
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(path, self.schema, **WRITER_OPTIONS)
        self._rows: list[dict[str, Any]] = []
        self._values = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Queue rows; full row groups are flushed as they fill."""
        self._rows.extend(rows)
        self._values += len(rows) + sum(len(row[name] or ()) for name in self._list_columns for row in rows)
        if self._values >= CONVERT_VALUES:
            self._convert()

    def _convert(self) -> None:
        if not self._rows:
            return
        self._pending.append(pa.Table.from_pylist(self._rows, schema=self.schema))
        self._pending_rows += len(self._rows)
        self._rows, self._values = [], 0
        if self._pending_rows >= ROW_GROUP_ROWS:
            # One contiguous table: chunk boundaries could otherwise move page boundaries.
            table = pa.concat_tables(self._pending).combine_chunks()
            full = self._pending_rows - self._pending_rows % ROW_GROUP_ROWS
            for start in range(0, full, ROW_GROUP_ROWS):
                self._flush(table.slice(start, ROW_GROUP_ROWS))
            rest = table.slice(full)
            self._pending = [rest] if rest.num_rows else []
            self._pending_rows = rest.num_rows

    def _flush(self, table: pa.Table) -> None:
        self._writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.rows += table.num_rows

    def close(self) -> None:
        """Write the last row group and the footer.

        A file without rows gets no row group at all (an empty row group makes readers
        compute a batch size of zero), but still carries the schema.
        """
        self._convert()
        if self._pending:
            self._flush(pa.concat_tables(self._pending).combine_chunks())
            self._pending = []
            self._pending_rows = 0
        self._writer.close()

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
