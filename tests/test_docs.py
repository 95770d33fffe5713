"""The README stays short and points into docs/; the command reference is what argparse says;
CI runs the README's test command; every relative link in the docs leads to a file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import ROOT

from newsanno.cli import SUBCOMMANDS
from newsanno.cli.reference import main as reference_main
from newsanno.cli.reference import reference

README = ROOT / "README.md"
DOCS = ROOT / "docs"


def section(text: str, title: str) -> str:
    match = re.search(rf"(?ms)^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_readme_is_under_10_kb_and_links_every_doc() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 10 * 1024
    pages = sorted(p.relative_to(ROOT).as_posix() for p in DOCS.glob("*.md"))
    assert {"docs/contributing.md", "docs/commands.md", "docs/architecture.md", "docs/security.md"} <= set(pages)
    assert [p for p in pages if f"]({p})" not in text] == []


def test_command_reference_is_what_argparse_says(tmp_path: Path) -> None:
    assert (DOCS / "commands.md").read_text(encoding="utf-8") == reference(), "run: python -m newsanno.cli.reference docs/commands.md"
    text = reference()
    for name in SUBCOMMANDS:
        assert f"## `newsanno {name}`" in text
    synopsis = section(text, "Synopsis")
    add = next(line for line in synopsis.splitlines() if line.startswith("newsanno add "))
    assert "--publisher" in add and "--published" in add
    # The writer and its check agree with the function.
    out = tmp_path / "commands.md"
    assert reference_main([str(out), "--check"]) == 1
    assert reference_main([str(out)]) == 0 and out.read_text(encoding="utf-8") == text
    assert reference_main([str(out), "--check"]) == 0


def test_readme_contributing_lines_are_the_walkthroughs() -> None:
    block = re.search(r"(?ms)^```bash\n(.*?)^```", section(README.read_text(encoding="utf-8"), "Contributing in ten lines"))
    assert block
    lines = block.group(1).splitlines()
    assert len(lines) <= 10
    walkthrough = (DOCS / "contributing.md").read_text(encoding="utf-8")
    commands = [c.strip() for line in lines if not line.startswith("#") for c in line.split("#")[0].split("&&")]
    assert commands and [c for c in commands if c not in walkthrough] == []


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run reads the command from the README; its extraction, run here, finds the documented one."""
    two = section(README.read_text(encoding="utf-8"), "Two commands")
    documented = two.split("# install and run the tests\n", 1)[1].splitlines()[0]
    assert documented == 'pip install -q -e ".[dev]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (assignment,) = (line for line in ci.splitlines() if line.startswith("TEST_COMMAND="))
    done = subprocess.run(["bash", "-c", f'{assignment}; printf %s "$TEST_COMMAND"'], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout == documented
    # Both ways: inside a fresh virtualenv and without one.
    assert ci.count('eval "$TEST_COMMAND"') == 2 and "python3 -m venv" in ci


def test_relative_links_in_readme_and_docs_lead_to_files() -> None:
    broken = []
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+://", target):
                continue
            path = (page.parent / target).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []
