"""The CI rules the suite enforces on itself: under NEWSANNO_NO_SKIP (set by .ci/run) a skip fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import NO_SKIP, ROOT


def run_inner(tmp_path: Path, env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_inner.py"
    test.write_text("import pytest\n\ndef test_needs_a_package():\n    pytest.skip('needs Debian package `absent`')\n")
    env = {k: v for k, v in os.environ.items() if k != NO_SKIP}
    env.update(env_extra, PYTHONPATH=str(ROOT / "tests"))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider", str(test)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_a_skip_is_a_skip_locally(tmp_path: Path) -> None:
    result = run_inner(tmp_path, {})
    assert result.returncode == 0 and "1 skipped" in result.stdout, result.stdout


def test_a_skip_fails_under_ci(tmp_path: Path) -> None:
    result = run_inner(tmp_path, {NO_SKIP: "1"})
    assert result.returncode == 1 and "1 failed" in result.stdout, result.stdout
    assert "needs Debian package `absent`" in result.stdout


def test_ci_sets_the_rule_and_fetches_the_history() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {NO_SKIP}=1" in script
    assert "--unshallow" in script
