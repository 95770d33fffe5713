"""Shared test helpers, the one place fixtures are made.

:class:`DocBuilder` builds a document's annotations by searching its text (offsets are never
counted by hand); it writes a raw/ folder (:func:`write_document`) or stays in memory as a
model Document (:meth:`DocBuilder.document`).  ``alpha``/``beta``/``gamma`` are the fixture corpus;
the ``corpus``/``card`` fixtures write it, and ``built`` hands each test a copy of one
session-wide build of it (``pristine``), so the build (spaCy) runs once, not once per test.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from newsanno.model import Document
    from newsanno.problems import Problem

# Tests never reach the Hub; set before anything imports datasets.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "wsws-2024-02-07-zelensky-purge"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of needle (0-based), found by search, never by counting."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def span(text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    """start/end/text of the nth occurrence of needle."""
    start, end = find(text, needle, nth)
    return {"start": start, "end": end, "text": needle}


def dump(value: Any) -> str:
    """The canonical JSON form, written independently of the package's writer."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


class DocBuilder:
    """Builds one fixture document's annotations by searching its text.

    The same builder serves every test: written to disk as a raw/ folder (:func:`write_document`)
    or kept in memory as a :class:`newsanno.model.Document` (:meth:`document`, :meth:`lint`).
    """

    def __init__(self, doc_id: str, text: str) -> None:
        self.text = text
        # One dict in the canonical key order; tests may edit it (drop "exceptions", say) before use.
        self.ann: dict[str, Any] = {"document_id": doc_id, "entities": [], "mentions": [], "quotes": [], "claims": [], "exceptions": []}

    @property
    def doc_id(self) -> str:
        """The document id (the folder name and the annotations' ``document_id``, kept equal)."""
        return self.ann["document_id"]

    @doc_id.setter
    def doc_id(self, value: str) -> None:
        self.ann["document_id"] = value

    @property
    def entities(self) -> list[dict[str, Any]]:
        return self.ann["entities"]

    @property
    def mentions(self) -> list[dict[str, Any]]:
        return self.ann["mentions"]

    @property
    def quotes(self) -> list[dict[str, Any]]:
        return self.ann["quotes"]

    @property
    def claims(self) -> list[dict[str, Any]]:
        return self.ann["claims"]

    def entity(self, eid: str, name: str, etype: str) -> str:
        self.entities.append({"id": eid, "name": name, "type": etype, "wikidata": None})
        return eid

    def mention(self, mid: str, eid: str, needle: str, form: str = "NAM", nth: int = 0) -> str:
        etype = next(e["type"] for e in self.entities if e["id"] == eid)
        start, end = find(self.text, needle, nth)
        self.mentions.append({"id": mid, "entity_id": eid, "start": start, "end": end, "text": needle, "label": etype, "form": form})
        return mid

    def _entity_of(self, mention_id: str | None) -> str | None:
        return next((m["entity_id"] for m in self.mentions if m["id"] == mention_id), None)

    def quote(
        self, qid: str, needle: str, kind: str, speaker: str | None = None, cue: str | None = None, nth: int = 0, cue_nth: int = 0
    ) -> str:
        self.quotes.append(
            {
                "id": qid,
                **span(self.text, needle, nth),
                "kind": kind,
                "speaker_mention_id": speaker,
                "speaker_entity_id": self._entity_of(speaker),
                "cue": span(self.text, cue, cue_nth) if cue is not None else None,
            }
        )
        return qid

    def claim(
        self,
        cid: str,
        needle: str,
        claimant_mention: str | None = None,
        cfs: str = "CFS",
        quote: str | None = None,
        *,
        claimant_entity: str | None = None,
    ) -> str:
        """A claim; its claimant entity is the mention's unless given (a claimant without a mention)."""
        self.claims.append(
            {
                "id": cid,
                **span(self.text, needle),
                "claimant_entity_id": claimant_entity or self._entity_of(claimant_mention),
                "claimant_mention_id": claimant_mention,
                "checkworthiness": cfs,
                "quote_id": quote,
            }
        )
        return cid

    def except_(self, code: str, reason: str = "reviewed", annotation_id: str | None = None, span: tuple[int, int] | None = None) -> None:
        start, end = span if span is not None else (None, None)
        self.ann["exceptions"].append({"code": code, "annotation_id": annotation_id, "start": start, "end": end, "reason": reason})

    def annotations(self) -> dict[str, Any]:
        return dict(self.ann)

    def source(self, title: str = "A headline", author: str | None = "Jane Reporter") -> bytes:
        """The source.txt bytes: a header, then the text."""
        return f"\n{title}\n\n{author}\n1 March 2024\n\n{self.text}".encode()

    def meta(
        self, split: str = "train", *, title: str = "A headline", author: str | None = "Jane Reporter", published: str = "2024-03-01"
    ) -> dict[str, Any]:
        """document.json, with the hashes of :meth:`source` and the text."""
        return {
            "id": self.doc_id,
            "title": title,
            "author": author,
            "published": published,
            "publisher": "Fixture Gazette",
            "language": "en",
            "source_url": None,
            "split": split,
            "source_sha256": sha256(self.source(title, author)),
            "text_sha256": sha256(self.text.encode()),
            "rights": {"text": "LicenseRef-fixture", "notice": "Written for the tests.", "annotations": "CC-BY-4.0"},
        }

    def document(self) -> Document:
        """The in-memory document, as if loaded from raw/<id>/."""
        from newsanno.model import Document

        # Fields the model may gain beyond these three (such as the folder a document came from,
        # a display string) get the fixture's folder, so the fixtures do not break when it does.
        extra = {f.name: f"raw/{self.doc_id}" for f in dataclasses.fields(Document) if f.name not in ("meta", "text", "annotations")}
        return Document(meta=self.meta(), text=self.text, annotations=self.ann, **extra)  # type: ignore[arg-type]

    def lint(self) -> list[Problem]:
        """The linter's findings on :meth:`document`, shown as raw/<id>/annotations.json."""
        from newsanno.validate.lint import lint_document

        return lint_document(self.document(), f"raw/{self.doc_id}/annotations.json")


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
    (folder / "source.txt").write_bytes(builder.source(title, author))
    (folder / "text.txt").write_bytes(builder.text.encode())
    (folder / "document.json").write_text(dump(builder.meta(split, title=title, author=author, published=published)), encoding="utf-8")
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


