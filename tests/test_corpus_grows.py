"""A contributor's corpus of more than one document stays green: the repository, two more articles, every corpus-wide check.

The working tree (not HEAD: what this checkout holds now, uncommitted edits included) is
copied; two Wikinews-layout fixture articles are added with ``newsanno add`` and given small
valid annotations; then validate, lint, build, ``build --check`` and the card are run there,
in a new process, as a contributor runs them.  Nothing depends on what raw/ holds: the
checks are read against the documents the copy has, whatever their number.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, WIKINEWS_FERRY, WIKINEWS_FERRY_URL, WIKINEWS_MARKET, DocBuilder, dump

ADDED = {
    "wikinews-2025-03-05-ferry": ("ferry.txt", WIKINEWS_FERRY, "validation"),
    "wikinews-2025-06-14-market": ("market.txt", WIKINEWS_MARKET, "test"),
}


def _working_tree_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files of the checkout, as they are on disk."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [name for name in listing.split("\0") if name and (ROOT / name).is_file()]  # a deleted tracked file is gone


def _annotate(doc_id: str, text: str) -> dict[str, object]:
    b = DocBuilder(doc_id, text)
    if doc_id.endswith("ferry"):
        b.entity("E1", "Port Calder", "GPE")
        b.entity("E2", "Tuesday", "DATE")
        b.entity("E3", "two months", "DATE")
        b.entity("E4", "Calder Harbour Authority", "ORG")
        b.entity("E5", "The harbour master", "PERSON")
        b.entity("E6", "Calder Gazette", "ORG")
        b.entity("E7", "March 4, 2025", "DATE")
        b.mention("M1", "E1", "Port Calder")
        b.mention("M2", "E2", "Tuesday")
        b.mention("M3", "E3", "two months")
        b.mention("M4", "E4", "Calder Harbour Authority")
        b.mention("M5", "E4", "the authority", form="NOM")
        b.mention("M6", "E5", "The harbour master", form="NOM")
        b.mention("M7", "E6", "Calder Gazette")
        b.mention("M8", "E7", "March 4, 2025")
        b.quote("Q1", "Engineers from the Calder Harbour Authority replaced the ferry's engines", "indirect", "M5", "said")
        b.quote("Q2", "We are glad to see the ferry back on the water.", "direct", "M6", "wrote")
        b.quote("Q3", "Ferry back in service", "scare")
        b.claim("C1", "The Port Calder harbour ferry carried passengers again on Tuesday", None, "CFS")
        b.claim("C2", "Engineers from the Calder Harbour Authority replaced the ferry's engines", "M5", "CFS", "Q1")
    else:
        b.entity("E1", "organisers", "PERSON")
        b.entity("E2", "Friday", "DATE")
        b.entity("E3", "forty", "CARDINAL")
        b.mention("M1", "E1", "organisers", form="NOM")
        b.mention("M2", "E2", "Friday")
        b.mention("M3", "E3", "forty")
        b.quote("Q1", "A night market opened on the quay on Friday with *forty* stalls", "indirect", "M1", "said")
        b.claim("C1", "A night market opened on the quay on Friday with *forty* stalls", "M1", "UFS", "Q1")
    return b.annotations()


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the working tree with the two articles added, annotated and built."""
    repo = tmp_path_factory.mktemp("grown") / "repo"
    for name in _working_tree_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes((ROOT / name).read_bytes())
    before = sorted(p.name for p in (repo / "raw").iterdir())
    for doc_id, (file, content, split) in ADDED.items():
        (repo.parent / file).write_text(content, encoding="utf-8")
        added = _run(repo, "-m", "newsanno", "add", "--profile", "wikinews", "--id", doc_id, "--split", split, str(repo.parent / file))
        assert added.returncode == 0, added.stderr
        text = (repo / "raw" / doc_id / "text.txt").read_text(encoding="utf-8")
        (repo / "raw" / doc_id / "annotations.json").write_text(dump(_annotate(doc_id, text)), encoding="utf-8")
    assert sorted(p.name for p in (repo / "raw").iterdir()) == sorted([*before, *ADDED])
    built = _run(repo, "build.py")
    assert built.returncode == 0, built.stdout + built.stderr
    return repo


def test_validate_and_lint_pass_on_every_document(grown: Path) -> None:
    documents = len(list((grown / "raw").iterdir()))
    validated = _run(grown, "-m", "newsanno", "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert f"{documents} documents checked: 0 errors" in validated.stdout + validated.stderr
    linted = _run(grown, "-m", "newsanno", "lint", "--strict", *(f"raw/{doc_id}" for doc_id in ADDED))
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_build_is_current_and_reproducible(grown: Path) -> None:
    check = _run(grown, "build.py", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    for split in ("validation", "test"):  # the added documents' splits got files of their own
        assert list((grown / "dataset" / "data" / "documents").glob(f"{split}-*.parquet")), split


def test_the_card_counts_and_credits_every_document(grown: Path) -> None:
    card = (grown / "dataset" / "README.md").read_text(encoding="utf-8")
    metas = [json.loads((folder / "document.json").read_text(encoding="utf-8")) for folder in sorted((grown / "raw").iterdir())]
    splits = {split: sum(m["split"] == split for m in metas) for split in ("train", "validation", "test")}
    assert splits["validation"] >= 1 and splits["test"] >= 1
    row = f"| documents | {splits['train']} | {splits['validation']} | {splits['test']} | {len(metas)} |"
    assert row in card, row
    sources = card[card.index("## Sources, licences and attribution") :]
    for meta in metas:
        assert f"| `{meta['id']}` | {meta['split']} | {meta['title']} |" in sources, meta["id"]
    ferry = next(line for line in sources.splitlines() if line.startswith("| `wikinews-2025-03-05-ferry`"))
    assert WIKINEWS_FERRY_URL in ferry and "Wikinews contributors" in ferry and "`CC-BY-2.5`" in ferry and "Attribution 2.5" in ferry
    notice = (grown / "dataset" / "LICENSE.md").read_text(encoding="utf-8")
    assert '> `CC-BY-2.5`: "Harbour ferry returns to service after storm repairs"' in notice
    assert "- `wikinews-2025-06-14-market`" in notice


def test_every_config_loads_all_three_splits(grown: Path, tmp_path: Path) -> None:
    from datasets import load_dataset

    for config in ("documents", "ner", "mentions"):
        loaded = load_dataset(str(grown / "dataset"), config, cache_dir=str(tmp_path / "cache"))
        assert set(loaded) == {"train", "validation", "test"}, config
        assert len(loaded["validation"]) > 0 and len(loaded["test"]) > 0, config
