"""Issue 22, class 6: nothing depends on the environment.

The report survives any stdout encoding; a user's matplotlibrc (in MPLCONFIGDIR, in the working
directory, named by MATPLOTLIBRC) or style does not change chart bytes, so ``build --check`` is
environment-independent; a CHANGELOG.md or CARD.md that is not UTF-8 is one located line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write_corpus

# Every key here changes pixels if the chart writer does not pin it.
HOSTILE_RC = """\
figure.dpi: 33
savefig.dpi: 21
savefig.facecolor: blue
savefig.bbox: tight
savefig.pad_inches: 2
font.size: 30
font.family: serif
axes.titlesize: 40
axes.facecolor: red
axes.prop_cycle: cycler(color=["r"])
axes.spines.top: False
xtick.labelsize: 3
xtick.direction: in
lines.linewidth: 9
patch.edgecolor: green
patch.force_edgecolor: True
text.antialiased: False
figure.constrained_layout.use: False
"""


def _run(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MPL", "MATPLOTLIB", "PYTHONIOENCODING"))}
    # PYTHONPATH: a working directory other than the checkout must still import this checkout's package.
    env = {**clean, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600, cwd=cwd, env=env)


# --- any stdout encoding -------------------------------------------------------------------------------


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    """A corpus whose problems quote U+2019 and U+202E: a mention text that differs from text.txt."""
    raw = write_corpus(tmp_path / "raw")
    path = raw / "alpha" / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    ann["mentions"][0]["text"] = "Maria\u2019s \u202emayor"
    path.write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return raw


@pytest.mark.parametrize("encoding", ["latin-1", "ascii", "cp1252"])
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_report_survives_any_stdout_encoding(bad_corpus: Path, encoding: str, fmt: str) -> None:
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}, "PYTHONIOENCODING": encoding}
    done = subprocess.run(
        [sys.executable, "-m", "newsanno", "validate", "--raw", str(bad_corpus), "--format", fmt], capture_output=True, env=env, timeout=600
    )
    out, err = done.stdout.decode(encoding), done.stderr.decode(encoding)  # strict: what was written is valid in that encoding
    assert done.returncode == 1, err
    assert "internal error" not in err and "Traceback" not in err
    assert "annotations.json" in out and "u202e" in out.lower(), out


def test_the_report_survives_a_strict_ascii_stderr(bad_corpus: Path) -> None:
    """Problems that go to stderr (build's) and a C locale with no encoding variable at all."""
    env = {"PYTHONIOENCODING": "ascii:strict", "LC_ALL": "C", "LANG": "C"}
    card = bad_corpus.parent / "CARD.md"
    shutil.copy(ROOT / "CARD.md", card)
    done = _run(["-m", "newsanno", "build", "--raw", str(bad_corpus), "--out", str(bad_corpus.parent / "out"), "--card", str(card)], env)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "raw/alpha/annotations.json" in done.stderr + done.stdout
    assert not (bad_corpus.parent / "out").exists()


# --- charts: a user's matplotlib settings --------------------------------------------------------------


def _hostile_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    config = tmp_path / "mplconfig"
    config.mkdir(parents=True)
    (config / "matplotlibrc").write_text(HOSTILE_RC, encoding="utf-8")
    named = tmp_path / "named-rc"
    named.write_text(HOSTILE_RC.replace("figure.dpi: 33", "figure.dpi: 44"), encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "matplotlibrc").write_text(HOSTILE_RC, encoding="utf-8")  # matplotlib reads ./matplotlibrc first
    return {"MPLCONFIGDIR": str(config), "MATPLOTLIBRC": str(named)}, cwd


_DRAW = """
import hashlib, sys
import matplotlib
import matplotlib.style
style = sys.argv[1]
if style != "none":
    matplotlib.style.use(style)
from newsanno.publish import charts
spec = charts.ChartSpec(panels=(("Quotes", ("direct", "indirect \u2019q\u2019"), (3, 12)), ("Speakers", (), ())), height=2.5)
print(matplotlib.rcParams["figure.dpi"], hashlib.sha256(charts.draw(spec)).hexdigest())
"""


@pytest.mark.parametrize("style", ["none", "dark_background", "ggplot", "classic"])
def test_chart_bytes_ignore_the_users_matplotlibrc_and_style(tmp_path: Path, style: str) -> None:
    plain = _run(["-c", textwrap.dedent(_DRAW), "none"], {})
    assert plain.returncode == 0, plain.stderr
    for env, cwd in ((_hostile_env(tmp_path)[0], ROOT), _hostile_env(tmp_path / "2")):
        hostile = _run(["-c", textwrap.dedent(_DRAW), style], env, cwd=cwd)
        assert hostile.returncode == 0, hostile.stderr
        dpi, digest = hostile.stdout.split()
        # The attack is real: the user's settings are in force in that process ...
        assert style != "none" or float(dpi) != 100.0, hostile.stdout
        # ... and the chart is the same bytes anyway.
        assert digest == plain.stdout.split()[1]


def test_build_check_passes_under_a_hostile_matplotlibrc(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    raw = write_corpus(root / "raw")
    card = root / "CARD.md"
    shutil.copy(ROOT / "CARD.md", card)
    changelog = root / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n- charts\n", encoding="utf-8")
    out = root / "dataset"
    common = ["--raw", str(raw), "--out", str(out), "--card", str(card), "--changelog", str(changelog), "--no-cache"]
    built = _run(["-m", "newsanno", "build", *common], {})
    assert built.returncode == 0, built.stderr
    charts = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "charts").glob("*.png"))}
    assert charts
    env, cwd = _hostile_env(tmp_path)
    checked = _run(["-m", "newsanno", "build", *common, "--check"], env, cwd=cwd)
    assert checked.returncode == 0, checked.stderr
    assert "is up to date" in checked.stderr


