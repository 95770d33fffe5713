"""``newsanno release`` end to end in temporary clones of this checkout, plus each refusal and the Hub push."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, DocBuilder, dump, gamma, overlay_worktree, write_document


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def cli(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI run inside the clone, so the clone's package and pyproject.toml are the ones used."""
    return subprocess.run(
        [sys.executable, "-m", "newsanno", *args], cwd=repo, capture_output=True, text=True, env=env or dict(os.environ), timeout=900
    )


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def rebuild(repo: Path) -> None:
    result = subprocess.run([sys.executable, "build.py"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this checkout, its files those of the working tree, with the three fixture documents as its corpus, built and committed."""
    repo = tmp_path_factory.mktemp("base") / "repo"
    git(ROOT, "clone", "-q", str(ROOT), str(repo))
    git(repo, "config", "user.name", "Release Test")
    git(repo, "config", "user.email", "release@test.invalid")
    for tag in git(repo, "tag", "--list").split():
        git(repo, "tag", "-d", tag)  # the clone's history may carry real releases; these tests start from none
    # ...and so may its commits ("Release vX.Y.Z"), CHANGELOG.md and pyproject.toml: a history of one
    # commit at version 0.0.0 records no release anywhere.
    git(repo, "checkout", "-q", "--orphan", "fixture")
    # The clone runs its own package (``python -m newsanno`` inside it): make that package the
    # working tree's, edits included, not the last commit's.
    overlay_worktree(repo)
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(re.sub(r'(?m)^version = ".*"$', 'version = "0.0.0"', pyproject.read_text(encoding="utf-8"), count=1))
    shutil.rmtree(repo / "raw")
    for make, split in FIXTURES.values():
        write_document(repo / "raw", make(), split)
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n- The fixture corpus.\n", encoding="utf-8")
    rebuild(repo)
    commit_all(repo, "fixture corpus")
    return repo


@pytest.fixture
def clone(base: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    git(base, "clone", "-q", str(base), str(repo))
    git(repo, "config", "user.name", "Release Test")
    git(repo, "config", "user.email", "release@test.invalid")
    return repo


def rewrite(repo: Path, builder: DocBuilder) -> None:
    (repo / "raw" / builder.doc_id / "annotations.json").write_text(dump(builder.annotations()), encoding="utf-8")


def test_release_twice_then_verify_croissant_and_load_old_tag(clone: Path, tmp_path: Path) -> None:
    first = cli(clone, "release", "1.0.0", "--date", "2025-01-01")
    assert first.returncode == 0, first.stderr
    assert git(clone, "cat-file", "-t", "v1.0.0").strip() == "tag"  # annotated
    assert git(clone, "status", "--porcelain") == ""
    assert 'version = "1.0.0"' in (clone / "pyproject.toml").read_text()
    assert "## [1.0.0] - 2025-01-01" in (clone / "CHANGELOG.md").read_text()
    assert "Documents: 3 added, 0 removed" in (clone / "CHANGELOG.md").read_text()  # the first release, counted against nothing

    # One changed mention (its form) and one added claim.
    alpha = FIXTURES["alpha"][0]()
    next(m for m in alpha.mentions if m["id"] == "M3")["form"] = "NOM"
    rewrite(clone, alpha)
    g = gamma()
    g.claim("C1", "the report was false", "M2", "UFS", "Q1")
    rewrite(clone, g)
    rebuild(clone)
    commit_all(clone, "correct a mention, add a claim")

    diff = cli(clone, "diff", "v1.0.0", "HEAD", "--format", "json")
    assert diff.returncode == 0, diff.stderr
    data = json.loads(diff.stdout)
    assert data["counts"]["annotations_changed"] == 1 and data["counts"]["annotations_added"] == 1
    assert data["required_bump"] == "MINOR"

    too_small = cli(clone, "release", "1.0.1", "--date", "2025-02-01")
    assert too_small.returncode == 1
    assert "MINOR" in too_small.stderr and "refused" in too_small.stderr
    assert git(clone, "status", "--porcelain") == ""

    second = cli(clone, "release", "1.1.0", "--date", "2025-02-01")
    assert second.returncode == 0, second.stderr
    assert git(clone, "rev-parse", "v1.1.0^{commit}") == git(clone, "rev-parse", "HEAD")
    changelog = (clone / "CHANGELOG.md").read_text()
    section = changelog.split("## [1.1.0] - 2025-02-01", 1)[1].split("## [1.0.0]", 1)[0]
    assert "Annotations: 1 added, 0 removed, 1 changed" in section
    assert changelog.index("## [Unreleased]") < changelog.index("## [1.1.0]") < changelog.index("## [1.0.0]")

    assert cli(clone, "verify", "dataset").returncode == 0
    croissant = json.loads((clone / "dataset" / "croissant.json").read_text())
    assert croissant["version"] == "1.1.0" and croissant["datePublished"] == "2025-02-01"
    validated = subprocess.run(
        [sys.executable, "-m", "mlcroissant.scripts.validate", "--jsonld", str(clone / "dataset" / "croissant.json")],
        capture_output=True,
        text=True,
    )
    assert validated.returncode == 0, validated.stderr
    shard = clone / "dataset" / "data" / "claims" / "test-00000-of-00001.parquet"
    blob = bytearray(shard.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    shard.write_bytes(bytes(blob))
    failed = cli(clone, "verify", "dataset")
    assert failed.returncode == 1 and "changed: data/claims/test-00000-of-00001.parquet" in failed.stderr

    # The v1.0.0 tag still gives the 1.0.0 rows: no claim in gamma, mention M3 still NAM.
    old = tmp_path / "v1"
    git(clone, "worktree", "add", "-q", "--detach", str(old), "v1.0.0")
    import datasets

    claims = datasets.load_dataset(str(old / "dataset"), "claims", cache_dir=str(tmp_path / "cache"))
    assert "test" not in claims  # gamma (test split) had no claim in 1.0.0
    mentions = datasets.load_dataset(str(old / "dataset"), "mentions", cache_dir=str(tmp_path / "cache"))
    m3 = next(r for r in mentions["train"] if r["document_id"] == "alpha" and r["mention_id"] == "M3")
    assert m3["form"] == "NAM"
    assert json.loads((old / "dataset" / "croissant.json").read_text())["version"] == "1.0.0"


def test_refuses_dirty_tree(clone: Path) -> None:
    (clone / "notes.txt").write_text("scratch\n")
    result = cli(clone, "release", "1.0.0")
    assert result.returncode == 1 and "dirty" in result.stderr
    assert git(clone, "tag", "--list") == ""


def test_refuses_version_not_greater_than_last_release(clone: Path) -> None:
    git(clone, "tag", "-a", "v1.2.0", "-m", "earlier release")
    head = git(clone, "rev-parse", "HEAD")
    for version in ("1.2.0", "1.1.9"):
        result = cli(clone, "release", version)
        assert result.returncode == 1 and "not greater than the last release v1.2.0 (recorded in a tag)" in result.stderr
    assert git(clone, "rev-parse", "HEAD") == head


def test_refuses_invalid_corpus(clone: Path) -> None:
    path = clone / "raw" / "alpha" / "annotations.json"
    data = json.loads(path.read_text())
    data["mentions"][0]["end"] += 1  # the span no longer matches its text
    path.write_text(dump(data))
    commit_all(clone, "break a span")
    result = cli(clone, "release", "1.0.0")
    assert result.returncode == 1 and "validation fails" in result.stderr
    assert "alpha/annotations.json" in result.stdout + result.stderr  # the problem names its file
    assert git(clone, "tag", "--list") == ""


def test_refuses_stale_dataset(clone: Path) -> None:
    alpha = FIXTURES["alpha"][0]()
    next(m for m in alpha.mentions if m["id"] == "M3")["form"] = "NOM"
    rewrite(clone, alpha)
    commit_all(clone, "change without rebuilding")
    pyproject = (clone / "pyproject.toml").read_text()
    result = cli(clone, "release", "1.0.0")
    assert result.returncode == 1 and "stale" in result.stderr
    assert (clone / "pyproject.toml").read_text() == pyproject and git(clone, "tag", "--list") == ""


def test_dry_run_changes_nothing(clone: Path) -> None:
    result = cli(clone, "release", "1.0.0", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry-run: git tag -a v1.0.0" in result.stdout
    assert git(clone, "tag", "--list") == "" and git(clone, "status", "--porcelain") == ""


def test_refuses_lint_findings(clone: Path) -> None:
    path = clone / "raw" / "alpha" / "annotations.json"
    data = json.loads(path.read_text())
    data["entities"][0]["name"] = "Senora Lopez"  # valid, but no mention reads so: lint.canonical_name
    path.write_text(dump(data))
    commit_all(clone, "rename an entity")
    result = cli(clone, "release", "1.0.0")
    assert result.returncode == 1 and "`newsanno lint --strict` reports 1 findings" in result.stderr
    assert "error [lint.canonical_name]" in result.stdout
    assert git(clone, "tag", "--list") == ""


class StandInHub:
    """A loopback stand-in for the Hub API: answers the calls huggingface_hub makes and records them."""

    def __init__(self, *, fail_commit: int | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail_commit = fail_commit  # answer the upload's commit call with this HTTP status
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                hub.calls.append({"method": self.command, "path": self.path, "body": raw})
                path = self.path.split("?")[0]
                base = f"http://127.0.0.1:{hub.port}"
                if path == "/api/repos/create":
                    name = json.loads(raw)["name"]
                    org = json.loads(raw).get("organization")
                    self._reply(200, {"url": f"{base}/datasets/{org + '/' if org else ''}{name}"})
                elif path == "/api/validate-yaml":
                    self._reply(200, {"errors": [], "warnings": []})
                elif "/preupload/" in path:
                    files = json.loads(raw)["files"]
                    self._reply(200, {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]})
                elif "/commit/" in path and hub.fail_commit:
                    self._reply(hub.fail_commit, {"error": "stand-in hub: refused"})
                elif "/commit/" in path:
                    repo_id = path.split("/api/datasets/")[1].split("/commit/")[0]
                    self._reply(200, {"commitUrl": f"{base}/datasets/{repo_id}/commit/{'c' * 40}", "commitOid": "c" * 40, "success": True})
                elif "/tag/" in path:
                    self._reply(200, {})
                elif path.startswith("/api/datasets/") and self.command == "GET":
                    self._reply(200, {"id": "u/newsanno", "sha": "b" * 40, "siblings": [], "private": False})
                else:
                    self._reply(404, {"error": f"stand-in hub does not know {self.command} {path}"})

            do_GET = do_POST = do_PUT = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandInHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_push_uploads_dataset_and_tags_the_hub_commit(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with StandInHub() as hub:
        env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
        env.update(HF_ENDPOINT=f"http://127.0.0.1:{hub.port}", HF_TOKEN="hf_standin", HF_HUB_DISABLE_XET="1")
        result = cli(clone, "release", "1.0.0", "--date", "2025-01-01", "--push", "u/newsanno", env=env)
    assert result.returncode == 0, result.stdout + result.stderr + "\n" + "\n".join(f"{c['method']} {c['path']}" for c in hub.calls)
    commits = [c for c in hub.calls if "/api/datasets/u/newsanno/commit/" in c["path"]]
    assert len(commits) == 1
    lines = [json.loads(line) for line in commits[0]["body"].decode().splitlines() if line.strip()]
    uploaded = sorted(line["value"]["path"] for line in lines if line["key"] == "file")
    expected = sorted(p.relative_to(clone / "dataset").as_posix() for p in (clone / "dataset").rglob("*") if p.is_file())
    assert uploaded == expected
    tags = [c for c in hub.calls if "/api/datasets/u/newsanno/tag/" in c["path"]]
    assert len(tags) == 1
    assert tags[0]["path"].split("/tag/")[1].split("?")[0] == "c" * 40  # the upload's commit
    assert json.loads(tags[0]["body"])["tag"] == "v1.0.0"
