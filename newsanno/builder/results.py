"""A content-addressed cache of per-document build results, so a build re-does only the documents that changed.

A document's result is what :func:`newsanno.builder.pipeline.process` makes of its folder:
its problems (errors, warnings, lint findings) and, when it is valid, its rows of every
config as Arrow tables.  The result is a pure function of

- the bytes of every file the pipeline reads in the folder (``corpus.FILES`` and
  ``corpus.OPTIONAL_FILES``, an absent file counting as absent),
- where the folder is shown from (problems name files by their shown path),
- the resource limits and the report's detail (see ``Limits.detail``), and
- the code version: a digest of the package's own files (its source, its data), of the
  schemas and profiles, and of the versions of the libraries that decide rows and bytes
  (the tokenizer id, pyarrow, datasets).  Editing any of them makes every key new.

so the entry of a key holds the very result a fresh run gives, and a build assembles its
shards from cached tables for every document whose key it finds.  The validated model of a
hit is re-read from the very bytes the key covers (orjson, which accepts exactly what the
strict reader accepted for a valid file; anything it refuses is a miss).

The cache is the user's own, under the token cache folder (``docs/`` in it), and follows the
token cache's rules (see :mod:`newsanno.tokencache`): entries are written atomically,
reads and writes never follow a symbolic link, and an entry is never trusted blindly -- its
sha256 digest covers the key and the payload, so a truncated, corrupt or copied entry, or
one whose tables do not have the config's exact schema, is a miss and is recomputed.
Releases and ``build --check`` build without it (see ``RunOptions.reuse_results``).

Entry format: magic, a little-endian u32 length, that many bytes of JSON (``ok``,
``problems``, ``tables``: config -> [offset, length] into the rest), the Arrow IPC streams,
then the 32-byte sha256 of the key and everything before it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import struct
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from newsanno import corpus, schema
from newsanno.atomic import read_regular, write_atomic
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.tokens import TOKENIZER_ID
from newsanno.validate import Limits
from newsanno.validate.reading import shown_paths

_MAGIC = b"NADR1\0\0\0"
_LENGTH = struct.Struct("<I")
_DIGEST = 32
_FILES = (*corpus.FILES, *corpus.OPTIONAL_FILES)
_PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))


def _tree(root: Path) -> list[tuple[str, bytes]]:
    """Every file under ``root`` (compiled bytecode aside) by relative POSIX path, sorted, with its bytes."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            found.append((path.relative_to(root).as_posix(), path.read_bytes()))
    return found


