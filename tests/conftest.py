"""Shared test helpers: small fixture corpora written in the real raw/ layout."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Tests never reach the Hub; set before anything imports datasets.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "wsws-2024-02-07-zelensky-purge"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def span(text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    """start/end/text of the nth occurrence of needle, found by search, never by counting."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return {"start": pos, "end": pos + len(needle), "text": needle}


def dump(value: Any) -> str:
    """The canonical JSON form, written independently of the package's writer."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


class DocBuilder:
    """Builds one fixture document's annotations by searching its text."""

    def __init__(self, doc_id: str, text: str) -> None:
        self.doc_id, self.text = doc_id, text
        self.entities: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []

    def entity(self, eid: str, name: str, etype: str) -> str:
        self.entities.append({"id": eid, "name": name, "type": etype, "wikidata": None})
        return eid

    def mention(self, mid: str, eid: str, needle: str, form: str = "NAM", nth: int = 0) -> str:
        etype = next(e["type"] for e in self.entities if e["id"] == eid)
        s = span(self.text, needle, nth)
        self.mentions.append(
            {"id": mid, "entity_id": eid, "start": s["start"], "end": s["end"], "text": needle, "label": etype, "form": form}
        )
        return mid

    def quote(self, qid: str, needle: str, kind: str, speaker: str | None, cue: str | None, nth: int = 0) -> str:
        speaker_entity = next((m["entity_id"] for m in self.mentions if m["id"] == speaker), None)
        s = span(self.text, needle, nth)
        self.quotes.append(
            {
                "id": qid,
                **{k: s[k] for k in ("start", "end", "text")},
                "kind": kind,
                "speaker_mention_id": speaker,
                "speaker_entity_id": speaker_entity,
                "cue": span(self.text, cue) if cue else None,
            }
        )
        return qid

    def claim(self, cid: str, needle: str, claimant_mention: str | None, cfs: str = "CFS", quote: str | None = None) -> str:
        entity = next((m["entity_id"] for m in self.mentions if m["id"] == claimant_mention), None)
        s = span(self.text, needle)
        self.claims.append(
            {
                "id": cid,
                **s,
                "claimant_entity_id": entity,
                "claimant_mention_id": claimant_mention,
                "checkworthiness": cfs,
                "quote_id": quote,
            }
        )
        return cid

    def annotations(self) -> dict[str, Any]:
        return {
            "document_id": self.doc_id,
            "entities": self.entities,
            "mentions": self.mentions,
            "quotes": self.quotes,
            "claims": self.claims,
            "exceptions": [],
        }


def write_document(
    root: Path,
    builder: DocBuilder,
    split: str,
    *,
    title: str = "A headline",
    author: str | None = "Jane Reporter",
    published: str = "2024-03-01",
) -> Path:
    """Write a complete document folder (source, text, metadata with hashes, annotations)."""
    folder = root / builder.doc_id
    folder.mkdir(parents=True)
    source = f"\n{title}\n\n{author}\n1 March 2024\n\n{builder.text}".encode()
    text = builder.text.encode()
    meta = {
        "id": builder.doc_id,
        "title": title,
        "author": author,
        "published": published,
        "publisher": "Fixture Gazette",
        "language": "en",
        "source_url": None,
        "split": split,
        "source_sha256": sha256(source),
        "text_sha256": sha256(text),
        "rights": {"text": "Written for the tests.", "annotations": "CC-BY-4.0"},
    }
    (folder / "source.txt").write_bytes(source)
    (folder / "text.txt").write_bytes(text)
    (folder / "document.json").write_text(dump(meta), encoding="utf-8")
    (folder / "annotations.json").write_text(dump(builder.annotations()), encoding="utf-8")
    return folder


ALPHA_TEXT = (
    'Maria Lopez, the mayor of Springfield, said on Monday that "the budget is balanced."\n\n'
    "The council approved 12 new schools. According to the Springfield Tribune, she will run again in 2025.\n"
)
BETA_TEXT = 'Acme Corp. hired 300 workers in Ohio last year.\n\nIts chief executive called the plan a "fresh start" for the region.\n'
GAMMA_TEXT = "Officials in Paris said the report was false.\n"


def alpha() -> DocBuilder:
    b = DocBuilder("alpha", ALPHA_TEXT)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "Springfield", "GPE")
    b.entity("E3", "Monday", "DATE")
    b.entity("E4", "12", "CARDINAL")
    b.entity("E5", "Springfield Tribune", "ORG")
    b.entity("E6", "2025", "DATE")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E1", "the mayor of Springfield", form="NOM")
    b.mention("M3", "E2", "Springfield")
    b.mention("M4", "E3", "Monday")
    b.mention("M5", "E4", "12")
    b.mention("M6", "E5", "Springfield Tribune")
    b.mention("M7", "E1", "she", form="PRO")
    b.mention("M8", "E6", "2025")
    b.quote("Q1", "the budget is balanced.", "direct", "M1", "said")
    b.quote("Q2", "she will run again in 2025", "indirect", "M6", "According to")
    b.claim("C1", "the budget is balanced", "M1", "CFS", "Q1")
    b.claim("C2", "The council approved 12 new schools.", None, "UFS")
    return b


def beta() -> DocBuilder:
    b = DocBuilder("beta", BETA_TEXT)
    b.entity("E1", "Acme Corp.", "ORG")
    b.entity("E2", "300", "CARDINAL")
    b.entity("E3", "Ohio", "GPE")
    b.entity("E4", "last year", "DATE")
    b.entity("E5", "Its chief executive", "PERSON")
    b.mention("M1", "E1", "Acme Corp.")
    b.mention("M2", "E2", "300")
    b.mention("M3", "E3", "Ohio")
    b.mention("M4", "E4", "last year")
    b.mention("M5", "E5", "Its chief executive", form="NOM")
    b.quote("Q1", "fresh start", "scare", None, None)
    b.claim("C1", "Acme Corp. hired 300 workers in Ohio last year.", None, "CFS")
    return b


def gamma() -> DocBuilder:
    b = DocBuilder("gamma", GAMMA_TEXT)
    b.entity("E1", "Paris", "GPE")
    b.entity("E2", "Officials in Paris", "PERSON")
    b.mention("M1", "E1", "Paris")
    b.mention("M2", "E2", "Officials in Paris", form="NOM")
    b.quote("Q1", "the report was false", "indirect", "M2", "said")
    return b


FIXTURES: dict[str, tuple[Callable[[], DocBuilder], str]] = {
    "alpha": (alpha, "train"),
    "beta": (beta, "validation"),
    "gamma": (gamma, "test"),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A raw corpus of three small documents, one per split."""
    root = tmp_path / "raw"
    root.mkdir()
    for make, split in FIXTURES.values():
        write_document(root, make(), split)
    return root


@pytest.fixture
def card(tmp_path: Path) -> Path:
    path = tmp_path / "CARD.md"
    path.write_text("# Fixture card\n\nProse of the maintainers.\n", encoding="utf-8")
    return path


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, new_process: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI entry point and capture what it prints.

    In-process by default (imports of spaCy and datasets cost seconds per process); in a new
    process when asked, or when a working directory or environment is given.
    """
    argv = [str(a) for a in args]
    if new_process or cwd is not None or env is not None:
        return subprocess.run(
            [sys.executable, "-m", "newsanno", *argv],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=600,
        )
    from newsanno.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def build(raw: Path, out: Path, card: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--raw", raw, "--out", out, "--card", card, *extra)


def copy_seed(dest: Path) -> Path:
    """A copy of the real raw/ corpus to mutate without touching the checkout."""
    shutil.copytree(ROOT / "raw", dest)
    return dest