# --- prose files that are not UTF-8 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"# Changelog\n\n## [Unreleased]\n\n- caf\xe9\n", ":5:6: not valid UTF-8: byte 0xe9"),
        (b"# Changelog\n\xff\n", ":2:1: not valid UTF-8: byte 0xff"),
        (b"\xef\xbb\xbf# Changelog\n", ":1:1: file starts with a UTF-8 byte-order mark"),
    ],
)
def test_a_changelog_that_is_not_utf8_is_one_located_line_in_build_and_versions(tmp_path: Path, content: bytes, where: str) -> None:
    root = tmp_path / "repo"
    raw = write_corpus(root / "raw")
    card = root / "CARD.md"
    shutil.copy(ROOT / "CARD.md", card)
    changelog = root / "CHANGELOG.md"
    changelog.write_bytes(content)
    for extra in ((), ("--check",)):
        done = run_cli("build", "--raw", raw, "--out", root / "dataset", "--card", card, "--changelog", changelog, *extra)
        assert done.returncode == 1, done.stderr
        assert f"{changelog}{where}" in done.stderr and "internal error" not in done.stderr
        assert not (root / "dataset").exists()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    done = run_cli("versions", "--repo", root)
    assert done.returncode == 1, done.stderr
    assert f"{changelog}{where}" in done.stderr and "internal error" not in done.stderr


def test_a_card_that_is_not_utf8_or_a_pipe_is_one_line(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    card = tmp_path / "CARD.md"
    card.write_bytes(b"# Card\n\ncaf\xe9\n")
    done = run_cli("build", "--raw", raw, "--out", tmp_path / "out", "--card", card)
    assert done.returncode == 1 and f"{card}:3:4: not valid UTF-8" in done.stderr, done.stderr
    changelog = tmp_path / "CHANGELOG.md"
    os.mkfifo(changelog)
    card.write_text("# Card\n", encoding="utf-8")
    done = _run(
        ["-m", "newsanno", "build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--card", str(card), "--changelog", str(changelog)],
        {},
    )
    assert done.returncode == 1 and "CHANGELOG.md" in done.stderr and "internal error" not in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()