@functools.cache
def code_version() -> bytes:
    """The digest of everything besides a folder's files that decides its result.

    The package's own files (so an edit of the code invalidates every entry), the schemas
    and profiles, and the versions of the libraries whose output the rows or their bytes
    depend on.
    """
    digest = hashlib.sha256()
    versions = f"{TOKENIZER_ID}\0pyarrow-{pa.__version__}\0datasets-{importlib.metadata.version('datasets')}\0"
    digest.update(versions.encode())
    for label, root in (("package", Path(__file__).resolve().parent.parent), ("schema", schema.schema_dir().resolve())):
        for name, data in _tree(root):
            digest.update(f"{label}/{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.digest()


@dataclass
class Lookup:
    """A folder's files as read for its key: the key, and the bytes (kept for a hit's model)."""

    key: str | None  # None: the folder holds something the cache does not key (a link, an unreadable file)
    data: dict[str, bytes | None]
    origin: str


@dataclass
class Cached:
    """A cache hit: the problems, and for a valid document its model and one Arrow table per config."""

    problems: list[Problem]
    document: Document | None
    tables: dict[str, pa.Table] | None


@functools.cache
def arrow_schema(config: str) -> pa.Schema:
    """The exact Arrow schema of a config's files (with the Features metadata ``datasets`` reads)."""
    from newsanno.rows.configs import features

    return features(config).arrow_schema


class ResultCache:
    """Per-document results under ``root/docs``; ``root=None`` disables the cache (every lookup misses)."""

    def __init__(self, root: Path | None, limits: Limits) -> None:
        self.root = root / "docs" if root is not None else None
        self.limits = limits

    def lookup(self, folder: Path) -> Lookup:
        """Read the folder's files and compute its key (None when the cache is off or cannot key it)."""
        origin, _ = shown_paths(folder)
        data: dict[str, bytes | None] = {}
        if self.root is None:
            return Lookup(None, data, origin)
        digest = hashlib.sha256(code_version())
        limits = f"{self.limits.max_file_bytes}\0{self.limits.max_depth}\0{self.limits.detail}\0{os.getcwd()}\0{origin}\0{folder.name}\0"
        digest.update(limits.encode())
        for name in _FILES:
            path = folder / name
            content = read_regular(path)
            if content is None and (path.exists() or path.is_symlink()):
                return Lookup(None, data, origin)  # a link or unreadable file: the pipeline reports it, uncached
            data[name] = content
            digest.update(b"\0absent\0" if content is None else f"\0{name}\0{len(content)}\0".encode())
            if content is not None:
                digest.update(content)
        return Lookup(digest.hexdigest(), data, origin)

    def _path(self, key: str) -> Path | None:
        assert self.root is not None
        path = self.root / key[:2] / f"{key}.res"
        if any(folder.is_symlink() for folder in (self.root.parent, self.root, path.parent)):
            return None
        return path

    def get(self, found: Lookup) -> Cached | None:
        """The cached result of a looked-up folder, or None (absent, corrupt, or not for this key)."""
        if found.key is None or self.root is None:
            return None
        path = self._path(found.key)
        entry = read_regular(path) if path is not None else None
        if entry is None:
            return None
        with contextlib.suppress(ValueError, KeyError, TypeError, pa.ArrowException, orjson.JSONDecodeError, UnicodeDecodeError):
            return _decode(entry, found)
        return None

    def put(self, found: Lookup, problems: list[Problem], tables: dict[str, pa.Table] | None) -> None:
        """Store a folder's result (``tables`` None: the document is invalid and has no rows)."""
        if found.key is None or self.root is None:
            return
        path = self._path(found.key)
        if path is None:
            return
        with contextlib.suppress(OSError):  # an unwritable cache only costs speed
            write_atomic(path, encode(found.key, problems, tables), durable=False)


def encode(key: str, problems: list[Problem], tables: dict[str, pa.Table] | None) -> bytes:
    """The bytes of the entry of ``key``."""
    blobs: list[bytes] = []
    spans: dict[str, list[int]] = {}
    at = 0
    for config, table in (tables or {}).items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        blob = sink.getvalue().to_pybytes()
        spans[config] = [at, len(blob)]
        blobs.append(blob)
        at += len(blob)
    head = orjson.dumps({"ok": tables is not None, "problems": [p.to_dict() for p in problems], "tables": spans})
    body = _MAGIC + _LENGTH.pack(len(head)) + head + b"".join(blobs)
    return body + _digest(key, body)


def _digest(key: str, body: bytes | memoryview) -> bytes:
    digest = hashlib.sha256(key.encode() + b"\0")
    digest.update(body)
    return digest.digest()


def _decode(entry: bytes, found: Lookup) -> Cached | None:
    assert found.key is not None
    if len(entry) < len(_MAGIC) + _LENGTH.size + _DIGEST or not entry.startswith(_MAGIC):
        return None
    body = memoryview(entry)[:-_DIGEST]  # a view: entries are large, copies would cost
    if _digest(found.key, body) != entry[-_DIGEST:]:
        return None
    (length,) = _LENGTH.unpack_from(body, len(_MAGIC))
    start = len(_MAGIC) + _LENGTH.size
    head: dict[str, Any] = orjson.loads(body[start : start + length])
    problems = [Problem(**{name: item[name] for name in _PROBLEM_FIELDS}) for item in head["problems"]]
    if not head["ok"]:
        return Cached(problems, None, None)
    from newsanno.rows.configs import NAMES as CONFIGS

    blobs = body[start + length :]
    tables: dict[str, pa.Table] = {}
    if sorted(head["tables"]) != sorted(CONFIGS):
        return None
    for config in CONFIGS:
        offset, size = head["tables"][config]
        if offset < 0 or size < 0 or offset + size > len(blobs):
            return None
        # A copy of the config's own bytes: a table waiting in a shard writer then keeps only
        # them alive, not the whole entry.
        table = pa.ipc.open_stream(pa.py_buffer(bytes(blobs[offset : offset + size]))).read_all()
        if not table.schema.equals(arrow_schema(config), check_metadata=True):
            return None
        table.validate(full=True)  # raises ArrowInvalid (a miss) on inconsistent buffers
        tables[config] = table
    return Cached(problems, _document(found), tables)


def _document(found: Lookup) -> Document:
    """The validated model of a hit, re-read from the bytes the key covers."""
    meta = orjson.loads(found.data[corpus.DOCUMENT] or b"")
    ann = orjson.loads(found.data[corpus.ANNOTATIONS] or b"")
    text = (found.data[corpus.TEXT] or b"").decode("utf-8")
    if not isinstance(meta, dict) or not isinstance(ann, dict):
        raise ValueError("not a document")
    return Document(meta=meta, text=text, annotations=ann, origin=found.origin)  # type: ignore[arg-type]


def to_tables(rows_per_config: dict[str, list[Any]]) -> dict[str, pa.Table]:
    """A document's rows of every config as Arrow tables of the config's exact schema."""
    return {config: pa.Table.from_pylist(found, schema=arrow_schema(config)) for config, found in rows_per_config.items()}
