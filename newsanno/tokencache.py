"""An on-disk cache of tokenizations, keyed by the text's sha256 and :data:`tokens.TOKENIZER_ID`.

Tokenization is the expensive step of a build and a pure function of the (immutable,
hashed) text, so a document whose annotations change is never re-tokenized.  The cache
lives outside ``dataset/`` (default ``.newsanno-cache/`` in the working directory, ignored
by git) and is safe to delete at any time.

The cache is an input of the build, so an entry is never trusted: its digest covers the
tokenizer id and the text's sha256 as well as the payload (an entry copied from another
text or tokenizer fails), and a decoded entry must describe the text it is read for --
tokens in order, inside the text, covering exactly its non-space characters, sentences
partitioning the tokens.  Any entry that fails is ignored and recomputed.  Entries are
written with :func:`newsanno.atomic.write_atomic`, so parallel workers (or a killed
build) never leave a half-written entry; neither reads nor writes follow a symbolic link
inside the cache folder.

Format of an entry (little-endian): magic, text length, token count, sentence count,
then token starts, token ends and sentence bounds as int32 arrays, then a 16-byte
blake2b digest of the tokenizer id, the text's sha256 and everything before it.
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import struct
import sys
from array import array
from pathlib import Path

from newsanno.atomic import read_regular, write_atomic
from newsanno.tokens import TOKENIZER_ID, Tokenization, tokenize

DEFAULT_CACHE_DIR = Path(".newsanno-cache")

_MAGIC = b"NATC2\0"
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


def _digest(text_key: bytes, body: bytes) -> bytes:
    return hashlib.blake2b(TOKENIZER_ID.encode() + text_key + body, digest_size=_DIGEST).digest()


def encode(text: str, tok: Tokenization) -> bytes:
    """The bytes of the cache entry of ``text``'s tokenization."""
    flat = [bound for sentence in tok.sentences for bound in sentence]
    body = _HEADER.pack(_MAGIC, len(text), len(tok.starts), len(tok.sentences)) + _ints(tok.starts) + _ints(tok.ends) + _ints(flat)
    return body + _digest(_text_key(text), body)


def _text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def describes(tok: Tokenization, text: str) -> bool:
    """Whether ``tok`` is a tokenization of ``text``: tokens in order inside the text, made of
    exactly its non-space characters, and sentences that partition the tokens in order.

    Checked with C-level passes (``map``, ``join``), since every cache hit pays for it: ordered,
    non-empty, in-range tokens whose texts joined equal the text without its white space can
    neither hold white space nor skip a non-space character.
    """
    starts, ends = tok.starts, tok.ends
    if len(starts) != len(ends):
        return False
    if starts and (starts[0] < 0 or ends[-1] > len(text)):
        return False
    if not all(map(operator.lt, starts, ends)) or not all(map(operator.le, ends, starts[1:])):
        return False
    if "".join(map(text.__getitem__, map(slice, starts, ends))) != "".join(text.split()):
        return False
    firsts = [first for first, _ in tok.sentences]
    stops = [stop for _, stop in tok.sentences]
    if firsts[:1] != ([0] if starts else []) or firsts[1:] != stops[:-1] or not all(map(operator.lt, firsts, stops)):
        return False
    return (stops[-1] if stops else 0) == len(starts)


def decode(data: bytes, text: str) -> Tokenization | None:
    """The tokenization in an entry, or None if the entry is not intact or not for this text."""
    if len(data) < _HEADER.size + _DIGEST:
        return None
    body, digest = data[:-_DIGEST], data[-_DIGEST:]
    if _digest(_text_key(text), body) != digest:
        return None
    magic, length, n_tokens, n_sentences = _HEADER.unpack_from(body)
    if magic != _MAGIC or length != len(text) or len(body) != _HEADER.size + 4 * (2 * n_tokens + 2 * n_sentences):
        return None
    at = _HEADER.size
    starts = _tuple(body[at : at + 4 * n_tokens])
    at += 4 * n_tokens
    ends = _tuple(body[at : at + 4 * n_tokens])
    at += 4 * n_tokens
    flat = _tuple(body[at:])
    tok = Tokenization(starts, ends, tuple(zip(flat[0::2], flat[1::2], strict=True)))
    return tok if describes(tok, text) else None


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
        data = read_regular(path) if self._inside(path) else None
        cached = decode(data, text) if data is not None else None
        if cached is not None:
            return cached
        tok = tokenize(text)
        if self._inside(path):
            self._store(path, encode(text, tok))
        return tok

    def _inside(self, path: Path) -> bool:
        """Whether no folder between the cache root and ``path`` is a symbolic link (which
        could lead a read or a write out of the cache)."""
        assert self.root is not None
        return not any(folder.is_symlink() for folder in (self.root, path.parent))

    @staticmethod
    def _store(path: Path, data: bytes) -> None:
        # A cache that cannot be written (read-only checkout, full disk) only costs speed.
        with contextlib.suppress(OSError):
            write_atomic(path, data, durable=False)
