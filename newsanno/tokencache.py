"""An on-disk cache of tokenizations, keyed by the text's sha256 and :data:`tokens.TOKENIZER_ID`.

Tokenization is the expensive step of a build and a pure function of the (immutable,
hashed) text, so a document whose annotations change is never re-tokenized.  The cache
lives outside ``dataset/`` (default ``.newsanno-cache/`` in the working directory, ignored
by git) and is safe to delete at any time.

It can never change the output: an entry stores the text's length and a digest of its
payload, and any entry that is truncated, corrupt or from another format is ignored and
recomputed.  Entries are written with :func:`newsanno.atomic.write_atomic`, so parallel
workers (or a killed build) never leave a half-written entry behind.

Format of an entry (little-endian): magic, text length, token count, sentence count,
then token starts, token ends and sentence bounds as int32 arrays, then a 16-byte
blake2b digest of everything before it.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
import sys
from array import array
from pathlib import Path

from newsanno.atomic import write_atomic
from newsanno.tokens import TOKENIZER_ID, Tokenization, tokenize

DEFAULT_CACHE_DIR = Path(".newsanno-cache")

_MAGIC = b"NATC1\0"
_HEADER = struct.Struct("<6sIII")
_DIGEST = 16
_SWAP = sys.byteorder != "little"


def _ints(values: tuple[int, ...] | list[int]) -> bytes:
    arr = array("i", values)
    if _SWAP:
        arr.byteswap()
    return arr.tobytes()


def _tuple(data: bytes) -> tuple[int, ...]:
    arr = array("i")
    arr.frombytes(data)
    if _SWAP:
        arr.byteswap()
    return tuple(arr)


def encode(text_length: int, tok: Tokenization) -> bytes:
    """The bytes of one cache entry."""
    flat = [bound for sentence in tok.sentences for bound in sentence]
    body = _HEADER.pack(_MAGIC, text_length, len(tok.starts), len(tok.sentences)) + _ints(tok.starts) + _ints(tok.ends) + _ints(flat)
    return body + hashlib.blake2b(body, digest_size=_DIGEST).digest()


def decode(data: bytes, text_length: int) -> Tokenization | None:
    """The tokenization in an entry, or None if the entry is not intact or not for this text."""
    if len(data) < _HEADER.size + _DIGEST:
        return None
    body, digest = data[:-_DIGEST], data[-_DIGEST:]
    if hashlib.blake2b(body, digest_size=_DIGEST).digest() != digest:
        return None
    magic, length, n_tokens, n_sentences = _HEADER.unpack_from(body)
    if magic != _MAGIC or length != text_length or len(body) != _HEADER.size + 4 * (2 * n_tokens + 2 * n_sentences):
        return None
    at = _HEADER.size
    starts = _tuple(body[at : at + 4 * n_tokens])
    at += 4 * n_tokens
    ends = _tuple(body[at : at + 4 * n_tokens])
    at += 4 * n_tokens
    flat = _tuple(body[at:])
    return Tokenization(starts, ends, tuple(zip(flat[0::2], flat[1::2], strict=True)))


class TokenCache:
    """Tokenize through an on-disk cache; ``root=None`` disables caching (always tokenize)."""

    def __init__(self, root: Path | None = DEFAULT_CACHE_DIR) -> None:
        self.root = root / TOKENIZER_ID if root is not None else None

    def path(self, text: str) -> Path:
        """Where the entry for ``text`` lives (two-level fan-out keeps folders small)."""
        assert self.root is not None
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self.root / key[:2] / f"{key}.tok"

    def tokenize(self, text: str) -> Tokenization:
        """The tokenization of ``text``, from the cache when it holds an intact entry."""
        if self.root is None:
            return tokenize(text)
        path = self.path(text)
        try:
            cached = decode(path.read_bytes(), len(text))
        except OSError:
            cached = None
        if cached is not None:
            return cached
        tok = tokenize(text)
        self._store(path, encode(len(text), tok))
        return tok

    @staticmethod
    def _store(path: Path, data: bytes) -> None:
        # A cache that cannot be written (read-only checkout, full disk) only costs speed.
        with contextlib.suppress(OSError):
            write_atomic(path, data, durable=False)