# Two articles in English Wikinews's plain-text layout, written for the tests (the profile has not
# seen them): headline, date line, paragraphs and headings, Categories line, Source line and licence.
WIKINEWS_FERRY_URL = "https://en.wikinews.org/wiki/Harbour_ferry_returns_to_service_after_storm_repairs"
WIKINEWS_LICENCE = (
    "From Wikinews, the free news source you can write (https://en.wikinews.org), by Wikinews contributors; "
    "available under the Creative Commons Attribution 2.5 licence (https://creativecommons.org/licenses/by/2.5/)."
)
# An article the profile has not seen: a heading, a lead-in without final punctuation, a
# Sources section, a Categories line and the Source paragraph.
WIKINEWS_FERRY = f"""Harbour ferry returns to service after storm repairs

Wednesday, March 5, 2025

The Port Calder harbour ferry carried passengers again on Tuesday, two months after a winter
storm tore its mooring lines.

Repairs

Engineers from the Calder Harbour Authority replaced the ferry's engines, the authority said.

The harbour master wrote in a statement

"We are glad to see the ferry back on the water."

Sources

"Ferry back in service" \u2014 Calder Gazette, March 4, 2025

Categories: March 5, 2025 Transport Published Archived

Source: {WIKINEWS_FERRY_URL}
{WIKINEWS_LICENCE}
"""
WIKINEWS_FERRY_TEXT = (
    "The Port Calder harbour ferry carried passengers again on Tuesday, two months after a winter storm tore its mooring lines.\n\n"
    "Repairs\n\n"
    "Engineers from the Calder Harbour Authority replaced the ferry's engines, the authority said.\n\n"
    "The harbour master wrote in a statement\n\n"
    '"We are glad to see the ferry back on the water."\n\n'
    "Sources\n\n"
    '"Ferry back in service" \u2014 Calder Gazette, March 4, 2025\n'
)
# A second one, short, without headings or categories; a *starred* word stays as printed.
WIKINEWS_MARKET = f"""Night market opens in Port Calder

Saturday, June 14, 2025

A night market opened on the quay on Friday with *forty* stalls, organisers said.

Source: https://en.wikinews.org/wiki/Night_market_opens_in_Port_Calder
{WIKINEWS_LICENCE}
"""


CARD_TEXT = "# Fixture card\n\nProse of the maintainers.\n"


def write_corpus(root: Path) -> Path:
    """The three fixture documents, one per split, as a raw/ corpus at root."""
    root.mkdir(parents=True)
    for make, split in FIXTURES.values():
        write_document(root, make(), split)
    return root


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


def build(raw: Path, out: Path, card: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    """``newsanno build`` of a test corpus; without a --changelog it builds with none, whatever the working directory holds."""
    dating = [] if "--changelog" in extra else ["--no-changelog"]
    return run_cli("build", "--raw", raw, "--out", out, "--card", card, *dating, *extra)


def worktree_files(root: Path = ROOT) -> list[str]:
    """The working tree's files as git sees them (tracked and untracked, ignored ones left out), edits included."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return sorted({name for name in listed.split("\0") if name and (root / name).is_file()})


def overlay_worktree(dest: Path, skip: tuple[str, ...] = ("raw/", "dataset/")) -> None:
    """Copy this checkout's working tree (not its last commit) over dest, so a clone runs the code under test."""
    for name in worktree_files():
        if name.startswith(skip):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def copy_seed(dest: Path) -> Path:
    """A raw/ corpus at ``dest`` holding a copy of the seed document alone, to mutate without touching the checkout.

    Only the seed folder is copied, never the rest of raw/, so a test sees one document
    whatever raw/ holds.
    """
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "raw" / SEED_ID, dest / SEED_ID)
    return dest


# --- CI never skips --------------------------------------------------------------------------------

# .ci/run sets this: CI installs every system package and fetches the whole history, so a test
# that skips there has lost what it tests (a skip is a silent pass).  Locally a skip stays a skip.
NO_SKIP = "NEWSANNO_NO_SKIP"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if os.environ.get(NO_SKIP) and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under {NO_SKIP} (CI must run every test): {reason}"


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A raw corpus of three small documents, one per split."""
    return write_corpus(tmp_path / "raw")


@pytest.fixture
def card(tmp_path: Path) -> Path:
    path = tmp_path / "CARD.md"
    path.write_text(CARD_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def changelog() -> str | None:
    """CHANGELOG.md text of the shared build (None: built without --changelog); a test module may override it."""
    return None


@pytest.fixture(scope="session")
def shared_builds(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str | None], Path]:
    """Builds of the fixture corpus, one per changelog text for the whole session (a build runs spaCy)."""
    done: dict[str | None, Path] = {}

    def get(changelog: str | None) -> Path:
        if changelog not in done:
            root = tmp_path_factory.mktemp("pristine")
            write_corpus(root / "raw")
            (root / "CARD.md").write_text(CARD_TEXT, encoding="utf-8")
            extra: list[str | Path] = ["--no-changelog"]
            if changelog is not None:
                (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
                extra = ["--changelog", root / "CHANGELOG.md"]
            result = run_cli("build", "--raw", root / "raw", "--out", root / "dataset", "--card", root / "CARD.md", *extra)
            assert result.returncode == 0, result.stderr
            done[changelog] = root
        return done[changelog]

    return get


@pytest.fixture
def pristine(shared_builds: Callable[[str | None], Path], changelog: str | None) -> Path:
    """The shared build's folder (raw/, CARD.md, CHANGELOG.md if any, dataset/): read it, never change it."""
    return shared_builds(changelog)


@pytest.fixture
def built(pristine: Path, tmp_path: Path) -> Path:
    """This test's own copy of the fixture corpus's dataset/, built from the same documents and card as `corpus` and `card`."""
    out = tmp_path / "dataset"
    shutil.copytree(pristine / "dataset", out)
    return out
